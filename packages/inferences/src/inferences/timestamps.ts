import { parseDateTime } from '@fawkes/query';
import pl from 'nodejs-polars';
import { columnKind, describeDtype, timeZoneOf } from './dtypes.js';
import type { InferencesProblem } from './errors.js';

/** The microseconds, or (micros undefined) the problem that stopped the reading. */
export interface TimestampsResult {
  micros?: Float64Array;
  problems: InferencesProblem[];
}

/**
 * Phoenix's `normalize_timestamps`, to integer microseconds since the epoch (UTC), in the data's
 * order:
 * - numbers are Unix seconds;
 * - time-zone-aware datetimes keep their instant;
 * - naive datetimes, dates and ISO 8601 strings without an offset are wall-clock times of this
 *   machine's zone, read as Phoenix does with the machine's *current* UTC offset
 *   (`datetime.now().astimezone().tzinfo` is a fixed offset), not with the zone's rules at that
 *   date (so a naive time on the other side of a DST change is off by the DST hour, as in Phoenix);
 * - strings with an offset keep their instant.
 * Beyond Phoenix: a null or unreadable timestamp is an error naming its row (Phoenix kept NaT
 * rows, which no time range ever selects).
 */
export function readTimestamps(series: pl.Series, field = 'timestampColumnName'): TimestampsResult {
  const column = series.name;
  const kind = columnKind(series.dtype);
  const problem = (message: string, row?: number): TimestampsResult => ({
    problems: [
      { code: row === undefined ? 'wrong_column_type' : 'invalid_timestamp', field, column, message, row },
    ],
  });
  if (series.length === 0) return { micros: new Float64Array(0), problems: [] };
  if (kind === 'string') return readIsoStrings(series, field);
  if (kind !== 'int' && kind !== 'float' && kind !== 'datetime' && kind !== 'date') {
    return problem(
      `the timestamp column "${column}" must hold numbers (Unix seconds), datetimes or ISO 8601 strings, not ${describeDtype(series.dtype)}`,
    );
  }
  if (series.nullCount() > 0) {
    const row = series.isNull().argTrue().get(0) as number;
    return problem(`the timestamp column "${column}" has a null at row ${row}`, row);
  }
  let micros: Float64Array;
  if (kind === 'int' || kind === 'float') {
    micros = series.cast(pl.Float64).toTypedArray() as Float64Array;
    for (let i = 0; i < micros.length; i++) {
      const seconds = micros[i]!;
      if (!Number.isFinite(seconds))
        return problem(`the timestamp column "${column}" has ${seconds} at row ${i}`, i);
      micros[i] = Math.round(seconds * 1e6);
    }
    return { micros, problems: [] };
  }
  const naive = kind === 'date' || timeZoneOf(series.dtype) === null;
  // Through integer microseconds: a JS Date would drop them.
  micros = series.cast(pl.Datetime('us')).cast(pl.Int64).cast(pl.Float64).toTypedArray() as Float64Array;
  if (naive) {
    const offset = localOffsetMicros();
    for (let i = 0; i < micros.length; i++) micros[i] = micros[i]! - offset;
  }
  return { micros, problems: [] };
}

function readIsoStrings(series: pl.Series, field: string): TimestampsResult {
  const column = series.name;
  const texts = series.toArray() as (string | null)[];
  const micros = new Float64Array(texts.length);
  const offset = localOffsetMicros();
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    const parsed = text == null ? null : parseDateTime(text.trim());
    if (!parsed) {
      const what = text == null ? 'a null' : `${JSON.stringify(text)}, which is not an ISO 8601 datetime`;
      return {
        problems: [
          {
            code: 'invalid_timestamp',
            field,
            column,
            row: i,
            message: `the timestamp column "${column}" has ${what} at row ${i}`,
          },
        ],
      };
    }
    micros[i] = parsed.timezoneAware ? parsed.micros : parsed.micros - offset;
  }
  return { micros, problems: [] };
}

/** This machine's UTC offset now, in microseconds (positive east of Greenwich). */
export function localOffsetMicros(): number {
  return -new Date().getTimezoneOffset() * 60_000_000;
}

/** Microseconds as a polars Datetime(us, UTC) column. */
export function microsSeries(name: string, micros: Float64Array): pl.Series {
  return pl.Series(name, micros, pl.Float64).cast(pl.Int64).cast(pl.Datetime('us', 'UTC'));
}
