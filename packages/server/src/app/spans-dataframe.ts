/**
 * Spans as a polars DataFrame with Phoenix's column names, as `get_spans_dataframe` returns them
 * (one row per span; `context.span_id` first, since polars has no index):
 *
 * | column | type |
 * |---|---|
 * | `context.span_id`, `context.trace_id`, `parent_id`, `name`, `span_kind`, `status_code`, `status_message` | String |
 * | `start_time`, `end_time` | Datetime(μs, UTC) |
 * | `events` | List(Struct{name, timestamp (ISO 8601 string), attributes}) |
 * | `attributes.<dotted.path>` | Int64 / Float64 / String / Bool / List / Struct / List(Struct), by value |
 *
 * Nested attribute values (`attributes.llm.input_messages`, `attributes.metadata`, …) are polars
 * lists and structs rather than JSON text, so they survive Parquet and reach Python users of the same
 * files as lists of dicts; a column whose values disagree in kind falls back to String (JSON text),
 * see json-dataframe.ts.
 */
import pl from 'nodejs-polars';
import { microsFromInstant } from '../span-query/index.js';
import { dataframeFromJsonRows, type JsonRow } from './json-dataframe.js';

export const SPAN_ID = 'context.span_id';
export const TRACE_ID = 'context.trace_id';
export const ATTRIBUTES_PREFIX = 'attributes.';

/** Phoenix's span columns before the `attributes.*` ones. */
export const SPAN_COLUMNS = [
  SPAN_ID,
  'name',
  'span_kind',
  'parent_id',
  'start_time',
  'end_time',
  'status_code',
  'status_message',
  'events',
  TRACE_ID,
] as const;

const TIME_COLUMNS = ['start_time', 'end_time'] as const;
const STRING_COLUMNS = SPAN_COLUMNS.filter((c) => c !== 'events' && !TIME_COLUMNS.includes(c as never));
const SPAN_TIME = pl.Datetime('us', 'UTC');

/** A row as the span query returns it: Phoenix's column names; times as ISO 8601 or epoch μs. */
export type SpanRow = JsonRow;

function micros(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return microsFromInstant(value);
  } catch {
    return null;
  }
}

/** The spans DataFrame of `rows` (see the module comment for its columns). */
export function spansDataframe(rows: readonly SpanRow[]): pl.DataFrame {
  const prepared = rows.map((row) => {
    const out = { ...row };
    for (const c of TIME_COLUMNS) if (c in out) out[c] = micros(out[c]);
    return out;
  });
  const df = dataframeFromJsonRows(prepared, SPAN_COLUMNS);
  const attributeColumns = df.columns.filter((c) => !(SPAN_COLUMNS as readonly string[]).includes(c));
  return df
    .withColumns(
      ...STRING_COLUMNS.map((c) => pl.col(c).cast(pl.Utf8)),
      ...TIME_COLUMNS.map((c) => pl.col(c).cast(pl.Int64).cast(SPAN_TIME)),
    )
    .select(...SPAN_COLUMNS, ...attributeColumns);
}
