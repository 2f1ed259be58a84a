/**
 * Test helpers: real OpenTelemetry SDK spans, encoded by the OpenTelemetry JS serializers, as real
 * exporters send them. Used by the ingest tests and the decode benchmark only.
 */
import {
  type Attributes,
  type HrTime,
  type Link,
  ROOT_CONTEXT,
  SpanKind,
  type SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface SpanSpec {
  name: string;
  /** [seconds, nanoseconds] */
  start: HrTime;
  end: HrTime;
  attributes?: Attributes;
  /** Index into the specs already created (same trace). */
  parent?: number;
  status?: { code: SpanStatusCode; message?: string };
  events?: { name: string; time: HrTime; attributes?: Attributes }[];
  links?: Link[];
  kind?: SpanKind;
}

/** Creates finished ReadableSpans with a BasicTracerProvider; one provider (resource) per call. */
export function makeSpans(specs: SpanSpec[], resourceAttributes: Attributes = {}): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('fawkes-ingest-test', '1.0.0');
  const created: ReturnType<typeof tracer.startSpan>[] = [];
  for (const spec of specs) {
    const parent = spec.parent === undefined ? undefined : created[spec.parent];
    const ctx = parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, parent);
    const span = tracer.startSpan(
      spec.name,
      {
        startTime: spec.start,
        attributes: spec.attributes ?? {},
        links: spec.links ?? [],
        kind: spec.kind ?? SpanKind.INTERNAL,
        root: parent === undefined,
      },
      ctx,
    );
    for (const e of spec.events ?? []) span.addEvent(e.name, e.attributes ?? {}, e.time);
    if (spec.status) span.setStatus(spec.status);
    created.push(span);
  }
  // End in reverse so children end first, as in real code.
  for (let i = specs.length - 1; i >= 0; i--) created[i]!.end(specs[i]!.end);
  const byId = new Map(exporter.getFinishedSpans().map((s) => [s.spanContext().spanId, s]));
  return created.map((s) => byId.get(s.spanContext().spanId)!);
}

export function toProtobuf(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error('serializer returned nothing');
  return bytes;
}

export function toJson(spans: ReadableSpan[]): Uint8Array {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error('serializer returned nothing');
  return bytes;
}

/** A protobuf field for `pb()`, a minimal independent encoder used to craft (also malformed) requests. */
export type PbField =
  | [number, 'varint', number | bigint]
  | [number, 'fixed64', number | bigint]
  | [number, 'double', number]
  | [number, 'fixed32', number]
  | [number, 'bytes', Uint8Array | string]
  | [number, 'msg', PbField[]]
  | [number, 'group', PbField[]]
  | [number, 'raw', number[]];

/** Encodes fields in the order given (no checks: any field number / wire type combination). */
export function pb(fields: PbField[]): Uint8Array {
  const out: number[] = [];
  const varint = (v: bigint) => {
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x) b |= 0x80;
      out.push(b);
    } while (x);
  };
  const tag = (no: number, wire: number) => varint(BigInt(no) * 8n + BigInt(wire));
  const lengthDelimited = (bytes: Uint8Array) => {
    varint(BigInt(bytes.length));
    for (const b of bytes) out.push(b);
  };
  for (const [no, kind, v] of fields) {
    switch (kind) {
      case 'varint':
        tag(no, 0);
        varint(BigInt(v));
        break;
      case 'fixed64': {
        tag(no, 1);
        let x = BigInt.asUintN(64, BigInt(v));
        for (let i = 0; i < 8; i++, x >>= 8n) out.push(Number(x & 0xffn));
        break;
      }
      case 'double': {
        tag(no, 1);
        for (const b of new Uint8Array(new Float64Array([v]).buffer)) out.push(b);
        break;
      }
      case 'fixed32':
        tag(no, 5);
        for (let i = 0; i < 4; i++) out.push((v >>> (8 * i)) & 0xff);
        break;
      case 'bytes':
        tag(no, 2);
        lengthDelimited(typeof v === 'string' ? new TextEncoder().encode(v) : v);
        break;
      case 'msg':
        tag(no, 2);
        lengthDelimited(pb(v));
        break;
      case 'group':
        tag(no, 3);
        for (const b of pb(v)) out.push(b);
        tag(no, 4);
        break;
      case 'raw':
        out.push(...v);
        break;
    }
  }
  return new Uint8Array(out);
}

/** Hex → bytes. */
export function unhex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** A valid protobuf span's fields (trace 0102…10, span a1…a8, 2024-01-01T00:00:00.123456789Z → +1 s). */
export function pbSpanFields(overrides: { name?: string; extra?: PbField[] } = {}): PbField[] {
  return [
    [1, 'bytes', unhex('0102030405060708090a0b0c0d0e0f10')],
    [2, 'bytes', unhex('a1a2a3a4a5a6a7a8')],
    [5, 'bytes', overrides.name ?? 'span'],
    [7, 'fixed64', 1704067200123456789n],
    [8, 'fixed64', 1704067201123456789n],
    ...(overrides.extra ?? []),
  ];
}

/** A request with one resource (given attributes), one scope, the given spans (as field lists). */
export function pbRequest(spans: PbField[][], resourceAttributes: PbField[][] = []): Uint8Array {
  return pb([
    [
      1,
      'msg',
      [
        [1, 'msg', resourceAttributes.map((kv): PbField => [1, 'msg', kv])],
        [2, 'msg', [[1, 'msg', [[1, 'bytes', 'scope']]], ...spans.map((s): PbField => [2, 'msg', s])]],
      ],
    ],
  ]);
}

/** A KeyValue's fields with a string value. */
export function pbKv(key: string, value: PbField[]): PbField[] {
  return [
    [1, 'bytes', key],
    [2, 'msg', value],
  ];
}
