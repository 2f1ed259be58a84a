import { describe, expect, it } from 'vitest';
import { QueryError } from './errors.js';
import {
  createSpanPredicate,
  evaluateCondition,
  evaluateFilter,
  evaluateValue,
  type FilterSpan,
} from './evaluate.js';
import { parseFilter } from './filter.js';

/** The three-valued result (true / false / null = unknown) of a filter for a span. */
const truth = (source: string, span: FilterSpan) => evaluateCondition(parseFilter(source).condition, span);

const span: FilterSpan = {
  name: 'ChatCompletion',
  span_kind: 'LLM',
  status_code: 'OK',
  status_message: '',
  parent_id: null,
  span_id: 's1',
  trace_id: 't1',
  start_time: new Date('2024-05-01T10:00:00.000Z'),
  end_time: '2024-05-01T10:00:01.250Z',
  attributes: {
    llm: { model_name: 'gpt-4o', token_count: { total: 100 }, flag: true, off: false },
    list: ['a', 1, true],
    obj: { nested: null },
    text_number: '42',
  },
  cumulative_token_count: { prompt: 60, completion: 40, total: 100 },
  annotations: { quality: { label: 'good', score: 0.8 } },
  trace_annotations: { feedback: { label: 'up' } },
};

describe('evaluateFilter', () => {
  it('accepts a source string or a parsed filter', () => {
    expect(evaluateFilter("span_kind == 'LLM'", span)).toBe(true);
    expect(evaluateFilter(parseFilter("span_kind == 'TOOL'"), span)).toBe(false);
  });

  it('throws QueryError for an invalid filter', () => {
    expect(() => evaluateFilter('spam_kind == 1', span)).toThrow(QueryError);
  });

  it('computes latency from Date and ISO string times, or uses a given latency', () => {
    expect(
      evaluateValue({ kind: 'field', field: 'latency_ms', type: 'number', start: 0, end: 0 }, span),
    ).toBe(1250);
    expect(evaluateFilter('latency_ms == 1250', span)).toBe(true);
    expect(evaluateFilter('latency_ms == 7', { ...span, latency_ms: 7 })).toBe(true);
    expect(evaluateFilter('latency_ms == 1000', { start_time: 0, end_time: 1000 })).toBe(true);
    expect(truth('latency_ms > 0', { start_time: 'garbage', end_time: '2024-01-01' })).toBeNull();
  });

  it('compares datetimes, whatever their representation', () => {
    expect(evaluateFilter("start_time == '2024-05-01T12:00:00+02:00'", span)).toBe(true);
    expect(evaluateFilter("end_time > '2024-05-01T10:00:01.249Z'", span)).toBe(true);
    expect(evaluateFilter("end_time > '2024-05-01T10:00:01.250Z'", span)).toBe(false);
    expect(evaluateFilter('end_time > start_time', span)).toBe(true);
    expect(evaluateFilter("start_time < '2025-01-01'", { start_time: 1714557600000 })).toBe(true);
  });

  it('reads nested attributes, array indices and metadata', () => {
    expect(evaluateFilter('llm.token_count.total == 100', span)).toBe(true);
    expect(evaluateFilter("attributes['llm.model_name'] == 'gpt-4o'", span)).toBe(true);
    expect(evaluateFilter("list[0] == 'a'", span)).toBe(true);
    expect(evaluateFilter('list[1] == 1', span)).toBe(true);
    expect(truth('list[5] == 1', span)).toBeNull();
    expect(truth("llm[0] == 'x'", span)).toBeNull();
    expect(evaluateFilter("metadata['user'] == 'x'", { attributes: { metadata: { user: 'x' } } })).toBe(true);
    expect(truth("metadata['user'] == 'x'", {})).toBeNull();
  });

  it('reads annotations by scope', () => {
    expect(evaluateFilter("annotations['quality'].label == 'good'", span)).toBe(true);
    expect(evaluateFilter("evals['quality'].score > 0.5", span)).toBe(true);
    expect(truth("annotations['quality'].explanation == 'x'", span)).toBeNull();
    expect(evaluateFilter("trace_annotations['feedback'].label == 'up'", span)).toBe(true);
    expect(truth("annotations['feedback'].label == 'up'", span)).toBeNull();
    expect(evaluateFilter("annotations['quality'] is not None", span)).toBe(true);
    expect(evaluateFilter("annotations['missing'] is None", span)).toBe(true);
    expect(evaluateFilter("annotations['quality'] is None", { annotations: { quality: null } })).toBe(true);
  });
});

describe('missing values: SQL three-valued logic', () => {
  it('makes every comparison with a missing value unknown', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(truth(`llm.missing ${op} 1`, span)).toBeNull();
      expect(truth(`1 ${op} llm.missing`, span)).toBeNull();
    }
    expect(truth("parent_id != 'x'", span)).toBeNull();
    expect(truth("parent_id == 'x'", span)).toBeNull();
    expect(evaluateFilter("parent_id != 'x'", span)).toBe(false);
  });

  it('treats JSON null like a missing attribute', () => {
    expect(truth('obj.nested == 1', span)).toBeNull();
    expect(evaluateFilter('obj.nested is None', span)).toBe(true);
    expect(evaluateFilter("attributes['obj'] is not None", span)).toBe(true);
  });

  it('keeps not over unknown unknown', () => {
    expect(truth("not (parent_id == 'x')", span)).toBeNull();
    expect(evaluateFilter("not (parent_id == 'x')", span)).toBe(false);
    expect(truth('not not (llm.missing == 1)', span)).toBeNull();
  });

  it('combines with Kleene and / or', () => {
    const T = "span_kind == 'LLM'";
    const F = "span_kind == 'TOOL'";
    const U = 'llm.missing == 1';
    const table: [string, boolean | null][] = [
      [`${T} and ${U}`, null],
      [`${F} and ${U}`, false],
      [`${U} and ${F}`, false],
      [`${U} and ${U}`, null],
      [`${T} or ${U}`, true],
      [`${U} or ${T}`, true],
      [`${F} or ${U}`, null],
      [`${U} or ${U}`, null],
      [`not (${F} or ${U})`, null],
      [`not (${F} and ${U})`, true],
    ];
    for (const [source, expected] of table) expect(truth(source, span), source).toBe(expected);
  });

  it('never makes is None / is not None unknown', () => {
    expect(truth('llm.missing is None', span)).toBe(true);
    expect(truth('llm.missing is not None', span)).toBe(false);
    expect(truth('parent_id is None', span)).toBe(true);
    expect(truth('status_message is None', span)).toBe(false);
  });

  it('makes in / not in unknown for a missing operand', () => {
    expect(truth("llm.missing in ['a']", span)).toBeNull();
    expect(truth("llm.missing not in ['a']", span)).toBeNull();
    expect(truth("'a' in llm.missing", span)).toBeNull();
    expect(truth("'a' not in llm.missing", span)).toBeNull();
    expect(truth("parent_id not in ['a']", span)).toBeNull();
  });

  it('propagates missing values through arithmetic', () => {
    expect(truth('llm.missing + 1 > 0', span)).toBeNull();
    expect(truth('-llm.missing < 0', span)).toBeNull();
    expect(evaluateFilter('(llm.missing * 2) is None', span)).toBe(true);
  });
});

describe('runtime types', () => {
  it('never coerces: a value of another type compares as unknown', () => {
    expect(truth("attributes['text_number'] == 42", span)).toBeNull();
    expect(truth("attributes['text_number'] != 42", span)).toBeNull();
    expect(evaluateFilter("attributes['text_number'] == '42'", span)).toBe(true);
    expect(truth("llm.token_count.total == '100'", span)).toBeNull();
    expect(truth("attributes['llm'] == 1", span)).toBeNull();
    expect(truth("attributes['text_number'] in [42]", span)).toBeNull();
    expect(truth('llm.flag == 1', span)).toBeNull();
  });

  it('does not order booleans held in attributes', () => {
    expect(truth('llm.flag > llm.off', span)).toBeNull();
    expect(evaluateFilter('llm.flag == True', span)).toBe(true);
    expect(evaluateFilter('llm.flag != llm.off', span)).toBe(true);
  });

  it('uses only real booleans as conditions', () => {
    expect(truth('llm.flag', span)).toBe(true);
    expect(truth('llm.off', span)).toBe(false);
    expect(truth('llm.model_name', span)).toBeNull();
    expect(truth('llm.missing', span)).toBeNull();
  });

  it('tests substrings case-sensitively and array membership by type', () => {
    expect(evaluateFilter("'Chat' in name", span)).toBe(true);
    expect(evaluateFilter("'chat' in name", span)).toBe(false);
    expect(evaluateFilter("'' in name", span)).toBe(true);
    expect(evaluateFilter("'a' in attributes['list']", span)).toBe(true);
    expect(evaluateFilter("1 in attributes['list']", span)).toBe(true);
    expect(evaluateFilter("True in attributes['list']", span)).toBe(true);
    expect(evaluateFilter("'1' in attributes['list']", span)).toBe(false);
    expect(evaluateFilter("'b' not in attributes['list']", span)).toBe(true);
    expect(truth("1 in attributes['text_number']", span)).toBeNull();
    expect(truth("'a' in attributes['llm']", span)).toBeNull();
    expect(evaluateFilter("'gpt' in llm.model_name", span)).toBe(true);
  });

  it('does true division and makes division by zero missing', () => {
    expect(
      evaluateFilter('cumulative_token_count.completion / cumulative_token_count.total == 0.4', span),
    ).toBe(true);
    expect(evaluateFilter('7 / 2 == 3.5', span)).toBe(true);
    expect(truth('latency_ms / 0 > 0', span)).toBeNull();
    expect(evaluateFilter('latency_ms / (cumulative_token_count.total - 100) is None', span)).toBe(true);
  });

  it('concatenates strings with +', () => {
    expect(evaluateFilter("span_kind + ':' + name == 'LLM:ChatCompletion'", span)).toBe(true);
    expect(truth("llm.token_count.total + 'x' == '100x'", span)).toBeNull();
  });

  it('compares strings by code unit', () => {
    expect(evaluateFilter("name < 'a'", span)).toBe(true);
    expect(evaluateFilter("name >= 'ChatCompletion'", span)).toBe(true);
  });
});

describe('createSpanPredicate', () => {
  it('filters an array of spans', () => {
    const spans: FilterSpan[] = [
      { span_id: 'a', span_kind: 'LLM' },
      { span_id: 'b', span_kind: 'TOOL' },
      { span_id: 'c' },
    ];
    expect(spans.filter(createSpanPredicate("span_kind != 'TOOL'")).map((s) => s.span_id)).toEqual(['a']);
    expect(spans.filter(createSpanPredicate('span_kind is None')).map((s) => s.span_id)).toEqual(['c']);
  });
});
