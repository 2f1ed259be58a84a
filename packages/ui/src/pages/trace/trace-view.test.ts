import { describe, expect, it } from 'vitest';
import type { UiSpanDetail } from '../../api/types.js';
import { toolDefinitions } from './llm-tools.js';
import { foldHistory } from './message-history.js';
import { matchingSpans, stepMatch, withAncestors } from './trace-search.js';

function span(id: string, parent: string | null, name: string, attributes: Record<string, unknown> = {}) {
  return {
    span_id: id,
    parent_id: parent,
    name,
    span_kind: 'CHAIN',
    status_message: '',
    attributes,
  } as UiSpanDetail;
}

const spans = [
  span('a', null, 'agent'),
  span('b', 'a', 'retrieve', {
    retrieval: { documents: [{ document: { content: 'SQLite or PostgreSQL' } }] },
  }),
  span('c', 'a', 'ChatCompletion', { llm: { model_name: 'gpt-4o-mini' } }),
  span('d', 'c', 'search_docs', { tool: { name: 'search_docs' } }),
];

describe('search inside a trace', () => {
  it('matches names and attribute text, case-insensitively, in tree order', () => {
    expect(matchingSpans(spans, 'postgresql').map((s) => s.span_id)).toEqual(['b']);
    expect(matchingSpans(spans, 'SEARCH_docs').map((s) => s.span_id)).toEqual(['d']);
    expect(matchingSpans(spans, 'GPT-4o').map((s) => s.span_id)).toEqual(['c']);
    expect(matchingSpans(spans, 'model_name').map((s) => s.span_id)).toEqual(['c']);
    expect(matchingSpans(spans, '  ')).toEqual([]);
    expect(matchingSpans(spans, 'nowhere')).toEqual([]);
  });

  it('keeps the ancestors of the matches for the filtered tree', () => {
    expect([...withAncestors(spans, matchingSpans(spans, 'search_docs'))].sort()).toEqual(['a', 'c', 'd']);
    expect(withAncestors(spans, []).size).toBe(0);
  });

  it('steps through the matches, wrapping around', () => {
    expect(stepMatch(3, -1, 1)).toBe(0);
    expect(stepMatch(3, -1, -1)).toBe(2);
    expect(stepMatch(3, 2, 1)).toBe(0);
    expect(stepMatch(3, 0, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
});

describe('long message histories', () => {
  it('shows short histories whole', () => {
    expect(foldHistory([1, 2, 3, 4])).toEqual({ head: [1, 2, 3, 4], hidden: [], tail: [] });
  });
  it('shows the first and the last of a long one, the rest hidden', () => {
    expect(foldHistory([1, 2, 3, 4, 5, 6])).toEqual({ head: [1], hidden: [2, 3, 4, 5], tail: [6] });
  });
});

describe('tool definitions', () => {
  it("reads OpenAI's, Anthropic's and bare shapes", () => {
    const tools = toolDefinitions([
      {
        tool: {
          json_schema: JSON.stringify({
            type: 'function',
            function: { name: 'search_docs', description: 'Search', parameters: { type: 'object' } },
          }),
        },
      },
      { tool: { json_schema: { name: 'weather', input_schema: { type: 'object', required: ['city'] } } } },
      { tool: { json_schema: 'not json' } },
    ]);
    expect(tools.map((t) => [t.name, t.description])).toEqual([
      ['search_docs', 'Search'],
      ['weather', null],
      [null, null],
    ]);
    expect(tools[0]!.parameters).toEqual({ type: 'object' });
    expect(tools[1]!.parameters).toEqual({ type: 'object', required: ['city'] });
    expect(tools[2]!.schema).toBe('not json');
  });
});
