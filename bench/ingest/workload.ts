/**
 * Export requests as an instrumented LLM app sends them: traces of 10 spans (agent → retriever,
 * llm, tools ...) with ~1 KB of OpenInference attributes each, 500 spans per request (the OTel
 * BatchSpanProcessor's batch). One template is encoded by OpenTelemetry's own serializer; copies get
 * unique trace/span/session ids by patching the id bytes in place, so the timed run spends nothing
 * on generating load.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const SPANS_PER_TRACE = 10;
export const TRACES_PER_REQUEST = 50;
export const SPANS_PER_REQUEST = SPANS_PER_TRACE * TRACES_PER_REQUEST;
const SESSION_MARK = 'SESSIONMARK';

const text = (n: number, seed: number) => {
  const words = ['retrieval', 'augmented', 'generation', 'context', 'answer', 'question', 'token', 'model'];
  let out = '';
  for (let i = 0; out.length < n; i++) out += `${words[(i * 7 + seed) % words.length]} `;
  return out.slice(0, n);
};

/** First 4 bytes of an id; the next 4 (zero in the template) receive the request number. */
const traceMarker = (t: number) => 0xa0000000 + t;
const spanMarker = (t: number, k: number) => 0xb0000000 + t * 256 + k;

function fakeSpan(traceIndex: number, spanIndex: number, t0: number): ReadableSpan {
  const traceId = `${traceMarker(traceIndex).toString(16)}${'0'.repeat(24)}`;
  const spanId = (k: number) => `${spanMarker(traceIndex, k).toString(16)}${'0'.repeat(8)}`;
  const kind =
    spanIndex === 0 ? 'AGENT' : spanIndex % 3 === 1 ? 'LLM' : spanIndex % 3 === 2 ? 'RETRIEVER' : 'TOOL';
  const attributes: Record<string, string | number> = {
    'openinference.span.kind': kind,
    'session.id': `${SESSION_MARK}-${(traceIndex % 10).toString().padStart(4, '0')}`,
    'input.value': text(380, spanIndex),
    'input.mime_type': 'text/plain',
    'output.value': text(380, spanIndex + 1),
    'output.mime_type': 'text/plain',
    'metadata.user_id': `user-${traceIndex % 7}`,
  };
  if (kind === 'LLM') {
    Object.assign(attributes, {
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': 120 + spanIndex,
      'llm.token_count.completion': 40 + spanIndex,
      'llm.token_count.total': 160 + 2 * spanIndex,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'You are a helpful assistant.',
    });
  }
  const start = t0 + spanIndex * 1_000_000;
  const hr = (ns: number): [number, number] => [Math.floor(ns / 1e9), ns % 1e9];
  return {
    name: `${kind.toLowerCase()}-${spanIndex}`,
    kind: 0,
    spanContext: () => ({ traceId, spanId: spanId(spanIndex), traceFlags: 1 }),
    parentSpanContext:
      spanIndex === 0 ? undefined : { traceId, spanId: spanId(spanIndex < 4 ? 0 : 1), traceFlags: 1 },
    startTime: hr(start),
    endTime: hr(start + 500_000_000),
    status: { code: 1 },
    attributes,
    links: [],
    events: [],
    duration: hr(500_000_000),
    ended: true,
    resource: { attributes: { 'openinference.project.name': 'bench', 'service.name': 'bench' } },
    instrumentationScope: { name: 'bench' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  } as unknown as ReadableSpan;
}

function occurrences(haystack: Buffer, needle: Buffer): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) at.push(i);
  return at;
}

export class Workload {
  private readonly template: Buffer;
  private readonly idOffsets: number[];
  private readonly sessionOffsets: number[];
  private next = 0;

  constructor(t0Nanos = Date.now() * 1e6) {
    const spans: ReadableSpan[] = [];
    for (let t = 0; t < TRACES_PER_REQUEST; t++) {
      for (let s = 0; s < SPANS_PER_TRACE; s++) spans.push(fakeSpan(t, s, t0Nanos + t * 1e9));
    }
    this.template = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    // The request number goes in the 4 bytes after each id's marker, so ids stay unique across
    // requests and consistent within one (a parent id is rewritten exactly as its span's id).
    this.idOffsets = [];
    for (let t = 0; t < TRACES_PER_REQUEST; t++) {
      const markers = [
        traceMarker(t),
        ...Array.from({ length: SPANS_PER_TRACE }, (_, k) => spanMarker(t, k)),
      ];
      for (const marker of markers) {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32BE(marker);
        for (const at of occurrences(this.template, bytes)) this.idOffsets.push(at + 4);
      }
    }
    this.sessionOffsets = occurrences(this.template, Buffer.from(SESSION_MARK));
  }

  get bytesPerRequest(): number {
    return this.template.length;
  }

  /** A fresh request: same content, ids (and session ids) never sent before. */
  request(): Buffer {
    const n = ++this.next;
    const body = Buffer.from(this.template);
    for (const at of this.idOffsets) body.writeUInt32BE(n, at);
    const tag = Buffer.from(n.toString(16).padStart(SESSION_MARK.length, '0'));
    for (const at of this.sessionOffsets) tag.copy(body, at);
    return body;
  }
}
