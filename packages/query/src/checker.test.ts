import { describe, expect, it } from 'vitest';
import { QueryError } from './errors.js';
import { parseFilter } from './filter.js';
import type { Comparison, Condition, Value } from './resolved.js';

const condition = (source: string): Condition => parseFilter(source).condition;

/** The left operand of a single comparison `X == ...`. */
function leftOf(source: string): Value {
  const c = condition(source);
  if (c.kind !== 'compare') throw new Error(`not a comparison: ${c.kind}`);
  return c.left;
}

function checkError(source: string): QueryError {
  try {
    parseFilter(source);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe('check: names', () => {
  it.each([
    ['name', 'string'],
    ['span_kind', 'string'],
    ['status_code', 'string'],
    ['status_message', 'string'],
    ['parent_id', 'string'],
    ['span_id', 'string'],
    ['trace_id', 'string'],
  ] as const)('%s is a %s span field', (field, type) => {
    expect(leftOf(`${field} == trace_id`)).toMatchObject({ kind: 'field', field, type });
  });

  it('types numeric and datetime fields', () => {
    expect(leftOf('latency_ms == 1')).toMatchObject({ kind: 'field', field: 'latency_ms', type: 'number' });
    expect(leftOf("start_time == '2024-01-01'")).toMatchObject({
      kind: 'field',
      field: 'start_time',
      type: 'datetime',
    });
    expect(leftOf("end_time == '2024-01-01'")).toMatchObject({
      kind: 'field',
      field: 'end_time',
      type: 'datetime',
    });
    for (const part of ['prompt', 'completion', 'total']) {
      expect(leftOf(`cumulative_token_count.${part} == 1`)).toMatchObject({
        kind: 'field',
        field: `cumulative_token_count.${part}`,
        type: 'number',
      });
    }
  });

  it('accepts aliases of span fields', () => {
    expect(leftOf('cumulative_llm_token_count_total == 1')).toMatchObject({
      field: 'cumulative_token_count.total',
    });
    expect(leftOf('cumulative_llm_token_count.prompt == 1')).toMatchObject({
      field: 'cumulative_token_count.prompt',
    });
    expect(leftOf("context.span_id == 'a'")).toMatchObject({ field: 'span_id' });
    expect(leftOf("context.trace_id == 'a'")).toMatchObject({ field: 'trace_id' });
  });

  it('resolves dotted names to attribute paths of unknown type', () => {
    expect(leftOf('llm.token_count.total == 1')).toMatchObject({
      kind: 'attribute',
      path: ['llm', 'token_count', 'total'],
      type: 'dynamic',
    });
    expect(leftOf("input.value == 'x'")).toMatchObject({ path: ['input', 'value'] });
    expect(leftOf("my_app.custom == 'x'")).toMatchObject({ path: ['my_app', 'custom'] });
  });

  it('splits attributes[...] keys on dots and walks subscripts', () => {
    expect(leftOf("attributes['llm.model_name'] == 'x'")).toMatchObject({ path: ['llm', 'model_name'] });
    expect(leftOf("attributes['llm']['model_name'] == 'x'")).toMatchObject({ path: ['llm', 'model_name'] });
    expect(leftOf("attributes.llm.model_name == 'x'")).toMatchObject({ path: ['llm', 'model_name'] });
    expect(leftOf("llm['token_count.total'] == 1")).toMatchObject({ path: ['llm', 'token_count', 'total'] });
    expect(leftOf('retrieval.documents[0].document.score == 1')).toMatchObject({
      path: ['retrieval', 'documents', 0, 'document', 'score'],
    });
  });

  it('keeps metadata keys literal', () => {
    expect(leftOf("metadata['user.id'] == 'x'")).toMatchObject({
      kind: 'attribute',
      path: ['metadata', 'user.id'],
    });
    expect(leftOf("metadata['a']['b'] == 'x'")).toMatchObject({ path: ['metadata', 'a', 'b'] });
    expect(leftOf("metadata.user == 'x'")).toMatchObject({ path: ['metadata', 'user'] });
    expect(leftOf("attributes['metadata.user'] == 'x'")).toMatchObject({ path: ['metadata', 'user'] });
  });

  it('resolves annotation accessors with their scope and type', () => {
    expect(leftOf("annotations['correctness'].label == 'x'")).toEqual({
      kind: 'annotation',
      scope: 'span',
      name: 'correctness',
      field: 'label',
      type: 'string',
      start: 0,
      end: 32,
    });
    expect(leftOf("evals['c'].score == 1")).toMatchObject({
      kind: 'annotation',
      scope: 'span',
      field: 'score',
      type: 'number',
    });
    expect(leftOf("trace_annotations['c'].explanation == 'x'")).toMatchObject({
      scope: 'trace',
      field: 'explanation',
      type: 'string',
    });
    expect(leftOf("annotations['c']['label'] == 'x'")).toMatchObject({ field: 'label' });
    expect(condition("annotations['c'] is not None")).toMatchObject({
      kind: 'isNull',
      negated: true,
      operand: { kind: 'annotationEntry', scope: 'span', name: 'c' },
    });
  });
});

describe('check: conditions', () => {
  it('expands chained comparisons into and', () => {
    const c = condition('1 < latency_ms <= 5');
    expect(c).toMatchObject({
      kind: 'and',
      operands: [
        { kind: 'compare', op: '<', left: { value: 1 }, right: { field: 'latency_ms' } },
        { kind: 'compare', op: '<=', left: { field: 'latency_ms' }, right: { value: 5 } },
      ],
    });
  });

  it('flattens nested and / or', () => {
    const c = condition('a.x == 1 and a.y == 2 and (a.z == 3 and a.w == 4) or a.v == 5');
    expect(c.kind).toBe('or');
    if (c.kind !== 'or') return;
    expect(c.operands[0]).toMatchObject({ kind: 'and' });
    expect(c.operands[0]?.kind === 'and' && c.operands[0].operands.length).toBe(4);
  });

  it('splits in into list membership and containment', () => {
    expect(condition("span_kind in ['LLM', 'TOOL']")).toMatchObject({
      kind: 'inList',
      negated: false,
      values: ['LLM', 'TOOL'],
      valueType: 'string',
    });
    expect(condition('latency_ms not in (1, -2.5)')).toMatchObject({
      kind: 'inList',
      negated: true,
      values: [1, -2.5],
      valueType: 'number',
    });
    expect(condition("'err' in status_message")).toMatchObject({
      kind: 'contains',
      needle: { kind: 'literal', value: 'err' },
      haystack: { kind: 'field', field: 'status_message' },
    });
    expect(condition("'x' not in tag.tags")).toMatchObject({
      kind: 'contains',
      negated: true,
      haystack: { kind: 'attribute' },
    });
  });

  it('turns is None into isNull', () => {
    expect(condition('parent_id is None')).toMatchObject({
      kind: 'isNull',
      negated: false,
      operand: { field: 'parent_id' },
    });
    expect(condition('llm.x is not None')).toMatchObject({
      kind: 'isNull',
      negated: true,
      operand: { kind: 'attribute' },
    });
  });

  it('converts ISO strings compared with datetime fields', () => {
    const c = condition("start_time >= '2024-05-01T12:00:00+02:00'") as Comparison;
    expect(c.right).toMatchObject({
      kind: 'literal',
      type: 'datetime',
      iso: '2024-05-01T10:00:00.000Z',
      value: Date.UTC(2024, 4, 1, 10),
    });
    const reversed = condition("'2024-05-01' < end_time") as Comparison;
    expect(reversed.left).toMatchObject({ type: 'datetime', value: Date.UTC(2024, 4, 1) });
  });

  it('folds negative number literals and types arithmetic', () => {
    expect(leftOf('-5 == latency_ms')).toEqual({
      kind: 'literal',
      type: 'number',
      value: -5,
      start: 0,
      end: 2,
    });
    expect(leftOf('-latency_ms == 1')).toMatchObject({ kind: 'negate', type: 'number' });
    expect(leftOf('latency_ms * 2 == 1')).toMatchObject({ kind: 'arithmetic', op: '*', type: 'number' });
    expect(leftOf("name + 'x' == 'y'")).toMatchObject({ kind: 'arithmetic', op: '+', type: 'string' });
    expect(leftOf("llm.a + 'x' == 'y'")).toMatchObject({ type: 'string' });
    expect(leftOf('llm.a + llm.b == 1')).toMatchObject({ type: 'number' });
  });

  it('wraps dynamic attributes used as conditions', () => {
    expect(condition('llm.is_streaming')).toMatchObject({
      kind: 'truthy',
      operand: { path: ['llm', 'is_streaming'] },
    });
    expect(condition('not llm.is_streaming')).toMatchObject({ kind: 'not', operand: { kind: 'truthy' } });
    expect(condition('True')).toMatchObject({ kind: 'literal', type: 'boolean', value: true });
  });

  it('allows comparing dynamic attributes with anything but datetimes', () => {
    expect(condition("llm.x == 'a'").kind).toBe('compare');
    expect(condition('llm.x > 1').kind).toBe('compare');
    expect(condition('llm.x == True').kind).toBe('compare');
    expect(condition('llm.x == llm.y').kind).toBe('compare');
    expect(checkError('llm.x > start_time').reason).toContain(
      'Cannot compare llm.x (attribute) with start_time (datetime)',
    );
  });
});

describe('check: errors', () => {
  it.each([
    ["spam_kind == 'LLM'", "Unknown name 'spam_kind'", 1, 9, "Did you mean 'span_kind'?"],
    ["Name == 'x'", "Unknown name 'Name'", 1, 4, "Did you mean 'name'?"],
    ["anotations['x'].label == 'a'", "Unknown name 'anotations'", 1, 10, "Did you mean 'annotations'?"],
    ["latency_ms == 'abc'", "Cannot compare latency_ms (number) with 'abc' (string)", 1, 19, undefined],
    ['span_kind > 3', 'Cannot compare span_kind (string) with 3 (number)', 1, 13, undefined],
    [
      "annotations['x'].label > 3",
      "Cannot compare annotations['x'].label (string) with 3 (number)",
      1,
      26,
      undefined,
    ],
    [
      "annotations['x'].score == 'high'",
      "Cannot compare annotations['x'].score (number) with 'high' (string)",
      1,
      32,
      undefined,
    ],
    [
      'name + 1 == 2',
      "Cannot apply '+' to name (string) and 1 (number)",
      1,
      8,
      "'+' adds numbers or joins strings",
    ],
    ["name - 'a' == 'b'", "Cannot apply '-' to name (string) and 'a' (string)", 1, 10, undefined],
    ['True + 1 == 2', "Cannot apply '+' to True (boolean) and 1 (number)", 1, 8, undefined],
    ['x.y and name', 'Expected a condition, but name is a string', 9, 4, "Compare it, e.g. name == '...'"],
    ['start_time', 'Expected a condition, but start_time is a datetime', 1, 10, undefined],
    ["span_kind == 'llm'", "Unknown span kind 'llm'", 14, 5, "Did you mean 'LLM'?"],
    ["span_kind != 'FOO'", "Unknown span kind 'FOO'", 14, 5, 'Expected one of LLM, CHAIN'],
    ["'Ok' == status_code", "Unknown status code 'Ok'", 1, 4, "Did you mean 'OK'?"],
    ['parent_id == None', "Cannot compare with None using '=='", 14, 4, "Use 'is None'"],
    ['None != parent_id', "Cannot compare with None using '!='", 1, 4, "Use 'is not None'"],
    ['latency_ms > None', "Cannot order with None using '>'", 14, 4, undefined],
    ['None', "None can only be used with 'is' or 'is not'", 1, 4, undefined],
    ["parent_id is 'a'", "'is' can only be followed by None", 11, 2, "Use '==' to compare values"],
    ['parent_id is not 1', "'is not' can only be followed by None", 11, 6, "Use '!='"],
    ['None is None', "'is None' needs a field or an attribute on its left", 1, 4, undefined],
    [
      "annotations['x'] == 'a'",
      "Expected .label, .score or .explanation after annotations['x']",
      1,
      16,
      undefined,
    ],
    ["annotations['x'].lable == 'a'", "Unknown annotation field 'lable'", 18, 5, "Did you mean 'label'?"],
    ["annotations['x'].label.y == 'a'", 'Annotation labels have no attributes or keys', 24, 1, undefined],
    ["annotations == 'a'", "Expected an annotation name in brackets after 'annotations'", 1, 11, undefined],
    ["evals[0].label == 'a'", "Expected an annotation name in brackets after 'evals'", 7, 1, undefined],
    ["name.x == 'a'", "'name' is a span field: it has no attributes or keys", 6, 1, undefined],
    ["span_kind['a'] == 'a'", "'span_kind' is a span field: it has no attributes or keys", 11, 3, undefined],
    ['cumulative_token_count == 1', "Unknown field 'cumulative_token_count'", 1, 22, undefined],
    ["context.foo == 'a'", "Unknown field 'context.foo'", 1, 11, undefined],
    ["attributes == 'a'", "Expected a key after 'attributes'", 1, 10, "attributes['llm.model_name']"],
    ["attributes['a..b'] == 1", "Invalid attribute key 'a..b'", 12, 6, undefined],
    [
      "metadata[user] == 'a'",
      'A subscript must be a string or a non-negative integer literal',
      10,
      4,
      undefined,
    ],
    ['llm.docs[-1] == 1', 'A subscript must be a string or a non-negative integer literal', 10, 2, undefined],
    [
      'llm.docs[1.5] == 1',
      'A subscript must be a string or a non-negative integer literal',
      10,
      3,
      undefined,
    ],
    ["'abc'[0] == 'a'", "Only names can have attributes or subscripts, not 'abc'", 1, 5, undefined],
    ['len(name) > 3', "Function calls are not supported: 'len'", 1, 3, undefined],
    ["name.lower() == 'a'", "Function calls are not supported: 'name.lower'", 1, 10, undefined],
    ['(not llm.x) == True', "A 'not' condition cannot be used as a value", 2, 9, undefined],
    [
      '(latency_ms > 1) == True',
      'A condition cannot be used as a value here: latency_ms > 1',
      2,
      14,
      undefined,
    ],
    [
      '(llm.x or llm.y) == True',
      'A condition cannot be used as a value here: llm.x or llm.y',
      2,
      14,
      undefined,
    ],
    ["Metadata['user'] == 'a'", "Unknown name 'Metadata'", 1, 8, "Did you mean 'metadata'?"],
    [
      "trace_annotation['x'].label == 'a'",
      "Unknown name 'trace_annotation'",
      1,
      16,
      "Did you mean 'trace_annotations'?",
    ],
    ["-name == 'a'", "Cannot apply unary '-' to name (string)", 1, 5, undefined],
    ['start_time - 1 > 0', "Cannot apply '-' to start_time (datetime) and 1 (number)", 1, 14, undefined],
    ['True > False', "Cannot order booleans with '>'", 1, 12, undefined],
    ['start_time > 5', 'Cannot compare start_time (datetime) with 5 (number)', 1, 14, 'ISO 8601'],
    ["start_time > '2024-02-30'", "Invalid datetime '2024-02-30'", 14, 12, 'ISO 8601'],
    ["end_time < 'tomorrow'", "Invalid datetime 'tomorrow'", 12, 10, undefined],
    [
      "'a' in latency_ms",
      "'in' needs a list, a tuple or a string on its right, but latency_ms is a number",
      8,
      10,
      undefined,
    ],
    ['1 in name', 'Cannot look for 1 (number) in name (string)', 1, 9, undefined],
    ['start_time in llm.x', 'Cannot look for start_time (datetime) in llm.x (attribute)', 1, 19, undefined],
    ["latency_ms in ['a']", 'Cannot look for latency_ms (number) in a list of strings', 1, 19, undefined],
    ['[1] in llm.x', "A list can only appear on the right of 'in'", 1, 3, undefined],
    ['span_kind in []', "The list after 'in' is empty", 14, 2, undefined],
    ['span_kind in ()', "The tuple after 'in' is empty", 14, 2, undefined],
    [
      "span_kind in ['LLM', 1]",
      'All elements of a list must have the same type',
      22,
      1,
      '1 is a number, the first element is a string',
    ],
    ["span_kind in ['LLM', None]", 'None cannot be in a list', 22, 4, "'is None'"],
    ['span_kind in [name]', 'List elements must be literals', 15, 4, undefined],
    ["span_kind in ('LLM', ['TOOL'])", 'Tuple elements must be literals', 22, 8, undefined],
    ["span_kind in ['LLM', 'tool']", "Unknown span kind 'tool'", 22, 6, "Did you mean 'TOOL'?"],
    ["span_kind == ['LLM']", "A list can only appear on the right of 'in', not with '=='", 14, 7, undefined],
    ['[1, 2]', "A list can only appear on the right of 'in' or 'not in'", 1, 6, undefined],
    ['1 < latency_ms in [1]', "'in' cannot be chained with other comparisons", 16, 2, "Split it with 'and'"],
    ['1 < llm.x is None', "'is' cannot be chained with other comparisons", 11, 2, undefined],
  ])('%j → %s', (source, reason, column, length, hint) => {
    const error = checkError(source);
    expect(error.reason).toBe(reason);
    expect(error.column).toBe(column);
    expect(error.length).toBe(length);
    if (hint !== undefined) expect(error.hint).toContain(hint);
  });

  it('suggests attributes[...] for an unknown bare name with no close match', () => {
    expect(checkError("customer == 'x'").hint).toBe(
      "For a custom attribute write attributes['customer'] or a dotted path",
    );
  });
});

describe('check: numbers too large for a double', () => {
  const huge = `1${'0'.repeat(400)}`;
  it.each([
    ['latency_ms > 1e400', 13, 5],
    ['latency_ms > -1e400', 14, 5],
    [`latency_ms > ${huge}`, 13, 401],
    [`latency_ms < -${huge}`, 14, 401],
    ['latency_ms in (1, 1e400)', 18, 5],
    ['latency_ms in [-1e400]', 16, 5],
    ['latency_ms + 1e999 > 3', 13, 5],
  ])('%s is refused where the number stands', (source, position, length) => {
    const error = checkError(source);
    expect(error.reason).toMatch(/^The number .* is too large$/);
    expect(error.position).toBe(position);
    expect(error.length).toBe(length);
  });

  it('still accepts the largest double', () => {
    expect(() => condition('latency_ms > 1.7976931348623157e308')).not.toThrow();
  });
});
