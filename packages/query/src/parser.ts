import type {
  ArithmeticOperator,
  ComparisonLink,
  ComparisonOperator,
  Expr,
  ListNode,
  LogicalOperator,
} from './ast.js';
import { QueryError, type QueryErrorInit } from './errors.js';
import { describeToken, type Token, tokenize } from './lexer.js';

/**
 * Binding powers, loosest first, as in Python:
 * `or` < `and` < `not` < comparisons (`== != < <= > >= in not in is is not`) < `+ -` < `* /`
 * < unary minus < postfix (`.name`, `[index]`, `(call)`).
 */
export const BINDING_POWER = {
  or: 1,
  and: 2,
  not: 3,
  comparison: 4,
  additive: 5,
  multiplicative: 6,
  unary: 7,
  postfix: 8,
} as const;

const COMPARISON_PUNCT: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

const UNSUPPORTED_OPERATORS: Readonly<Record<string, { reason: string; hint?: string }>> = {
  '=': { reason: "Assignment '=' is not allowed", hint: "Use '==' to compare" },
  ':=': { reason: "Assignment ':=' is not allowed", hint: "Use '==' to compare" },
  '===': { reason: "'===' is not an operator", hint: "Use '=='" },
  '!==': { reason: "'!==' is not an operator", hint: "Use '!='" },
  '<>': { reason: "'<>' is not an operator", hint: "Use '!='" },
  '&&': { reason: "'&&' is not an operator", hint: "Use 'and'" },
  '||': { reason: "'||' is not an operator", hint: "Use 'or'" },
  '!': { reason: "'!' is not an operator", hint: "Use 'not', or '!=' to compare" },
  '&': { reason: "Operator '&' is not supported", hint: "Use 'and'" },
  '|': { reason: "Operator '|' is not supported", hint: "Use 'or'" },
  '~': { reason: "Operator '~' is not supported", hint: "Use 'not'" },
};

/** Parses a filter into its syntax tree. Throws {@link QueryError}. Names are not resolved here. */
export function parse(source: string): Expr {
  return new Parser(source, tokenize(source)).parseFilter();
}

/** The token (or token pair, like `not in`) an operand follows, for "Expected an expression after ...". */
interface Anchor {
  readonly value: string | number;
  readonly start: number;
  readonly end: number;
}

interface Infix {
  readonly power: number;
  readonly kind: 'logical' | 'comparison' | 'arithmetic' | 'postfix';
}

class Parser {
  private index = 0;
  /** What may close the innermost open bracket, for "expected ..." messages. */
  private readonly closers: string[] = ['the end of the filter'];

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseFilter(): Expr {
    const first = this.peek();
    if (first.type === 'eof') {
      this.fail({ reason: 'The filter is empty', position: 0, length: 0, expected: ['expression'] });
    }
    const expr = this.parseExpression(0, undefined);
    const rest = this.peek();
    if (rest.type !== 'eof') {
      // parseExpression stops at eof or at a closing token that does not belong here
      if (rest.type === 'punct' && (rest.value === ')' || rest.value === ']')) {
        this.fail({ reason: `Unmatched '${rest.value}'`, ...this.at(rest), expected: ['end of input'] });
      }
      this.fail({
        reason: `Unexpected ${describeToken(rest)}`,
        ...this.at(rest),
        expected: ['end of input'],
      });
    }
    return expr;
  }

  // --- token helpers ---------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private isPunct(token: Token, value: string): boolean {
    return token.type === 'punct' && token.value === value;
  }

  private isKeyword(token: Token, value: string): boolean {
    return token.type === 'keyword' && token.value === value;
  }

  private at(token: { start: number; end: number }): { position: number; length: number } {
    return { position: token.start, length: token.end - token.start };
  }

  private fail(init: QueryErrorInit): never {
    throw new QueryError(this.source, init);
  }

  // --- Pratt loop --------------------------------------------------------------------------------

  /**
   * Parses an expression whose operators bind at least as tightly as `minPower`.
   * `after` is the token before it (for "Expected an expression after 'and'").
   */
  private parseExpression(minPower: number, after: Anchor | undefined): Expr {
    let left = this.parsePrefix(minPower, after);
    for (;;) {
      const token = this.peek();
      const infix = this.infixOf(token);
      if (!infix || infix.power < minPower) return left;
      left = this.parseInfix(left, token, infix);
    }
  }

  /** Classifies a token that follows a complete operand; undefined ends the expression. */
  private infixOf(token: Token): Infix | undefined {
    switch (token.type) {
      case 'eof':
        return undefined;
      case 'keyword':
        switch (token.value) {
          case 'or':
            return { power: BINDING_POWER.or, kind: 'logical' };
          case 'and':
            return { power: BINDING_POWER.and, kind: 'logical' };
          case 'in':
          case 'is':
            return { power: BINDING_POWER.comparison, kind: 'comparison' };
          case 'not': {
            if (this.isKeyword(this.peek(1), 'in'))
              return { power: BINDING_POWER.comparison, kind: 'comparison' };
            const next = this.peek(1);
            return this.fail({
              reason:
                next.type === 'eof'
                  ? "Expected 'in' after 'not'"
                  : `Expected 'in' after 'not', found ${describeToken(next)}`,
              ...this.at(next.type === 'eof' ? token : next),
              expected: ["'in'"],
              hint: "Use 'not in', or put 'not' before the whole condition",
            });
          }
          case 'if':
            return this.fail({
              reason: "Conditional expressions ('x if condition else y') are not supported",
              ...this.at(token),
            });
          case 'for':
            return this.fail({ reason: 'Comprehensions are not supported', ...this.at(token) });
          default:
            return this.unexpectedAfterOperand(token);
        }
      case 'punct': {
        const value = token.value;
        if (value === ')' || value === ']' || value === ',') return undefined;
        if (COMPARISON_PUNCT.has(value)) return { power: BINDING_POWER.comparison, kind: 'comparison' };
        if (value === '+' || value === '-') return { power: BINDING_POWER.additive, kind: 'arithmetic' };
        if (value === '*' || value === '/')
          return { power: BINDING_POWER.multiplicative, kind: 'arithmetic' };
        if (value === '.' || value === '[' || value === '(')
          return { power: BINDING_POWER.postfix, kind: 'postfix' };
        const known = UNSUPPORTED_OPERATORS[value];
        if (known) return this.fail({ ...known, ...this.at(token) });
        if (value.length === 2 && value.endsWith('=') && value !== '==') {
          return this.fail({ reason: `Assignment '${value}' is not allowed`, ...this.at(token) });
        }
        if (value === ':') return this.fail({ reason: 'Slices are not supported', ...this.at(token) });
        if (['**', '//', '%', '@', '^', '<<', '>>'].includes(value)) {
          return this.fail({
            reason: `Operator '${value}' is not supported`,
            ...this.at(token),
            hint: 'Supported operators: + - * /',
          });
        }
        return this.unexpectedAfterOperand(token);
      }
      default:
        return this.unexpectedAfterOperand(token);
    }
  }

  private unexpectedAfterOperand(token: Token): never {
    const closer = this.closers[this.closers.length - 1]!;
    let hint: string | undefined;
    if (token.type === 'name') {
      const lower = token.value.toLowerCase();
      if (['and', 'or', 'not', 'in', 'is'].includes(lower)) hint = `Did you mean '${lower}'?`;
      else if (['contains', 'like', 'ilike', 'startswith', 'endswith'].includes(lower)) {
        hint = "Use 'in' for substrings: 'text' in input.value";
      }
    } else if (token.type === 'string' || token.type === 'number') {
      hint = 'Are you missing an operator?';
    }
    return this.fail({
      reason: `Expected an operator or ${closer}, found ${describeToken(token)}`,
      ...this.at(token),
      expected: ['operator', closer === 'the end of the filter' ? 'end of input' : closer],
      ...(hint ? { hint } : {}),
    });
  }

  // --- prefix (operands) ---------------------------------------------------------------------------

  private parsePrefix(minPower: number, after: Anchor | undefined): Expr {
    const token = this.peek();
    switch (token.type) {
      case 'number':
        this.advance();
        return { type: 'number', value: token.value, raw: token.raw, integer: token.integer, ...span(token) };
      case 'string':
        this.advance();
        return { type: 'string', value: token.value, raw: token.raw, ...span(token) };
      case 'name':
        this.advance();
        return { type: 'name', name: token.value, ...span(token) };
      case 'keyword':
        switch (token.value) {
          case 'True':
          case 'False':
            this.advance();
            return { type: 'boolean', value: token.value === 'True', ...span(token) };
          case 'None':
            this.advance();
            return { type: 'none', ...span(token) };
          case 'not': {
            if (minPower > BINDING_POWER.not) {
              this.fail({
                reason: "'not' cannot be used here",
                ...this.at(token),
                hint: 'Wrap it in parentheses: (not ...)',
              });
            }
            this.advance();
            const operand = this.parseExpression(BINDING_POWER.not, token);
            return { type: 'unary', operator: 'not', operand, start: token.start, end: operand.end };
          }
          case 'lambda':
            return this.fail({ reason: 'Lambda expressions are not supported', ...this.at(token) });
          case 'and':
          case 'or':
          case 'in':
          case 'is':
            return this.missingOperand(token, after);
          default:
            return this.fail({
              reason: `'${token.value}' is a Python keyword that filters do not support`,
              ...this.at(token),
            });
        }
      case 'punct':
        switch (token.value) {
          case '(':
            return this.parseParenthesized(token);
          case '[':
            return this.parseList(token);
          case '-':
          case '+': {
            this.advance();
            const operand = this.parseExpression(BINDING_POWER.unary, token);
            return { type: 'unary', operator: token.value, operand, start: token.start, end: operand.end };
          }
          case '{':
            return this.fail({ reason: 'Dicts and sets are not supported', ...this.at(token) });
          case '!':
            return this.fail({ ...UNSUPPORTED_OPERATORS['!']!, ...this.at(token) });
          default:
            return this.missingOperand(token, after);
        }
      default:
        return this.missingOperand(token, after);
    }
  }

  /**
   * No operand where one is needed. At the end of the input the error points at the token that wanted an
   * operand (`and` in `x and`); otherwise at what was found instead.
   */
  private missingOperand(found: Token, after: Anchor | undefined): never {
    const afterText = after ? ` after '${after.value}'` : '';
    if (found.type === 'eof') {
      return this.fail({
        reason: `Expected an expression${afterText}`,
        ...(after ? this.at(after) : this.at(found)),
        expected: ['expression'],
      });
    }
    return this.fail({
      reason: `Expected an expression${afterText}, found ${describeToken(found)}`,
      ...this.at(found),
      expected: ['expression'],
    });
  }

  private expectCloser(closer: ')' | ']', opener: Token): Token {
    const token = this.peek();
    if (this.isPunct(token, closer)) return this.advance();
    if (token.type === 'eof') {
      return this.fail({
        reason: `Unclosed '${opener.value}'`,
        ...this.at(opener),
        expected: [`'${closer}'`],
      });
    }
    return this.fail({
      reason: `Expected '${closer}', found ${describeToken(token)}`,
      ...this.at(token),
      expected: [`'${closer}'`],
    });
  }

  /** `( expr )`, or a tuple `(a, b)`, `(a,)`, `()`. */
  private parseParenthesized(open: Token): Expr {
    this.advance();
    if (this.isPunct(this.peek(), ')')) {
      const close = this.advance();
      return { type: 'list', kind: 'tuple', elements: [], start: open.start, end: close.end };
    }
    this.closers.push("')'");
    const first = this.parseExpression(0, open);
    if (this.isKeyword(this.peek(), 'for')) {
      this.fail({ reason: 'Comprehensions are not supported', ...this.at(this.peek()) });
    }
    if (!this.isPunct(this.peek(), ',')) {
      this.closers.pop();
      this.expectCloser(')', open);
      // parentheses only group: the node keeps the span of its content
      return first;
    }
    const elements = [first, ...this.parseElementsAfterComma(')')];
    this.closers.pop();
    const close = this.expectCloser(')', open);
    return { type: 'list', kind: 'tuple', elements, start: open.start, end: close.end };
  }

  /** `[a, b, ...]` */
  private parseList(open: Token): ListNode {
    this.advance();
    const elements: Expr[] = [];
    if (!this.isPunct(this.peek(), ']')) {
      this.closers.push("',' or ']'");
      elements.push(this.parseExpression(0, open));
      if (this.isKeyword(this.peek(), 'for')) {
        this.fail({ reason: 'Comprehensions are not supported', ...this.at(this.peek()) });
      }
      if (this.isPunct(this.peek(), ',')) elements.push(...this.parseElementsAfterComma(']'));
      this.closers.pop();
    }
    const close = this.expectCloser(']', open);
    return { type: 'list', kind: 'list', elements, start: open.start, end: close.end };
  }

  /** After the first element, at a ',': the remaining elements; a trailing comma is allowed. */
  private parseElementsAfterComma(closer: ')' | ']'): Expr[] {
    const elements: Expr[] = [];
    while (this.isPunct(this.peek(), ',')) {
      const comma = this.advance();
      if (this.isPunct(this.peek(), closer)) break;
      elements.push(this.parseExpression(0, comma));
    }
    return elements;
  }

  // --- infix ---------------------------------------------------------------------------------------

  private parseInfix(left: Expr, token: Token, infix: Infix): Expr {
    switch (infix.kind) {
      case 'logical': {
        this.advance();
        const right = this.parseExpression(infix.power + 1, token);
        return {
          type: 'logical',
          operator: token.value as LogicalOperator,
          left,
          right,
          operatorStart: token.start,
          start: left.start,
          end: right.end,
        };
      }
      case 'arithmetic': {
        this.advance();
        const right = this.parseExpression(infix.power + 1, token);
        return {
          type: 'binary',
          operator: token.value as ArithmeticOperator,
          left,
          right,
          operatorStart: token.start,
          start: left.start,
          end: right.end,
        };
      }
      case 'comparison':
        return this.parseComparisonChain(left);
      case 'postfix':
        return this.parsePostfix(left, token);
    }
  }

  /** `left op right [op right ...]`: the whole chain is one node, as in Python. */
  private parseComparisonChain(left: Expr): Expr {
    const comparisons: ComparisonLink[] = [];
    for (;;) {
      const operator = this.readComparisonOperator();
      if (!operator) break;
      const right = this.parseExpression(BINDING_POWER.comparison + 1, operator);
      comparisons.push({ operator: operator.value, right, start: operator.start, end: operator.end });
    }
    const last = comparisons[comparisons.length - 1]!;
    return { type: 'compare', left, comparisons, start: left.start, end: last.right.end };
  }

  private readComparisonOperator(): { value: ComparisonOperator; start: number; end: number } | undefined {
    const token = this.peek();
    if (token.type === 'punct' && COMPARISON_PUNCT.has(token.value)) {
      this.advance();
      return { value: token.value as ComparisonOperator, start: token.start, end: token.end };
    }
    if (this.isKeyword(token, 'in')) {
      this.advance();
      return { value: 'in', start: token.start, end: token.end };
    }
    if (this.isKeyword(token, 'not') && this.isKeyword(this.peek(1), 'in')) {
      this.advance();
      const last = this.advance();
      return { value: 'not in', start: token.start, end: last.end };
    }
    if (this.isKeyword(token, 'is')) {
      this.advance();
      if (this.isKeyword(this.peek(), 'not')) {
        const last = this.advance();
        return { value: 'is not', start: token.start, end: last.end };
      }
      return { value: 'is', start: token.start, end: token.end };
    }
    return undefined;
  }

  private parsePostfix(object: Expr, token: Token): Expr {
    this.advance();
    if (token.value === '.') {
      const property = this.peek();
      if (property.type !== 'name' && property.type !== 'keyword') {
        return this.fail({
          reason:
            property.type === 'eof'
              ? "Expected a name after '.'"
              : `Expected a name after '.', found ${describeToken(property)}`,
          ...this.at(property.type === 'eof' ? token : property),
          expected: ['name'],
        });
      }
      this.advance();
      return {
        type: 'member',
        object,
        property: property.value,
        propertyStart: property.start,
        start: object.start,
        end: property.end,
      };
    }
    if (token.value === '[') {
      this.closers.push("']'");
      const index = this.parseExpression(0, token);
      const next = this.peek();
      if (this.isPunct(next, ',')) {
        this.fail({ reason: 'Only one subscript is allowed', ...this.at(next), expected: ["']'"] });
      }
      this.closers.pop();
      const close = this.expectCloser(']', token);
      return { type: 'subscript', object, index, start: object.start, end: close.end };
    }
    // call
    const args: Expr[] = [];
    if (!this.isPunct(this.peek(), ')')) {
      this.closers.push("',' or ')'");
      args.push(this.parseExpression(0, token));
      if (this.isPunct(this.peek(), ',')) args.push(...this.parseElementsAfterComma(')'));
      this.closers.pop();
    }
    const close = this.expectCloser(')', token);
    return { type: 'call', callee: object, args, start: object.start, end: close.end };
  }
}

function span(token: Token): { start: number; end: number } {
  return { start: token.start, end: token.end };
}
