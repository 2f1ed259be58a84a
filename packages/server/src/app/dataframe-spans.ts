/**
 * A DataFrame of spans in Phoenix's columns → `SpanRecord`s, through the same validation and
 * normalization as OTLP ingest (`ingest/normalize.ts`), so a span loaded from a dataset is stored
 * exactly as if an exporter had sent it. Phoenix's `TraceDataset.to_spans()` does this job.
 */
import { SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import type pl from 'nodejs-polars';
import { OtlpDecodeError } from '../ingest/errors.js';
import { normalizeRequest, type RawEvent, type RawKeyValue, type RawSpan } from '../ingest/normalize.js';
import type { JsonValue, SpanRecord } from '../model/span-record.js';
import { microsFromInstant } from '../span-query/index.js';
import { type JsonRow, jsonRowsFromDataframe } from './json-dataframe.js';
import { ATTRIBUTES_PREFIX, SPAN_ID, TRACE_ID } from './spans-dataframe.js';

/** What a DataFrame of spans must have, as Phoenix's TraceDataset requires. */
export const REQUIRED_SPAN_COLUMNS = [
  'name',
  'span_kind',
  'parent_id',
  'start_time',
  'end_time',
  'status_code',
  'status_message',
  SPAN_ID,
  TRACE_ID,
] as const;

export class SpanDataError extends Error {}

const STATUS_CODES: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };
const SPAN_KIND_KEY = SemanticConventions.OPENINFERENCE_SPAN_KIND;

export function missingSpanColumns(df: pl.DataFrame): string[] {
  return REQUIRED_SPAN_COLUMNS.filter((c) => !df.columns.includes(c));
}

/**
 * The leaf key/value pairs of a (possibly nested) value under `key`, as OTLP attributes carry them:
 * objects and lists of objects are spread into dotted keys (`llm.input_messages.0.message.role`),
 * lists of scalars stay lists, nulls are dropped. `ingest/unflatten.ts` nests them back.
 */
function flatten(key: string, value: unknown, out: RawKeyValue[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object' || Array.isArray(v))) {
      out.push({ key, value: value as JsonValue });
      return;
    }
    value.forEach((v, i) => {
      flatten(`${key}.${i}`, v, out);
    });
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(key === '' ? k : `${key}.${k}`, v, out);
    return;
  }
  out.push({ key, value: value as JsonValue });
}

function text(row: JsonRow, column: string, { optional = false } = {}): string {
  const value = row[column];
  if (typeof value === 'string') return value;
  if ((value === null || value === undefined) && optional) return '';
  throw new SpanDataError(`${column} must be a string, got ${JSON.stringify(value ?? null)}`);
}

/** Datetime columns arrive as epoch μs (json-dataframe.ts); ISO 8601 strings are accepted too. */
function time(value: unknown, column: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    try {
      return microsFromInstant(value);
    } catch {
      // reported below
    }
  }
  throw new SpanDataError(
    `${column} must be a datetime (or an ISO 8601 string with a time zone), got ${JSON.stringify(value ?? null)}`,
  );
}

function events(value: unknown): RawEvent[] {
  if (value === null || value === undefined) return [];
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) throw new SpanDataError('events must be a list of {name, timestamp, attributes}');
  return list.map((event: unknown, i) => {
    if (event === null || typeof event !== 'object') {
      throw new SpanDataError(`events[${i}] must be an object {name, timestamp, attributes}`);
    }
    const e = event as { name?: unknown; timestamp?: unknown; attributes?: unknown };
    const attributes: RawKeyValue[] = [];
    flatten('', e.attributes, attributes);
    return {
      name: typeof e.name === 'string' ? e.name : '',
      time: time(e.timestamp, `events[${i}].timestamp`),
      attributes,
    };
  });
}

function rawSpan(row: JsonRow): RawSpan {
  const attributes: RawKeyValue[] = [];
  for (const [column, value] of Object.entries(row)) {
    if (column.startsWith(ATTRIBUTES_PREFIX))
      flatten(column.slice(ATTRIBUTES_PREFIX.length), value, attributes);
  }
  const kind = row.span_kind;
  if (typeof kind === 'string' && kind !== '' && !attributes.some((a) => a.key === SPAN_KIND_KEY)) {
    attributes.push({ key: SPAN_KIND_KEY, value: kind });
  }
  const status = text(row, 'status_code', { optional: true }).toUpperCase() || 'UNSET';
  const statusCode = STATUS_CODES[status];
  if (statusCode === undefined) {
    throw new SpanDataError(`status_code must be UNSET, OK or ERROR, got ${JSON.stringify(row.status_code)}`);
  }
  const parent = row.parent_id;
  return {
    traceId: text(row, TRACE_ID),
    spanId: text(row, SPAN_ID),
    parentSpanId: parent === null || parent === undefined ? '' : text(row, 'parent_id'),
    name: text(row, 'name'),
    startTime: time(row.start_time, 'start_time'),
    endTime: time(row.end_time, 'end_time'),
    attributes,
    events: events(row.events),
    statusCode,
    statusMessage: text(row, 'status_message', { optional: true }),
  };
}

/** Drops normalize's OTLP-shaped location ("span "x" (resourceSpans[0]…): "); we name the row instead. */
function problem(error: OtlpDecodeError): string {
  return error.message.replace(/^span .*? \(resourceSpans\[\d+\]\.scopeSpans\[\d+\]\.spans\[\d+\]\): /s, '');
}

/** The rows of `df` in both forms: as a collector decodes them (for OTLP) and as they are stored. */
export interface DatasetSpans {
  raw: RawSpan[];
  records: SpanRecord[];
}

/**
 * Every row of `df` as a span of `projectName`. Throws SpanDataError naming the first bad row (its
 * position and span id) and what is wrong with it.
 */
export function datasetSpans(df: pl.DataFrame, projectName: string): DatasetSpans {
  const missing = missingSpanColumns(df);
  if (missing.length > 0) {
    throw new SpanDataError(`The spans DataFrame lacks the column(s) ${missing.join(', ')}`);
  }
  const options = { projectOverride: projectName, defaultProject: projectName };
  const raw: RawSpan[] = [];
  const records: SpanRecord[] = [];
  jsonRowsFromDataframe(df).forEach((row, i) => {
    try {
      const span = rawSpan(row);
      const [record] = normalizeRequest(
        [{ resourceAttributes: [], scopeSpans: [{ spans: [span] }] }],
        options,
      );
      raw.push(span);
      records.push(record!);
    } catch (error) {
      if (
        !(error instanceof SpanDataError || error instanceof OtlpDecodeError || error instanceof SyntaxError)
      ) {
        throw error;
      }
      const message = error instanceof OtlpDecodeError ? problem(error) : error.message;
      throw new SpanDataError(
        `Span row ${i} (${SPAN_ID} ${JSON.stringify(row[SPAN_ID] ?? null)}): ${message}`,
      );
    }
  });
  return { raw, records };
}
