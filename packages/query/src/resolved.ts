/**
 * The checked, resolved form of a filter: every name classified, every type known (or `dynamic`),
 * chained comparisons expanded, `in` split by what is on its right. The evaluator and the SQL compilers
 * work from this form only. Every node keeps `start` / `end` offsets of the source it came from.
 */
import type { AnnotationField, AnnotationScope, SpanField, ValueType } from './names.js';

interface Span {
  readonly start: number;
  readonly end: number;
}

// --- values ------------------------------------------------------------------------------------------

export type LiteralValue =
  | (Span & { readonly kind: 'literal'; readonly type: 'string'; readonly value: string })
  | (Span & { readonly kind: 'literal'; readonly type: 'number'; readonly value: number })
  | (Span & { readonly kind: 'literal'; readonly type: 'boolean'; readonly value: boolean })
  /** A string literal compared with a datetime field: `value` is epoch milliseconds, `iso` its UTC form. */
  | (Span & {
      readonly kind: 'literal';
      readonly type: 'datetime';
      readonly value: number;
      readonly iso: string;
    });

/** A span column: `name`, `latency_ms`, `cumulative_token_count.total`... */
export interface FieldRef extends Span {
  readonly kind: 'field';
  readonly field: SpanField;
  readonly type: Exclude<ValueType, 'dynamic' | 'boolean'>;
}

/**
 * A path into the span's (nested) attributes: `llm.model_name` is `['llm', 'model_name']`,
 * `metadata['user.id']` is `['metadata', 'user.id']`, `retrieval.documents[0]` is
 * `['retrieval', 'documents', 0]`.
 */
export interface AttributeRef extends Span {
  readonly kind: 'attribute';
  readonly path: readonly (string | number)[];
  readonly type: 'dynamic';
}

/** `annotations['name'].label` (scope `span`) or `trace_annotations['name'].score` (scope `trace`). */
export interface AnnotationRef extends Span {
  readonly kind: 'annotation';
  readonly scope: AnnotationScope;
  readonly name: string;
  readonly field: AnnotationField;
  readonly type: 'string' | 'number';
}

/** `annotations['name']` alone: only allowed with `is None` / `is not None` (does the annotation exist?). */
export interface AnnotationEntry extends Span {
  readonly kind: 'annotationEntry';
  readonly scope: AnnotationScope;
  readonly name: string;
}

export type ArithmeticOp = '+' | '-' | '*' | '/';

/** `+ - * /` on numbers (`/` is true division), or `+` concatenating strings (type `string`). */
export interface Arithmetic extends Span {
  readonly kind: 'arithmetic';
  readonly op: ArithmeticOp;
  readonly left: Value;
  readonly right: Value;
  readonly type: 'number' | 'string';
}

/** Unary minus on a non-literal number. */
export interface Negate extends Span {
  readonly kind: 'negate';
  readonly operand: Value;
  readonly type: 'number';
}

export type Value = LiteralValue | FieldRef | AttributeRef | AnnotationRef | Arithmetic | Negate;

// --- conditions --------------------------------------------------------------------------------------

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** `left op right`. Both sides have the same static type, or at least one is `dynamic`. */
export interface Comparison extends Span {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Value;
  readonly right: Value;
}

/** `operand in [v1, v2]` / `not in`: the values are non-empty and all of `valueType`. */
export interface InList extends Span {
  readonly kind: 'inList';
  readonly negated: boolean;
  readonly operand: Value;
  readonly values: readonly (string | number | boolean)[];
  readonly valueType: 'string' | 'number' | 'boolean';
}

/**
 * `needle in haystack` where the haystack is not a list literal: a substring test when the haystack is a
 * string; when it is a dynamic attribute holding an array, membership of the needle in that array.
 */
export interface Contains extends Span {
  readonly kind: 'contains';
  readonly negated: boolean;
  readonly needle: Value;
  readonly haystack: Value;
}

/** `operand is None` (negated: `is not None`). Never unknown: always true or false. */
export interface IsNull extends Span {
  readonly kind: 'isNull';
  readonly negated: boolean;
  readonly operand: Value | AnnotationEntry;
}

export interface And extends Span {
  readonly kind: 'and';
  readonly operands: readonly Condition[];
}

export interface Or extends Span {
  readonly kind: 'or';
  readonly operands: readonly Condition[];
}

export interface Not extends Span {
  readonly kind: 'not';
  readonly operand: Condition;
}

/** A dynamic attribute used as a condition (`llm.is_streaming`): true only when it holds `true`. */
export interface Truthy extends Span {
  readonly kind: 'truthy';
  readonly operand: AttributeRef;
}

export type BooleanConstant = Extract<LiteralValue, { type: 'boolean' }>;

export type Condition = Comparison | InList | Contains | IsNull | And | Or | Not | Truthy | BooleanConstant;

export type ResolvedNode = Value | AnnotationEntry | Condition;
