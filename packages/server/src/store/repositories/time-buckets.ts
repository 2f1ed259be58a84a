import { type RawBuilder, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';

/** The widths a metric series is bucketed by, as Phoenix's `TimeBinScale` (UTC; weeks start on Monday). */
export const BUCKETS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

const MINUTE = 60_000_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Phoenix's constants: a month of 30 days, a year of 365. */
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const FIRST_MONDAY = 4 * DAY;

const FIXED_WIDTH: Partial<Record<Bucket, number>> = { minute: MINUTE, hour: HOUR, day: DAY, week: WEEK };

/**
 * The bucket for a range as Phoenix's metrics page picks it (`getTimeBinScale`): the largest unit
 * that the range holds more than five of; a day when the range has no start.
 */
export function chooseBucket(startMicros: number | null, endMicros: number): Bucket {
  if (startMicros === null) return 'day';
  const duration = endMicros - startMicros;
  if (duration > 5 * YEAR) return 'year';
  if (duration > 5 * MONTH) return 'month';
  if (duration > 5 * WEEK) return 'week';
  if (duration > 5 * DAY) return 'day';
  if (duration > 5 * HOUR) return 'hour';
  return 'minute';
}

/** The start of the bucket holding `micros`. */
export function bucketStart(micros: number, bucket: Bucket): number {
  const width = FIXED_WIDTH[bucket];
  if (width !== undefined) {
    const origin = bucket === 'week' ? FIRST_MONDAY : 0;
    return Math.floor((micros - origin) / width) * width + origin;
  }
  const date = new Date(Math.floor(micros / 1000));
  const month = bucket === 'month' ? date.getUTCMonth() : 0;
  return Date.UTC(date.getUTCFullYear(), month, 1) * 1000;
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, bucket: Bucket): number {
  const width = FIXED_WIDTH[bucket];
  if (width !== undefined) return start + width;
  const date = new Date(start / 1000);
  const year = date.getUTCFullYear() + (bucket === 'year' ? 1 : 0);
  const month = date.getUTCMonth() + (bucket === 'month' ? 1 : 0);
  return Date.UTC(year, month, 1) * 1000;
}

/** The starts of the buckets that meet [start, end), or null when there would be more than `max`. */
export function bucketStarts(start: number, end: number, bucket: Bucket, max: number): number[] | null {
  const starts: number[] = [];
  for (let t = bucketStart(start, bucket); t < end; t = nextBucket(t, bucket)) {
    if (starts.length === max) return null;
    starts.push(t);
  }
  return starts;
}

/**
 * SQL for the bucket of a micros column: the bucket's start in micros for fixed widths, or a
 * calendar key (YYYYMM, YYYY) that `bucketKeyToMicros` turns into one. Constants are ours, so inlined.
 */
export function bucketSql(
  dialect: SqlDialect,
  column: RawBuilder<unknown>,
  bucket: Bucket,
): RawBuilder<number> {
  const width = FIXED_WIDTH[bucket];
  if (width !== undefined) {
    const origin = bucket === 'week' ? FIRST_MONDAY : 0;
    return sql<number>`((${column} - ${sql.lit(origin)}) / ${sql.lit(width)} * ${sql.lit(width)} + ${sql.lit(origin)})`;
  }
  const seconds = sql`(${column} / 1000000)`;
  if (dialect === 'sqlite') {
    const format = bucket === 'month' ? '%Y%m' : '%Y';
    return sql<number>`cast(strftime(${sql.lit(format)}, ${seconds}, 'unixepoch') as integer)`;
  }
  const format = bucket === 'month' ? 'YYYYMM' : 'YYYY';
  return sql<number>`cast(to_char(to_timestamp(${seconds}) at time zone 'UTC', ${sql.lit(format)}) as integer)`;
}

/** The bucket start (micros) of a value `bucketSql` returned. */
export function bucketKeyToMicros(key: number, bucket: Bucket): number {
  if (bucket === 'month') return Date.UTC(Math.floor(key / 100), (key % 100) - 1, 1) * 1000;
  if (bucket === 'year') return Date.UTC(key, 0, 1) * 1000;
  return key;
}
