import { describe, expect, it } from 'vitest';
import { bucketKeyToMicros, bucketStart, bucketStarts, chooseBucket, nextBucket } from './time-buckets.js';

const us = (iso: string) => Date.parse(iso) * 1000;
const HOUR = 3_600_000_000;

describe('time buckets', () => {
  it('chooses the largest unit the range holds more than five of, a day without a start', () => {
    const start = us('2024-01-01T00:00:00Z');
    expect(chooseBucket(start, start + 5 * HOUR)).toBe('minute');
    expect(chooseBucket(start, start + 5 * HOUR + 1)).toBe('hour');
    expect(chooseBucket(start, start + 5 * 24 * HOUR + 1)).toBe('day');
    expect(chooseBucket(start, start + 36 * 24 * HOUR)).toBe('week');
    expect(chooseBucket(start, start + 151 * 24 * HOUR)).toBe('month');
    expect(chooseBucket(start, start + 5 * 366 * 24 * HOUR)).toBe('year');
    expect(chooseBucket(null, start)).toBe('day');
  });

  it('floors to minutes, Monday weeks and calendar months and years (UTC)', () => {
    const t = us('2024-02-29T13:45:30.5Z');
    expect(bucketStart(t, 'minute')).toBe(us('2024-02-29T13:45:00Z'));
    expect(bucketStart(t, 'hour')).toBe(us('2024-02-29T13:00:00Z'));
    expect(bucketStart(t, 'day')).toBe(us('2024-02-29T00:00:00Z'));
    expect(bucketStart(t, 'week')).toBe(us('2024-02-26T00:00:00Z'));
    expect(bucketStart(t, 'month')).toBe(us('2024-02-01T00:00:00Z'));
    expect(bucketStart(t, 'year')).toBe(us('2024-01-01T00:00:00Z'));
    expect(nextBucket(us('2024-12-01T00:00:00Z'), 'month')).toBe(us('2025-01-01T00:00:00Z'));
    expect(bucketKeyToMicros(202412, 'month')).toBe(us('2024-12-01T00:00:00Z'));
    expect(bucketKeyToMicros(2024, 'year')).toBe(us('2024-01-01T00:00:00Z'));
  });

  it('lists the buckets meeting [start, end), or null past the maximum', () => {
    const start = us('2024-01-01T00:30:00Z');
    expect(bucketStarts(start, start + 2 * HOUR, 'hour', 10)).toEqual([
      us('2024-01-01T00:00:00Z'),
      us('2024-01-01T01:00:00Z'),
      us('2024-01-01T02:00:00Z'),
    ]);
    expect(bucketStarts(start, start + 2 * HOUR, 'hour', 2)).toBeNull();
  });
});
