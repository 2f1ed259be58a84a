import { describe, expect, it } from 'vitest';
import { isoFromMicros, parseDateTime } from './datetime.js';

const micros = (iso: string) => Date.parse(iso) * 1000;

describe('datetimes', () => {
  it('prints isoformat(): offset always, microseconds only when non-zero', () => {
    expect(isoFromMicros(micros('2024-01-01T00:00:00Z'))).toBe('2024-01-01T00:00:00+00:00');
    expect(isoFromMicros(micros('2024-01-01T00:00:00Z') + 123_456)).toBe('2024-01-01T00:00:00.123456+00:00');
  });

  it('reads ISO 8601 with any offset, and naive times as UTC', () => {
    expect(parseDateTime('2024-01-01T00:00:00+00:00')).toEqual({
      micros: micros('2024-01-01T00:00:00Z'),
      timezoneAware: true,
    });
    expect(parseDateTime('2024-01-01T01:00:00.5+01:00')?.micros).toBe(
      micros('2024-01-01T00:00:00Z') + 500_000,
    );
    expect(parseDateTime('2024-01-01T00:00:00.123Z')?.micros).toBe(micros('2024-01-01T00:00:00.123Z'));
    expect(parseDateTime('2024-01-01 00:00:00')).toEqual({
      micros: micros('2024-01-01T00:00:00Z'),
      timezoneAware: false,
    });
    expect(parseDateTime('2024-01-01')?.micros).toBe(micros('2024-01-01T00:00:00Z'));
    expect(parseDateTime('2024-01-01T00:00:00-0530')?.micros).toBe(micros('2024-01-01T05:30:00Z'));
  });

  it('reads the years 1 to 99 as written (not as 1901 to 1999), as Python does', () => {
    // Date.parse reads 4-digit ISO years as written.
    expect(parseDateTime('0050-03-01T12:00:00+00:00')?.micros).toBe(micros('0050-03-01T12:00:00Z'));
    expect(parseDateTime('0001-01-01')?.micros).toBe(micros('0001-01-01T00:00:00Z'));
  });

  it('rejects what is not a datetime', () => {
    for (const text of [
      '',
      '0000-01-01T00:00:00Z',
      'yesterday',
      '2024-13-01T00:00:00Z',
      '2024-02-30',
      '2024-01-01T25:00:00Z',
      '1700000000',
    ]) {
      expect(parseDateTime(text)).toBeNull();
    }
  });
});
