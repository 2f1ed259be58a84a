import { describe, expect, it } from 'vitest';
import { ALL_SPAN_IDS, FILTER_CASES, FIXTURE_SPANS, INVALID_FILTER_CASES } from './cases.js';
import { evaluateFilter } from './evaluate.js';
import { parseFilter } from './filter.js';

describe('shared filter cases through the in-memory evaluator', () => {
  it.each(FILTER_CASES.map((c) => [c.expression, c] as const))('%s', (_, c) => {
    const filter = parseFilter(c.expression);
    const matched = FIXTURE_SPANS.filter((span) => evaluateFilter(filter, span)).map((span) => span.span_id);
    expect(matched).toEqual(c.matches);
  });
});

describe('the shared tables themselves', () => {
  it('have unique span ids and expressions', () => {
    expect(new Set(ALL_SPAN_IDS).size).toBe(FIXTURE_SPANS.length);
    expect(new Set(FILTER_CASES.map((c) => c.expression)).size).toBe(FILTER_CASES.length);
    expect(new Set(INVALID_FILTER_CASES.map((c) => c.expression)).size).toBe(INVALID_FILTER_CASES.length);
  });

  it('list expected ids that exist, in fixture order', () => {
    for (const c of FILTER_CASES) {
      const ordered = ALL_SPAN_IDS.filter((id) => c.matches.includes(id));
      expect(c.matches, c.expression).toEqual(ordered);
    }
  });

  it('cover matching nothing, everything, and something in between', () => {
    const sizes = new Set(FILTER_CASES.map((c) => c.matches.length));
    expect(sizes.has(0)).toBe(true);
    expect(sizes.has(FIXTURE_SPANS.length)).toBe(true);
    expect(FILTER_CASES.length).toBeGreaterThanOrEqual(50);
  });

  it('are plain JSON data (a SQL test can load them anywhere)', () => {
    const roundTrip = JSON.parse(JSON.stringify({ FIXTURE_SPANS, FILTER_CASES, INVALID_FILTER_CASES }));
    expect(roundTrip.FIXTURE_SPANS).toEqual(FIXTURE_SPANS);
    expect(roundTrip.FILTER_CASES).toEqual(FILTER_CASES);
  });
});
