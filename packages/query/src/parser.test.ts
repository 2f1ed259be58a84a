import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { FILTER_CASES } from './cases.js';
import { QueryError } from './errors.js';
import { formatAst } from './format.js';
import { parse } from './parser.js';

const grouped = (source: string) => formatAst(parse(source));

function parseError(source: string): QueryError {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe('parse: precedence (Python)', () => {
  it.each([
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['a or b or c', '((a or b) or c)'],
    ['not a and b', '((not a) and b)'],
    ['not a == 1', '(not (a == 1))'],
    ['not not a', '(not (not a))'],
    ['a and not b or c', '((a and (not b)) or c)'],
    ['a == 1 and b != 2', '((a == 1) and (b != 2))'],
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['(a + b) * c', '((a + b) * c)'],
    ['-a * b', '((-a) * b)'],
    ['-a.b', '(-a.b)'],
    ['- -a', '(-(-a))'],
    ['a + b > c * 2', '((a + b) > (c * 2))'],
    ['1 < x < 5', '(1 < x < 5)'],
    ['x in [1, 2] or y not in (3,)', '((x in [1, 2]) or (y not in (3,)))'],
    ['x is not None and y is None', '((x is not None) and (y is None))'],
    ["'a' in name", "('a' in name)"],
    ["metadata['k']['j'] == 1", "(metadata['k']['j'] == 1)"],
    ["annotations['c'].label == 'x'", "(annotations['c'].label == 'x')"],
    ['llm.token_count.total > 1000', '(llm.token_count.total > 1000)'],
    ['f(a, b)', 'f(a, b)'],
    ['((a))', 'a'],
  ])('%s → %s', (source, expected) => {
    expect(grouped(source)).toBe(expected);
  });
});

describe('parse: nodes and positions', () => {
  it('gives every node start and end offsets', () => {
    const ast = parse("span_kind == 'LLM' and latency_ms > 10");
    expect(ast).toMatchObject({
      type: 'logical',
      operator: 'and',
      start: 0,
      end: 38,
      operatorStart: 19,
      left: {
        type: 'compare',
        start: 0,
        end: 18,
        left: { type: 'name', name: 'span_kind', start: 0, end: 9 },
        comparisons: [
          { operator: '==', start: 10, end: 12, right: { type: 'string', value: 'LLM', start: 13, end: 18 } },
        ],
      },
      right: { type: 'compare', start: 23, end: 38 },
    });
  });

  it('keeps a comparison chain in one node', () => {
    const ast = parse('1 < x <= 5');
    expect(ast.type).toBe('compare');
    if (ast.type !== 'compare') return;
    expect(ast.comparisons.map((c) => c.operator)).toEqual(['<', '<=']);
  });

  it('reads two-word operators as one', () => {
    const ast = parse('a not in b');
    expect(ast).toMatchObject({ type: 'compare', comparisons: [{ operator: 'not in', start: 2, end: 8 }] });
    expect(parse('a is not None')).toMatchObject({
      comparisons: [{ operator: 'is not', start: 2, end: 8, right: { type: 'none' } }],
    });
  });

  it('parses literals', () => {
    const values = (parse('[1, 2.5, \'a\', "b", True, False, None, -3]') as Extract<Expr, { type: 'list' }>)
      .elements;
    expect(values.map((v) => v.type)).toEqual([
      'number',
      'number',
      'string',
      'string',
      'boolean',
      'boolean',
      'none',
      'unary',
    ]);
  });

  it('parses lists and tuples, with trailing commas', () => {
    expect(parse('[1, 2,]')).toMatchObject({ type: 'list', kind: 'list', start: 0, end: 7 });
    expect(parse('(1, 2)')).toMatchObject({
      type: 'list',
      kind: 'tuple',
      elements: [{ value: 1 }, { value: 2 }],
    });
    expect(parse('(1,)')).toMatchObject({ type: 'list', kind: 'tuple', elements: [{ value: 1 }] });
    expect(parse('()')).toMatchObject({ type: 'list', kind: 'tuple', elements: [] });
    expect(parse('[]')).toMatchObject({ type: 'list', kind: 'list', elements: [] });
    expect(parse('(1)')).toMatchObject({ type: 'number', value: 1, start: 1, end: 2 });
  });

  it('parses member, subscript and call postfixes', () => {
    expect(parse("attributes['a'].b[0]")).toMatchObject({
      type: 'subscript',
      index: { type: 'number', value: 0 },
      object: { type: 'member', property: 'b', propertyStart: 16, object: { type: 'subscript' } },
    });
    expect(parse('len(x)')).toMatchObject({
      type: 'call',
      callee: { type: 'name', name: 'len' },
      args: [{ name: 'x' }],
    });
  });

  it('accepts keywords as attribute names after a dot', () => {
    expect(grouped('tool.for == 1')).toBe('(tool.for == 1)');
  });

  it('accepts newlines and extra whitespace', () => {
    expect(grouped("span_kind == 'LLM'\n  and\tlatency_ms > 1")).toBe(
      "((span_kind == 'LLM') and (latency_ms > 1))",
    );
  });
});

describe('parse: errors', () => {
  it.each([
    ['', 'The filter is empty', 1, 0],
    ['   ', 'The filter is empty', 1, 0],
    ["span_kind == 'x' and", "Expected an expression after 'and'", 18, 3],
    ['a or', "Expected an expression after 'or'", 3, 2],
    ['a ==', "Expected an expression after '=='", 3, 2],
    ['a not in', "Expected an expression after 'not in'", 3, 6],
    ['a +', "Expected an expression after '+'", 3, 1],
    ['a and )', "Expected an expression after 'and', found ')'", 7, 1],
    ['and a', "Expected an expression, found 'and'", 1, 3],
    ['(a', "Unclosed '('", 1, 1],
    ['[1, 2', "Unclosed '['", 1, 1],
    ['x[1', "Unclosed '['", 2, 1],
    ['f(1', "Unclosed '('", 2, 1],
    ['(a]', "Expected ')', found ']'", 3, 1],
    ['a)', "Unmatched ')'", 2, 1],
    ['a b', "Expected an operator or the end of the filter, found name 'b'", 3, 1],
    ['(a b)', "Expected an operator or ')', found name 'b'", 4, 1],
    ['[a b]', "Expected an operator or ',' or ']', found name 'b'", 4, 1],
    ['a = 1', "Assignment '=' is not allowed", 3, 1],
    ['a += 1', "Assignment '+=' is not allowed", 3, 2],
    ['a := 1', "Assignment ':=' is not allowed", 3, 2],
    ['a === 1', "'===' is not an operator", 3, 3],
    ['a <> 1', "'<>' is not an operator", 3, 2],
    ['a && b', "'&&' is not an operator", 3, 2],
    ['a || b', "'||' is not an operator", 3, 2],
    ['!a', "'!' is not an operator", 1, 1],
    ['a % 2', "Operator '%' is not supported", 3, 1],
    ['a // 2', "Operator '//' is not supported", 3, 2],
    ['a not b', "Expected 'in' after 'not', found name 'b'", 7, 1],
    ['a not', "Expected 'in' after 'not'", 3, 3],
    ['a is', "Expected an expression after 'is'", 3, 2],
    ['a == not b', "'not' cannot be used here", 6, 3],
    ['-not a', "'not' cannot be used here", 2, 3],
    ['lambda x: x', 'Lambda expressions are not supported', 1, 6],
    ['[x for x in y]', 'Comprehensions are not supported', 4, 3],
    ['(x for x in y)', 'Comprehensions are not supported', 4, 3],
    ['a if b else c', "Conditional expressions ('x if condition else y') are not supported", 3, 2],
    ['import os', "'import' is a Python keyword that filters do not support", 1, 6],
    ['{1: 2}', 'Dicts and sets are not supported', 1, 1],
    ['x[1:2]', 'Slices are not supported', 4, 1],
    ['x[1, 2]', 'Only one subscript is allowed', 4, 1],
    ['x.', "Expected a name after '.'", 2, 1],
    ['x.1', "Expected a name after '.', found number 1", 3, 1],
  ])('%j → %s at column %i', (source, reason, column, length) => {
    const error = parseError(source);
    expect(error.reason).toBe(reason);
    expect(error.column).toBe(column);
    expect(error.length).toBe(length);
  });

  it('says what it expected', () => {
    expect(parseError('a and').expected).toEqual(['expression']);
    expect(parseError('(a').expected).toEqual(["')'"]);
    expect(parseError('a b').expected).toEqual(['operator', 'end of input']);
    expect(parseError('a not b').expected).toEqual(["'in'"]);
  });

  it('gives hints for common mistakes', () => {
    expect(parseError('a = 1').message).toBe(
      "Assignment '=' is not allowed at column 3. Use '==' to compare",
    );
    expect(parseError('a AND b').hint).toBe("Did you mean 'and'?");
    expect(parseError("name contains 'x'").hint).toContain("'in'");
    expect(parseError('a && b').hint).toBe("Use 'and'");
  });

  it('reports line and column in multi-line filters', () => {
    const error = parseError('a == 1\nand\n  b ==');
    expect([error.line, error.column, error.position]).toEqual([3, 5, 15]);
    expect(error.message).toBe("Expected an expression after '==' at line 3, column 5");
  });
});

describe('formatAst', () => {
  it('prints a tree that parses back to the same grouping', () => {
    for (const { expression } of FILTER_CASES) {
      const once = grouped(expression);
      expect(grouped(once), expression).toBe(once);
    }
  });
});
