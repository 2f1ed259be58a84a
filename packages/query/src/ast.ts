/**
 * The syntax tree the parser produces: what was written, before any name is resolved.
 * Every node carries `start` / `end`, 0-based offsets into the source (`end` exclusive).
 */

export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export interface StringLiteral extends SourceRange {
  readonly type: 'string';
  readonly value: string;
  readonly raw: string;
}

export interface NumberLiteral extends SourceRange {
  readonly type: 'number';
  readonly value: number;
  readonly raw: string;
  /** Written without a fraction or exponent. */
  readonly integer: boolean;
}

export interface BooleanLiteral extends SourceRange {
  readonly type: 'boolean';
  readonly value: boolean;
}

export interface NoneLiteral extends SourceRange {
  readonly type: 'none';
}

/** A bare identifier: `name`, `span_kind`, `llm` (in `llm.model_name`)... */
export interface NameNode extends SourceRange {
  readonly type: 'name';
  readonly name: string;
}

/** `object.property` */
export interface MemberNode extends SourceRange {
  readonly type: 'member';
  readonly object: Expr;
  readonly property: string;
  /** Offset of the property name (after the dot). */
  readonly propertyStart: number;
}

/** `object[index]` */
export interface SubscriptNode extends SourceRange {
  readonly type: 'subscript';
  readonly object: Expr;
  readonly index: Expr;
}

/** `callee(args...)`: parsed so the checker can reject it by name. */
export interface CallNode extends SourceRange {
  readonly type: 'call';
  readonly callee: Expr;
  readonly args: readonly Expr[];
}

/** `[a, b]` or `(a, b)` / `(a,)`. */
export interface ListNode extends SourceRange {
  readonly type: 'list';
  readonly kind: 'list' | 'tuple';
  readonly elements: readonly Expr[];
}

export type UnaryOperator = 'not' | '-' | '+';

export interface UnaryNode extends SourceRange {
  readonly type: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: Expr;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/';

export interface BinaryNode extends SourceRange {
  readonly type: 'binary';
  readonly operator: ArithmeticOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly operatorStart: number;
}

export type LogicalOperator = 'and' | 'or';

export interface LogicalNode extends SourceRange {
  readonly type: 'logical';
  readonly operator: LogicalOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly operatorStart: number;
}

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export interface ComparisonLink extends SourceRange {
  /** `start` / `end` of a link are those of its operator. */
  readonly operator: ComparisonOperator;
  readonly right: Expr;
}

/**
 * `left op1 right1 op2 right2 ...`, as Python keeps comparisons: `1 < x < 5` is one node with two links
 * (meaning `1 < x and x < 5`). Most comparisons have exactly one link.
 */
export interface CompareNode extends SourceRange {
  readonly type: 'compare';
  readonly left: Expr;
  readonly comparisons: readonly ComparisonLink[];
}

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NoneLiteral;

export type Expr =
  | Literal
  | NameNode
  | MemberNode
  | SubscriptNode
  | CallNode
  | ListNode
  | UnaryNode
  | BinaryNode
  | LogicalNode
  | CompareNode;

export type ExprType = Expr['type'];
