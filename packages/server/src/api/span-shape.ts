import { SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import type { JsonValue } from '../model/span-record.js';
import { parseJsonColumn } from '../store/repositories/json.js';
import type { SpanRow } from '../store/repositories/spans.js';
import { isoFromMicros } from './datetime.js';
import { encodeGlobalId } from './global-id.js';

/** Spans on the wire: Phoenix's shape (flattened attributes) and the OTLP/JSON-like `otlpv1` one. */

type Json = JsonValue | undefined;

const isObject = (v: Json): v is { [key: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Nested attributes back to dotted keys, as Phoenix's `flatten(..., recurse_on_sequence=True)`:
 * objects are walked; a list holding objects is walked by index (`llm.input_messages.0.message.role`),
 * other lists stay values; nulls and empty objects disappear.
 */
export function flattenAttributes(
  value: JsonValue,
  prefix = '',
  out: [string, JsonValue][] = [],
): [string, JsonValue][] {
  if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isObject(v) || Array.isArray(v)) flattenAttributes(v, path, out);
      else if (v !== null) out.push([path, v]);
    }
  } else if (Array.isArray(value)) {
    if (!value.some(isObject)) out.push([prefix, value]);
    else
      for (const [i, v] of value.entries()) {
        if (isObject(v)) flattenAttributes(v, `${prefix}.${i}`, out);
      }
  }
  return out;
}

interface StoredEvent {
  name?: string;
  timestamp?: string;
  attributes?: { [key: string]: JsonValue };
}

const SPAN_KIND_KEY = SemanticConventions.OPENINFERENCE_SPAN_KIND;

export function toPhoenixSpan(row: SpanRow) {
  const attributes = Object.fromEntries(flattenAttributes(parseJsonColumn<JsonValue>(row.attributes)));
  const kind = attributes[SPAN_KIND_KEY];
  delete attributes[SPAN_KIND_KEY];
  const events = parseJsonColumn<StoredEvent[]>(row.events) ?? [];
  return {
    id: encodeGlobalId('Span', row.id),
    name: row.name,
    context: { trace_id: row.trace_id, span_id: row.span_id },
    span_kind: typeof kind === 'string' ? kind : row.span_kind,
    parent_id: row.parent_id,
    start_time: isoFromMicros(row.start_time),
    end_time: isoFromMicros(row.end_time),
    status_code: row.status_code,
    status_message: row.status_message ?? '',
    attributes,
    events: events.map((e) => ({
      name: e.name ?? '',
      timestamp: e.timestamp,
      attributes: e.attributes ?? {},
    })),
  };
}

const STATUS_CODES: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

/** An OTLP AnyValue, as Phoenix converts attribute values (mixed lists become strings). */
export function toAnyValue(value: JsonValue): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value === 'boolean') return { bool_value: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { int_value: value } : { double_value: value };
  if (typeof value === 'string') return { string_value: value };
  if (Array.isArray(value)) {
    const items = value.map((v) => (Array.isArray(v) ? JSON.stringify(v) : v));
    const kinds = new Set(
      items.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? 'float' : typeof v)),
    );
    const values =
      kinds.size <= 1
        ? items.map(toAnyValue)
        : items.map((v) => ({ string_value: typeof v === 'string' ? v : JSON.stringify(v) }));
    return { array_value: { values } };
  }
  return {};
}

const keyValues = (attributes: JsonValue) =>
  flattenAttributes(attributes).map(([key, value]) => ({ key, value: toAnyValue(value) }));

/** Nanoseconds as a decimal string (OTLP/JSON's form for 64-bit integers: exact, unlike a double). */
const nanos = (micros: number) => (micros === 0 ? '0' : `${micros}000`);

function eventNanos(timestamp: string | undefined): string | null {
  if (!timestamp) return null;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return null;
  const fraction = /\.(\d+)/.exec(timestamp)?.[1] ?? '';
  const micros = Math.floor(ms / 1000) * 1_000_000 + Number(fraction.slice(0, 6).padEnd(6, '0'));
  return nanos(micros);
}

export function toOtlpSpan(row: SpanRow) {
  const events = parseJsonColumn<StoredEvent[]>(row.events) ?? [];
  return {
    trace_id: row.trace_id,
    span_id: row.span_id,
    parent_span_id: row.parent_id,
    name: row.name,
    kind: 'SPAN_KIND_INTERNAL',
    start_time_unix_nano: nanos(row.start_time),
    end_time_unix_nano: nanos(row.end_time),
    attributes: keyValues(parseJsonColumn<JsonValue>(row.attributes)),
    events:
      events.length === 0
        ? null
        : events.map((e) => ({
            name: e.name ?? null,
            attributes: keyValues(e.attributes ?? {}),
            time_unix_nano: eventNanos(e.timestamp),
            dropped_attributes_count: null,
          })),
    status: { code: STATUS_CODES[row.status_code] ?? 0, message: row.status_message || null },
    dropped_attributes_count: null,
    dropped_events_count: null,
    dropped_links_count: null,
    flags: null,
    links: null,
    trace_state: null,
  };
}
