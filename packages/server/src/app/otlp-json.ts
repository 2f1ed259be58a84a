/**
 * Spans in the decoders' intermediate form (`RawSpan`) as an OTLP/JSON ExportTraceServiceRequest:
 * how a TraceDataset reaches the store, through the same collector and writer as any exporter's
 * spans (acknowledged once committed; duplicates ignored, so loading a dataset twice is harmless).
 */
import type { RawKeyValue, RawSpan } from '../ingest/normalize.js';
import type { JsonValue } from '../model/span-record.js';

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };

function anyValue(value: JsonValue): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => anyValue(v)) } };
  // Objects never reach here (they are spread into dotted keys); keep their text rather than fail.
  return { stringValue: JSON.stringify(value) };
}

const keyValues = (pairs: readonly RawKeyValue[]) =>
  pairs.filter((p) => p.value !== null).map((p) => ({ key: p.key, value: anyValue(p.value) }));

/** Microseconds as an OTLP fixed64 of nanoseconds (a decimal string: beyond 2^53 as a number). */
const nanos = (micros: number) => (micros === 0 ? '0' : `${micros}000`);

/** One span as OTLP/JSON text, to be joined into requests by `otlpJsonRequest`. */
export function otlpJsonSpan(s: RawSpan): string {
  return JSON.stringify({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    attributes: keyValues(s.attributes),
    events: s.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: keyValues(e.attributes),
    })),
    status: { code: s.statusCode, message: s.statusMessage },
  });
}

const REQUEST_HEAD =
  '{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"fawkes.trace-dataset"},"spans":[';
const REQUEST_TAIL = ']}]}]}';

/** The bytes a request of these spans (from `otlpJsonSpan`) takes, within a few. */
export const requestOverhead = REQUEST_HEAD.length + REQUEST_TAIL.length;

/** An ExportTraceServiceRequest of spans already encoded by `otlpJsonSpan`. */
export function otlpJsonRequest(encodedSpans: readonly string[]): Uint8Array {
  return Buffer.from(REQUEST_HEAD + encodedSpans.join(',') + REQUEST_TAIL);
}
