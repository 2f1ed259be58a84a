/**
 * Decodes an OTLP `ExportTraceServiceRequest` (opentelemetry/proto/collector/trace/v1) from protobuf
 * bytes into the shared intermediate (`RawResourceSpans[]`). A small hand-written reader over
 * protobufjs' `Reader`, for exactly the messages we need; unknown fields (and the ones we do not
 * use: scope, links, trace_state, kind, flags, dropped counts, schema urls) are skipped.
 *
 * Field numbers (opentelemetry-proto, as the OpenTelemetry JS serializer writes them):
 *   ExportTraceServiceRequest: 1 resource_spans
 *   ResourceSpans: 1 resource, 2 scope_spans, 3 schema_url
 *   Resource: 1 attributes, 2 dropped_attributes_count
 *   ScopeSpans: 1 scope, 2 spans, 3 schema_url
 *   Span: 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind,
 *         7 start_time_unix_nano (fixed64), 8 end_time_unix_nano (fixed64), 9 attributes,
 *         10 dropped_attributes_count, 11 events, 12 dropped_events_count, 13 links,
 *         14 dropped_links_count, 15 status, 16 flags (fixed32)
 *   Span.Event: 1 time_unix_nano (fixed64), 2 name, 3 attributes, 4 dropped_attributes_count
 *   Status: 2 message, 3 code
 *   KeyValue: 1 key, 2 value;  ArrayValue / KeyValueList: 1 values
 *   AnyValue (oneof): 1 string, 2 bool, 3 int (int64), 4 double, 5 array, 6 kvlist, 7 bytes
 *
 * Semantics: proto3 (absent = default), a repeated scalar field keeps the last value, a repeated
 * `status` is merged. Bytes values become base64 strings, ints JS numbers (exact up to 2^53).
 */
import protobuf from 'protobufjs/minimal.js';
import type { JsonObject, JsonValue } from '../model/span-record.js';
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

/** Deepest nesting of array / kvlist attribute values we accept. */
export const MAX_VALUE_DEPTH = 64;

// Wire types.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const tag = (field: number, wire: number) => (field << 3) | wire;

// Full tags (field << 3 | wire type) of the fields we read.
const T_REQUEST_RESOURCE_SPANS = tag(1, LEN);
const T_RS_RESOURCE = tag(1, LEN);
const T_RS_SCOPE_SPANS = tag(2, LEN);
const T_RESOURCE_ATTRIBUTES = tag(1, LEN);
const T_SS_SPANS = tag(2, LEN);
const T_SPAN_TRACE_ID = tag(1, LEN);
const T_SPAN_SPAN_ID = tag(2, LEN);
const T_SPAN_PARENT_SPAN_ID = tag(4, LEN);
const T_SPAN_NAME = tag(5, LEN);
const T_SPAN_START = tag(7, I64);
const T_SPAN_END = tag(8, I64);
const T_SPAN_ATTRIBUTES = tag(9, LEN);
const T_SPAN_EVENTS = tag(11, LEN);
const T_SPAN_STATUS = tag(15, LEN);
const T_EVENT_TIME = tag(1, I64);
const T_EVENT_NAME = tag(2, LEN);
const T_EVENT_ATTRIBUTES = tag(3, LEN);
const T_STATUS_MESSAGE = tag(2, LEN);
const T_STATUS_CODE = tag(3, VARINT);
const T_KV_KEY = tag(1, LEN);
const T_KV_VALUE = tag(2, LEN);
const T_VALUES = tag(1, LEN);
const T_ANY_STRING = tag(1, LEN);
const T_ANY_BOOL = tag(2, VARINT);
const T_ANY_INT = tag(3, VARINT);
const T_ANY_DOUBLE = tag(4, I64);
const T_ANY_ARRAY = tag(5, LEN);
const T_ANY_KVLIST = tag(6, LEN);
const T_ANY_BYTES = tag(7, LEN);

/** For each message, the fields we read and their names (for wire-type errors). */
export type FieldNames = Record<number, readonly [name: string, wireType: number]>;
const F_REQUEST: FieldNames = { 1: ['ExportTraceServiceRequest.resource_spans', LEN] };
const F_RS: FieldNames = { 1: ['ResourceSpans.resource', LEN], 2: ['ResourceSpans.scope_spans', LEN] };
const F_RESOURCE: FieldNames = { 1: ['Resource.attributes', LEN] };
const F_SS: FieldNames = { 2: ['ScopeSpans.spans', LEN] };
const F_SPAN: FieldNames = {
  1: ['Span.trace_id', LEN],
  2: ['Span.span_id', LEN],
  4: ['Span.parent_span_id', LEN],
  5: ['Span.name', LEN],
  7: ['Span.start_time_unix_nano', I64],
  8: ['Span.end_time_unix_nano', I64],
  9: ['Span.attributes', LEN],
  11: ['Span.events', LEN],
  15: ['Span.status', LEN],
};
const F_EVENT: FieldNames = {
  1: ['Event.time_unix_nano', I64],
  2: ['Event.name', LEN],
  3: ['Event.attributes', LEN],
};
const F_STATUS: FieldNames = { 2: ['Status.message', LEN], 3: ['Status.code', VARINT] };
const F_KV: FieldNames = { 1: ['KeyValue.key', LEN], 2: ['KeyValue.value', LEN] };
const F_ARRAY: FieldNames = { 1: ['ArrayValue.values', LEN] };
const F_KVLIST: FieldNames = { 1: ['KeyValueList.values', LEN] };
const F_ANY: FieldNames = {
  1: ['AnyValue.string_value', LEN],
  2: ['AnyValue.bool_value', VARINT],
  3: ['AnyValue.int_value', VARINT],
  4: ['AnyValue.double_value', I64],
  5: ['AnyValue.array_value', LEN],
  6: ['AnyValue.kvlist_value', LEN],
  7: ['AnyValue.bytes_value', LEN],
};
/**
 * The fields this decoder reads, per message (each by number: its name and wire type), and the
 * full tags its loops switch on: decode-protobuf-fields.test.ts checks both against the official
 * OTLP .proto definitions (test-support/otlp-proto).
 */
export const PROTOBUF_FIELDS: readonly FieldNames[] = [
  F_REQUEST,
  F_RS,
  F_RESOURCE,
  F_SS,
  F_SPAN,
  F_EVENT,
  F_STATUS,
  F_KV,
  F_ARRAY,
  F_KVLIST,
  F_ANY,
];
export const PROTOBUF_TAGS: Readonly<Record<string, number>> = {
  'ExportTraceServiceRequest.resource_spans': T_REQUEST_RESOURCE_SPANS,
  'ResourceSpans.resource': T_RS_RESOURCE,
  'ResourceSpans.scope_spans': T_RS_SCOPE_SPANS,
  'Resource.attributes': T_RESOURCE_ATTRIBUTES,
  'ScopeSpans.spans': T_SS_SPANS,
  'Span.trace_id': T_SPAN_TRACE_ID,
  'Span.span_id': T_SPAN_SPAN_ID,
  'Span.parent_span_id': T_SPAN_PARENT_SPAN_ID,
  'Span.name': T_SPAN_NAME,
  'Span.start_time_unix_nano': T_SPAN_START,
  'Span.end_time_unix_nano': T_SPAN_END,
  'Span.attributes': T_SPAN_ATTRIBUTES,
  'Span.events': T_SPAN_EVENTS,
  'Span.status': T_SPAN_STATUS,
  'Event.time_unix_nano': T_EVENT_TIME,
  'Event.name': T_EVENT_NAME,
  'Event.attributes': T_EVENT_ATTRIBUTES,
  'Status.message': T_STATUS_MESSAGE,
  'Status.code': T_STATUS_CODE,
  'KeyValue.key': T_KV_KEY,
  'KeyValue.value': T_KV_VALUE,
  'ArrayValue.values': T_VALUES,
  'KeyValueList.values': T_VALUES,
  'AnyValue.string_value': T_ANY_STRING,
  'AnyValue.bool_value': T_ANY_BOOL,
  'AnyValue.int_value': T_ANY_INT,
  'AnyValue.double_value': T_ANY_DOUBLE,
  'AnyValue.array_value': T_ANY_ARRAY,
  'AnyValue.kvlist_value': T_ANY_KVLIST,
  'AnyValue.bytes_value': T_ANY_BYTES,
};
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];

/**
 * Node's native slice-to-string methods, called directly: `buf.toString(encoding, start, end)`
 * wraps them with argument handling that costs as much as the decoding for short strings.
 */
type Slicer = (this: Buffer, start: number, end: number) => string;
const bufferProto = Buffer.prototype as unknown as Record<string, Slicer | undefined>;
function slicer(encoding: 'utf8' | 'hex' | 'base64'): Slicer {
  const native = bufferProto[`${encoding}Slice`];
  return typeof native === 'function'
    ? native
    : function (this: Buffer, start: number, end: number) {
        return this.toString(encoding, start, end);
      };
}
const utf8Slice = slicer('utf8');
const hexSlice = slicer('hex');
const base64Slice = slicer('base64');

/**
 * Attribute keys repeat in every span: short ones are interned by their bytes, which saves decoding
 * them and gives later lookups the same string (with its hash already computed).
 */
const INTERN_SLOTS = 4096;
const INTERN_MAX_LENGTH = 64;
const internBytes: (Uint8Array | undefined)[] = new Array(INTERN_SLOTS);
const internStrings: (string | undefined)[] = new Array(INTERN_SLOTS);

function internedString(buf: Buffer, start: number, end: number): string {
  // A multiplicative hash over 4 bytes at a time (then the tail).
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x9e3779b1);
  h ^= h >>> 16;
  const slot = h & (INTERN_SLOTS - 1);
  const bytes = internBytes[slot];
  const length = end - start;
  if (bytes !== undefined && bytes.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (bytes[i] !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return internStrings[slot]!;
  }
  const str = utf8Slice.call(buf, start, end);
  internBytes[slot] = buf.subarray(start, end).slice();
  internStrings[slot] = str;
  return str;
}

/** A malformed-bytes problem; the message carries the byte offset. */
class ProtoError extends Error {}

class ProtoReader {
  readonly buf: Buffer;
  readonly r: protobuf.Reader;
  /** Where we are, for error messages (-1: not inside). */
  ri = -1;
  si = -1;
  spi = -1;
  /** Where the last tag started. */
  tagPos = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
    this.r = protobuf.Reader.create(buf);
  }

  endOfData(pos: number): ProtoError {
    return this.r.len < this.buf.length
      ? new ProtoError(
          `a field runs past the end of its enclosing message (which ends at byte ${this.r.len})`,
        )
      : new ProtoError(`unexpected end of data at byte ${pos}`);
  }

  tag(): number {
    const start = this.r.pos;
    this.tagPos = start;
    const t = this.r.uint32();
    if (t >>> 3 === 0) throw new ProtoError(`invalid field number 0 at byte ${start}`);
    return t;
  }

  /** Reads a length prefix and narrows the reader to the sub-message; returns the outer end. */
  enter(): number {
    const r = this.r;
    const length = r.uint32();
    const end = r.pos + length;
    if (end > r.len) throw this.endOfData(r.len);
    const outer = r.len;
    r.len = end;
    return outer;
  }

  leave(outer: number): void {
    const r = this.r;
    if (r.pos !== r.len) throw this.endOfData(r.pos);
    r.len = outer;
  }

  /** Skips a field we do not read; a field we do read but with the wrong wire type is an error. */
  skip(t: number, known: FieldNames): void {
    const field = t >>> 3;
    const wire = t & 7;
    if (wire === 4 || wire > I32) {
      throw new ProtoError(`invalid wire type ${wire} for field ${field} at byte ${this.tagPos}`);
    }
    const spec = known[field];
    if (spec !== undefined) {
      throw new ProtoError(
        `field ${spec[0]} (${field}) at byte ${this.tagPos} has wire type ${WIRE_NAMES[wire]}, expected ${WIRE_NAMES[spec[1]]}`,
      );
    }
    this.r.skipType(wire);
  }

  private lengthDelimited(): number {
    const r = this.r;
    const length = r.uint32();
    const start = r.pos;
    const end = start + length;
    if (end > r.len) throw this.endOfData(r.len);
    r.pos = end;
    return start;
  }

  string(): string {
    const start = this.lengthDelimited();
    return start === this.r.pos ? '' : utf8Slice.call(this.buf, start, this.r.pos);
  }

  /** A string that is likely to repeat (attribute keys). */
  key(): string {
    const start = this.lengthDelimited();
    const end = this.r.pos;
    if (start === end) return '';
    return end - start <= INTERN_MAX_LENGTH
      ? internedString(this.buf, start, end)
      : utf8Slice.call(this.buf, start, end);
  }

  hex(): string {
    const start = this.lengthDelimited();
    return start === this.r.pos ? '' : hexSlice.call(this.buf, start, this.r.pos);
  }

  base64(): string {
    const start = this.lengthDelimited();
    return start === this.r.pos ? '' : base64Slice.call(this.buf, start, this.r.pos);
  }

  /** A fixed64 of nanoseconds → microseconds (floor), exact while below 2^53 µs. */
  timeMicros(): number {
    const r = this.r;
    const b = this.buf;
    const p = r.pos;
    if (p + 8 > r.len) throw this.endOfData(r.len);
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
    const hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16)) + b[p + 7]! * 0x1000000;
    r.pos = p + 8;
    // ns = hi * 2^32 + lo, and 2^32 = 1000 * 4294967 + 296.
    return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
  }

  double(): number {
    if (this.r.pos + 8 > this.r.len) throw this.endOfData(this.r.len);
    return this.r.double();
  }

  /** A varint read as a signed 64-bit integer (int64 / enum / bool), as a JS number. */
  varint64(): number {
    const r = this.r;
    const b = this.buf;
    const end = r.len;
    let pos = r.pos;
    let lo = 0;
    let byte = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw this.endOfData(pos);
      byte = b[pos++]!;
      lo |= (byte & 127) << shift;
      if (byte < 128) {
        r.pos = pos;
        return lo;
      }
    }
    if (pos >= end) throw this.endOfData(pos);
    byte = b[pos++]!;
    lo |= (byte & 127) << 28;
    let hi = (byte & 127) >> 4;
    if (byte < 128) {
      r.pos = pos;
      return hi * 4294967296 + (lo >>> 0);
    }
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= end) throw this.endOfData(pos);
      byte = b[pos++]!;
      hi |= (byte & 127) << shift;
      if (byte < 128) {
        r.pos = pos;
        return (hi | 0) * 4294967296 + (lo >>> 0);
      }
    }
    throw new ProtoError(`varint longer than 10 bytes at byte ${r.pos}`);
  }

  // ---- messages -----------------------------------------------------------------------------------

  request(): RawResourceSpans[] {
    const r = this.r;
    const out: RawResourceSpans[] = [];
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_REQUEST_RESOURCE_SPANS) {
        this.ri = out.length;
        out.push(this.resourceSpans());
        this.ri = -1;
      } else this.skip(t, F_REQUEST);
    }
    if (r.pos !== r.len) throw this.endOfData(r.pos);
    return out;
  }

  resourceSpans(): RawResourceSpans {
    const r = this.r;
    const outer = this.enter();
    const rs: RawResourceSpans = { resourceAttributes: [], scopeSpans: [] };
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_RS_SCOPE_SPANS) {
        this.si = rs.scopeSpans.length;
        rs.scopeSpans.push(this.scopeSpans());
        this.si = -1;
      } else if (t === T_RS_RESOURCE) {
        this.resource(rs.resourceAttributes);
      } else this.skip(t, F_RS);
    }
    this.leave(outer);
    return rs;
  }

  resource(attributes: RawKeyValue[]): void {
    const r = this.r;
    const outer = this.enter();
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_RESOURCE_ATTRIBUTES) attributes.push(this.keyValue(0));
      else this.skip(t, F_RESOURCE);
    }
    this.leave(outer);
  }

  scopeSpans(): RawScopeSpans {
    const r = this.r;
    const outer = this.enter();
    const spans: RawSpan[] = [];
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_SS_SPANS) {
        this.spi = spans.length;
        spans.push(this.span());
        this.spi = -1;
      } else this.skip(t, F_SS);
    }
    this.leave(outer);
    return { spans };
  }

  span(): RawSpan {
    const r = this.r;
    const outer = this.enter();
    const span: RawSpan = {
      traceId: '',
      spanId: '',
      parentSpanId: '',
      name: '',
      startTime: 0,
      endTime: 0,
      attributes: [],
      events: [],
      statusCode: 0,
      statusMessage: '',
    };
    while (r.pos < r.len) {
      const t = this.tag();
      switch (t) {
        case T_SPAN_ATTRIBUTES:
          span.attributes.push(this.keyValue(0));
          break;
        case T_SPAN_TRACE_ID:
          span.traceId = this.hex();
          break;
        case T_SPAN_SPAN_ID:
          span.spanId = this.hex();
          break;
        case T_SPAN_PARENT_SPAN_ID:
          span.parentSpanId = this.hex();
          break;
        case T_SPAN_NAME:
          span.name = this.string();
          break;
        case T_SPAN_START:
          span.startTime = this.timeMicros();
          break;
        case T_SPAN_END:
          span.endTime = this.timeMicros();
          break;
        case T_SPAN_EVENTS:
          span.events.push(this.event());
          break;
        case T_SPAN_STATUS:
          this.status(span);
          break;
        default:
          this.skip(t, F_SPAN);
      }
    }
    this.leave(outer);
    return span;
  }

  event(): RawEvent {
    const r = this.r;
    const outer = this.enter();
    const event: RawEvent = { name: '', time: 0, attributes: [] };
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_EVENT_ATTRIBUTES) event.attributes.push(this.keyValue(0));
      else if (t === T_EVENT_TIME) event.time = this.timeMicros();
      else if (t === T_EVENT_NAME) event.name = this.string();
      else this.skip(t, F_EVENT);
    }
    this.leave(outer);
    return event;
  }

  status(span: RawSpan): void {
    const r = this.r;
    const outer = this.enter();
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_STATUS_CODE) span.statusCode = this.varint64();
      else if (t === T_STATUS_MESSAGE) span.statusMessage = this.string();
      else this.skip(t, F_STATUS);
    }
    this.leave(outer);
  }

  keyValue(depth: number): RawKeyValue {
    const r = this.r;
    const outer = this.enter();
    let key = '';
    let value: JsonValue = null;
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_KV_KEY) key = this.key();
      else if (t === T_KV_VALUE) value = this.anyValue(depth);
      else this.skip(t, F_KV);
    }
    this.leave(outer);
    return { key, value };
  }

  anyValue(depth: number): JsonValue {
    const r = this.r;
    const outer = this.enter();
    let value: JsonValue = null;
    while (r.pos < r.len) {
      const t = this.tag();
      switch (t) {
        case T_ANY_STRING:
          value = this.string();
          break;
        case T_ANY_INT:
          value = this.varint64();
          break;
        case T_ANY_DOUBLE:
          value = doubleToJson(this.double());
          break;
        case T_ANY_BOOL:
          value = this.varint64() !== 0;
          break;
        case T_ANY_ARRAY:
          value = this.arrayValue(depth + 1);
          break;
        case T_ANY_KVLIST:
          value = this.kvlistValue(depth + 1);
          break;
        case T_ANY_BYTES:
          value = this.base64();
          break;
        default:
          this.skip(t, F_ANY);
      }
    }
    this.leave(outer);
    return value;
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_VALUE_DEPTH) {
      throw new ProtoError(
        `attribute value nested more than ${MAX_VALUE_DEPTH} levels deep at byte ${this.r.pos}`,
      );
    }
  }

  arrayValue(depth: number): JsonValue[] {
    this.checkDepth(depth);
    const r = this.r;
    const outer = this.enter();
    const values: JsonValue[] = [];
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_VALUES) values.push(this.anyValue(depth));
      else this.skip(t, F_ARRAY);
    }
    this.leave(outer);
    return values;
  }

  kvlistValue(depth: number): JsonObject {
    this.checkDepth(depth);
    const r = this.r;
    const outer = this.enter();
    const obj: JsonObject = {};
    while (r.pos < r.len) {
      const t = this.tag();
      if (t === T_VALUES) {
        const kv = this.keyValue(depth);
        setKey(obj, kv.key, kv.value);
      } else this.skip(t, F_KVLIST);
    }
    this.leave(outer);
    return obj;
  }

  where(): string {
    if (this.ri < 0) return '';
    let s = ` (in resourceSpans[${this.ri}]`;
    if (this.si >= 0) {
      s += `.scopeSpans[${this.si}]`;
      if (this.spi >= 0) s += `.spans[${this.spi}]`;
    }
    return s + ')';
  }
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Protobuf bytes → the shared intermediate. Throws OtlpDecodeError (only) on malformed input. */
export function decodeProtobufRequest(body: Uint8Array): RawResourceSpans[] {
  const reader = new ProtoReader(asBuffer(body));
  try {
    return reader.request();
  } catch (e) {
    let detail: string;
    if (e instanceof ProtoError) detail = e.message;
    else if (e instanceof RangeError && e.message.startsWith('index out of range')) {
      // protobufjs' own bounds check (varints, skipped fields).
      detail = reader.endOfData(Math.min(reader.r.pos, reader.r.len)).message;
    } else detail = e instanceof Error ? e.message : String(e);
    throw new OtlpDecodeError(`${INVALID_REQUEST}: ${detail}${reader.where()}`, { cause: e });
  }
}
