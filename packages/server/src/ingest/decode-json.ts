/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest` (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding)
 * into the shared intermediate (`RawResourceSpans[]`).
 *
 * Accepted: lowerCamelCase field names and their snake_case forms; trace / span ids as hex strings;
 * 64-bit integers as decimal strings or JSON numbers; enums as integers (status codes also by name,
 * e.g. "STATUS_CODE_ERROR"); AnyValue as {stringValue | boolValue | intValue | doubleValue |
 * arrayValue{values} | kvlistValue{values} | bytesValue (base64)}; doubles also as "NaN",
 * "Infinity", "-Infinity". `null` means absent. Unknown fields are ignored.
 */
import type { JsonObject, JsonValue } from '../model/span-record.js';
import { MAX_VALUE_DEPTH } from './decode-protobuf.js';
import { INVALID_REQUEST, OtlpDecodeError } from './errors.js';
import {
  doubleToJson,
  type RawEvent,
  type RawKeyValue,
  type RawResourceSpans,
  type RawScopeSpans,
  type RawSpan,
} from './normalize.js';
import { setKey } from './unflatten.js';

type Obj = { [key: string]: unknown };

/** A malformed-document problem; the caller adds where. */
class JsonProblem extends Error {}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The field under its lowerCamelCase name, else its snake_case name; undefined when absent or null. */
function field(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  if (v !== undefined && v !== null) return v;
  const s = o[snake];
  return s === null ? undefined : s;
}

function asObj(v: unknown, what: string): Obj | undefined {
  if (v === undefined) return undefined;
  if (isObj(v)) return v;
  throw new JsonProblem(`${what} must be an object (got ${describe(v)})`);
}

function asArray(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new JsonProblem(`${what} must be an array (got ${describe(v)})`);
}

function asString(v: unknown, what: string): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  throw new JsonProblem(`${what} must be a string (got ${describe(v)})`);
}

const UINT_RE = /^[0-9]+$/;
const INT_RE = /^-?[0-9]+$/;

/** A fixed64 of nanoseconds (decimal string or number) → microseconds (floor). */
function asTimeMicros(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'string' && UINT_RE.test(v)) return v.length <= 3 ? 0 : Number(v.slice(0, -3));
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return Math.floor(v / 1000);
  throw new JsonProblem(`${what} must be a non-negative integer of nanoseconds (got ${describe(v)})`);
}

const STATUS_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

function asStatusCode(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const named = STATUS_NAMES[v];
    if (named !== undefined) return named;
    if (INT_RE.test(v)) return Number(v);
  }
  throw new JsonProblem(`status.code must be an integer (0, 1 or 2) (got ${describe(v)})`);
}

const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** An AnyValue as parsed (fields read directly: this is the hot path). */
interface JsonAnyValue {
  stringValue?: unknown;
  string_value?: unknown;
  intValue?: unknown;
  int_value?: unknown;
  doubleValue?: unknown;
  double_value?: unknown;
  boolValue?: unknown;
  bool_value?: unknown;
  arrayValue?: unknown;
  array_value?: unknown;
  kvlistValue?: unknown;
  kvlist_value?: unknown;
  bytesValue?: unknown;
  bytes_value?: unknown;
}

function anyValue(value: unknown, depth: number): JsonValue {
  if (value === undefined || value === null) return null;
  if (!isObj(value)) {
    throw new JsonProblem(
      `value must be an AnyValue object such as {"stringValue": "…"} (got ${describe(value)})`,
    );
  }
  const v = value as JsonAnyValue;
  let x = v.stringValue ?? v.string_value;
  if (x != null) {
    if (typeof x === 'string') return x;
    throw new JsonProblem(`stringValue must be a string (got ${describe(x)})`);
  }
  x = v.intValue ?? v.int_value;
  if (x != null) {
    if (typeof x === 'number' && Number.isInteger(x)) return x;
    if (typeof x === 'string' && INT_RE.test(x)) return Number(x);
    throw new JsonProblem(`intValue must be an integer or a decimal string (got ${describe(x)})`);
  }
  x = v.doubleValue ?? v.double_value;
  if (x != null) {
    if (typeof x === 'number') return x;
    if (typeof x === 'string') {
      if (x === 'NaN' || x === 'Infinity' || x === '-Infinity') return x;
      const n = Number(x);
      if (x.trim() !== '' && Number.isFinite(n)) return doubleToJson(n);
    }
    throw new JsonProblem(`doubleValue must be a number (got ${describe(x)})`);
  }
  x = v.boolValue ?? v.bool_value;
  if (x != null) {
    if (typeof x === 'boolean') return x;
    throw new JsonProblem(`boolValue must be true or false (got ${describe(x)})`);
  }
  x = v.arrayValue ?? v.array_value;
  if (x != null) {
    if (depth >= MAX_VALUE_DEPTH)
      throw new JsonProblem(`value nested more than ${MAX_VALUE_DEPTH} levels deep`);
    const values = asArray(asObj(x, 'arrayValue')?.values ?? undefined, 'arrayValue.values');
    const out: JsonValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      try {
        out[i] = anyValue(values[i], depth + 1);
      } catch (e) {
        throw e instanceof JsonProblem ? new JsonProblem(`arrayValue.values[${i}]: ${e.message}`) : e;
      }
    }
    return out;
  }
  x = v.kvlistValue ?? v.kvlist_value;
  if (x != null) {
    if (depth >= MAX_VALUE_DEPTH)
      throw new JsonProblem(`value nested more than ${MAX_VALUE_DEPTH} levels deep`);
    const values = asArray(asObj(x, 'kvlistValue')?.values ?? undefined, 'kvlistValue.values');
    const out: JsonObject = {};
    for (let i = 0; i < values.length; i++) {
      try {
        const kv = keyValue(values[i], depth + 1);
        setKey(out, kv.key, kv.value);
      } catch (e) {
        throw e instanceof JsonProblem ? new JsonProblem(`kvlistValue.values[${i}]: ${e.message}`) : e;
      }
    }
    return out;
  }
  x = v.bytesValue ?? v.bytes_value;
  if (x != null) {
    if (typeof x === 'string' && BASE64_RE.test(x)) return Buffer.from(x, 'base64').toString('base64');
    throw new JsonProblem(`bytesValue must be a base64 string (got ${describe(x)})`);
  }
  return null;
}

function keyValue(v: unknown, depth: number): RawKeyValue {
  if (!isObj(v)) throw new JsonProblem(`must be a {"key", "value"} object (got ${describe(v)})`);
  const k = v.key;
  const key = typeof k === 'string' ? k : asString(k ?? undefined, 'key');
  try {
    return { key, value: anyValue(v.value, depth) };
  } catch (e) {
    throw e instanceof JsonProblem ? new JsonProblem(`attribute ${JSON.stringify(key)}: ${e.message}`) : e;
  }
}

function attributes(v: unknown, what: string): RawKeyValue[] {
  const list = asArray(v, what);
  const out: RawKeyValue[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    try {
      out[i] = keyValue(list[i], 0);
    } catch (e) {
      throw e instanceof JsonProblem ? new JsonProblem(`${what}[${i}]: ${e.message}`) : e;
    }
  }
  return out;
}

function event(v: unknown): RawEvent {
  if (!isObj(v)) throw new JsonProblem(`must be an object (got ${describe(v)})`);
  return {
    name: asString(field(v, 'name', 'name'), 'name'),
    time: asTimeMicros(field(v, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    attributes: attributes(field(v, 'attributes', 'attributes'), 'attributes'),
  };
}

function span(v: unknown): RawSpan {
  if (!isObj(v)) throw new JsonProblem(`span must be an object (got ${describe(v)})`);
  const status = asObj(field(v, 'status', 'status'), 'status');
  const eventList = asArray(field(v, 'events', 'events'), 'events');
  const events: RawEvent[] = new Array(eventList.length);
  for (let i = 0; i < eventList.length; i++) {
    try {
      events[i] = event(eventList[i]);
    } catch (e) {
      throw e instanceof JsonProblem ? new JsonProblem(`events[${i}]: ${e.message}`) : e;
    }
  }
  return {
    traceId: asString(field(v, 'traceId', 'trace_id'), 'traceId'),
    spanId: asString(field(v, 'spanId', 'span_id'), 'spanId'),
    parentSpanId: asString(field(v, 'parentSpanId', 'parent_span_id'), 'parentSpanId'),
    name: asString(field(v, 'name', 'name'), 'name'),
    startTime: asTimeMicros(field(v, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    endTime: asTimeMicros(field(v, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    attributes: attributes(field(v, 'attributes', 'attributes'), 'attributes'),
    events,
    statusCode: status === undefined ? 0 : asStatusCode(field(status, 'code', 'code')),
    statusMessage:
      status === undefined ? '' : asString(field(status, 'message', 'message'), 'status.message'),
  };
}

/** OTLP/JSON bytes (UTF-8) → the shared intermediate. Throws OtlpDecodeError (only) on malformed input. */
export function decodeJsonRequest(body: Uint8Array): RawResourceSpans[] {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let doc: unknown;
  try {
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    doc = JSON.parse(text);
  } catch (e) {
    throw new OtlpDecodeError(`${INVALID_REQUEST}: body is not valid JSON (${(e as Error).message})`, {
      cause: e,
    });
  }
  let where = '';
  try {
    if (!isObj(doc)) throw new JsonProblem(`the body must be a JSON object (got ${describe(doc)})`);
    const rsList = asArray(field(doc, 'resourceSpans', 'resource_spans'), 'resourceSpans');
    const out: RawResourceSpans[] = new Array(rsList.length);
    for (let ri = 0; ri < rsList.length; ri++) {
      where = `resourceSpans[${ri}]`;
      const rs = rsList[ri];
      if (!isObj(rs)) throw new JsonProblem(`must be an object (got ${describe(rs)})`);
      const resource = asObj(field(rs, 'resource', 'resource'), 'resource');
      const resourceAttributes =
        resource === undefined
          ? []
          : attributes(field(resource, 'attributes', 'attributes'), 'resource.attributes');
      const ssList = asArray(field(rs, 'scopeSpans', 'scope_spans'), 'scopeSpans');
      const scopeSpans: RawScopeSpans[] = new Array(ssList.length);
      for (let si = 0; si < ssList.length; si++) {
        where = `resourceSpans[${ri}].scopeSpans[${si}]`;
        const ss = ssList[si];
        if (!isObj(ss)) throw new JsonProblem(`must be an object (got ${describe(ss)})`);
        const spanList = asArray(field(ss, 'spans', 'spans'), 'spans');
        const spans: RawSpan[] = new Array(spanList.length);
        for (let i = 0; i < spanList.length; i++) {
          try {
            spans[i] = span(spanList[i]);
          } catch (e) {
            if (e instanceof JsonProblem) where = `resourceSpans[${ri}].scopeSpans[${si}].spans[${i}]`;
            throw e;
          }
        }
        scopeSpans[si] = { spans };
      }
      out[ri] = { resourceAttributes, scopeSpans };
    }
    return out;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new OtlpDecodeError(`${INVALID_REQUEST}: ${where ? `${where}: ` : ''}${detail}`, { cause: e });
  }
}
