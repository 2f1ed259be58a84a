import { describe, expect, it } from 'vitest';
import type { UiFilterVocabulary } from '../../api/types.js';
import { completeFilter } from './completions.js';
import { filterProblem, highlightRanges, insideString, problemRange } from './tokens.js';

const VOCABULARY: UiFilterVocabulary = {
  fields: [
    { name: 'span_kind', type: 'string' },
    { name: 'cost.total', type: 'number' },
  ],
  attributes: [{ path: 'llm.model_name', type: 'string' }],
  metadata: [{ key: "user's tier", type: 'string' }],
  span_annotation_names: ['correctness'],
  trace_annotation_names: ['resolved'],
  sampled_spans: 10,
};

describe('highlighting from the tokenizer', () => {
  it('classes every token', () => {
    const text = "span_kind == 'LLM' and cost.total > 0.5";
    const ranges = highlightRanges(text).map((r) => [text.slice(r.from, r.to), r.cls]);
    expect(ranges).toEqual([
      ['span_kind', 'name'],
      ['==', 'operator'],
      ["'LLM'", 'string'],
      ['and', 'keyword'],
      ['cost', 'name'],
      ['.', 'operator'],
      ['total', 'name'],
      ['>', 'operator'],
      ['0.5', 'number'],
    ]);
  });

  it('draws what the tokenizer refuses as invalid to the end', () => {
    const text = "name == 'abc";
    const last = highlightRanges(text).at(-1)!;
    expect([text.slice(last.from, last.to), last.cls]).toEqual(["'abc", 'invalid']);
  });
});

describe('errors at their characters', () => {
  it('underlines exactly the unknown name', () => {
    const text = "span_kind == 'LLM' and latncy_ms > 3";
    const problem = filterProblem(text)!;
    const { from, to } = problemRange(text, problem);
    expect(text.slice(from, to)).toBe('latncy_ms');
    expect(problem.hint).toContain('latency_ms');
  });

  it('marks the last character for an error at the end, and none for an empty filter', () => {
    const text = 'latency_ms > ';
    const { from, to } = problemRange(text, filterProblem(text)!);
    expect(text.slice(from, to)).toBe('>');
    expect(filterProblem('  ')).toBeNull();
  });

  it('knows when the cursor is inside a string', () => {
    expect(insideString("name == 'ab", 11)).toBe(true);
    expect(insideString("name == 'ab' and ", 17)).toBe(false);
  });
});

describe('completions', () => {
  it('offers fields, cost fields, attributes, metadata and annotations on a word', () => {
    const result = completeFilter('co', 2, VOCABULARY)!;
    expect(result.from).toBe(0);
    const labels = result.options.map((o) => o.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'span_kind',
        'cost.total',
        'llm.model_name',
        "metadata['user\\'s tier']",
        "annotations['correctness'].label",
        "annotations['correctness'].score",
        "trace_annotations['resolved'].label",
        'and',
      ]),
    );
  });

  it('completes an annotation name inside its brackets, closing them', () => {
    const text = "annotations['cor";
    const result = completeFilter(text, text.length, VOCABULARY)!;
    expect(result.from).toBe("annotations['".length);
    expect(result.options.map((o) => o.apply)).toEqual([
      "correctness'].label",
      "correctness'].score",
      "correctness'].explanation",
    ]);
    const trace = 'trace_annotations["';
    expect(completeFilter(trace, trace.length, VOCABULARY)!.options[0]!.apply).toBe('resolved"].label');
  });

  it('suggests nothing inside a string or after a finished operand', () => {
    expect(completeFilter("name == 'ab", 11, VOCABULARY)).toBeNull();
    expect(completeFilter("name == 'ab' ", 13, VOCABULARY)).toBeNull();
    expect(completeFilter("name == 'ab' ", 13, VOCABULARY, true)!.options.length).toBeGreaterThan(0);
  });
});
