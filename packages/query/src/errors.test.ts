import { describe, expect, it } from 'vitest';
import { INVALID_FILTER_CASES } from './cases.js';
import { parseIsoDatetime, toEpochMillis } from './datetime.js';
import { locate, QueryError } from './errors.js';
import { parseFilter, validateFilter } from './filter.js';
import { closest, didYouMean, levenshtein } from './suggest.js';

function filterError(source: string): QueryError {
  try {
    parseFilter(source);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe('QueryError', () => {
  it('formats the message with the column and the hint', () => {
    const error = filterError("spam_kind == 'LLM'");
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('QueryError');
    expect(error.message).toBe("Unknown name 'spam_kind' at column 1. Did you mean 'span_kind'?");
    expect([error.position, error.line, error.column, error.length]).toEqual([0, 1, 1, 9]);
    expect(error.reason).toBe("Unknown name 'spam_kind'");
    expect(error.hint).toBe("Did you mean 'span_kind'?");
  });

  it('matches the documented example', () => {
    expect(filterError("span_kind == 'x' and").message).toBe(
      "Expected an expression after 'and' at column 18",
    );
  });

  it('serializes to plain data', () => {
    expect(JSON.parse(JSON.stringify(filterError('(a')))).toEqual({
      message: "Unclosed '(' at column 1",
      reason: "Unclosed '('",
      position: 0,
      line: 1,
      column: 1,
      length: 1,
      expected: ["')'"],
    });
  });
});

describe('validateFilter', () => {
  it('accepts a valid filter', () => {
    expect(validateFilter("span_kind == 'LLM' and latency_ms > 1000")).toEqual({ ok: true });
  });

  it('returns the error as data, as the user types', () => {
    const partial = "span_kind == 'LLM' and latency_ms >";
    const result = validateFilter(partial);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      reason: "Expected an expression after '>'",
      position: 34,
      column: 35,
      length: 1,
      expected: ['expression'],
    });
  });

  it('reports an empty filter', () => {
    expect(validateFilter('')).toMatchObject({
      ok: false,
      error: { reason: 'The filter is empty', column: 1, length: 0 },
    });
  });

  it('validates every prefix of a filter without throwing', () => {
    const full = "(span_kind in ['LLM', 'TOOL'] or 'err' in status_message) and not metadata['u'] == 1";
    for (let i = 0; i <= full.length; i++) {
      const result = validateFilter(full.slice(0, i));
      if (!result.ok) {
        expect(result.error.position).toBeGreaterThanOrEqual(0);
        expect(result.error.position).toBeLessThanOrEqual(i);
      }
    }
    expect(validateFilter(full)).toEqual({ ok: true });
  });
});

describe('INVALID_FILTER_CASES (shared table)', () => {
  it.each(INVALID_FILTER_CASES.map((c) => [JSON.stringify(c.expression), c] as const))('%s', (_, c) => {
    const error = filterError(c.expression);
    expect(error.message).toContain(c.message);
    expect(error.column).toBe(c.column);
    expect(error.line).toBe(c.line ?? 1);
    if (c.hint !== undefined) expect(error.hint).toContain(c.hint);
    expect(validateFilter(c.expression)).toMatchObject({ ok: false, error: { column: c.column } });
  });
});

describe('suggestions', () => {
  it('computes edit distances, counting a transposition as one edit', () => {
    expect(levenshtein('span_kind', 'spam_kind')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('lable', 'label')).toBe(1);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('picks the closest candidate within a third of the length', () => {
    expect(closest('spam_kind', ['name', 'span_kind'])).toBe('span_kind');
    expect(closest('NAME', ['name'])).toBe('name');
    expect(closest('xyz', ['name', 'span_kind'])).toBeUndefined();
    expect(didYouMean('latncy_ms', ['latency_ms'])).toBe("Did you mean 'latency_ms'?");
    expect(didYouMean('zzz', ['latency_ms'])).toBeUndefined();
  });
});

describe('positions and datetimes', () => {
  it('locates offsets as line and column', () => {
    expect(locate('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(locate('abc', 3)).toEqual({ line: 1, column: 4 });
    expect(locate('a\nbc', 3)).toEqual({ line: 2, column: 2 });
  });

  it('parses ISO 8601 dates and date-times', () => {
    expect(parseIsoDatetime('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(parseIsoDatetime('2024-05-01T10:20')).toBe(Date.UTC(2024, 4, 1, 10, 20));
    expect(parseIsoDatetime('2024-05-01 10:20:30.123456Z')).toBe(Date.UTC(2024, 4, 1, 10, 20, 30, 123));
    expect(parseIsoDatetime('2024-05-01T10:00:00-0130')).toBe(Date.UTC(2024, 4, 1, 11, 30));
    expect(parseIsoDatetime('2024-02-30')).toBeUndefined();
    expect(parseIsoDatetime('2024-05-01T24:00')).toBeUndefined();
    expect(parseIsoDatetime('May 1st')).toBeUndefined();
  });

  it('normalizes span times', () => {
    expect(toEpochMillis(new Date(5))).toBe(5);
    expect(toEpochMillis('1970-01-01T00:00:00.010Z')).toBe(10);
    expect(toEpochMillis(20)).toBe(20);
    expect(toEpochMillis(null)).toBeNull();
    expect(toEpochMillis(new Date('x'))).toBeNull();
    expect(toEpochMillis('not a date')).toBeNull();
  });
});
