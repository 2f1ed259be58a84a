/**
 * Decode throughput of the OTLP ingest decoders (protobuf and JSON), bytes → SpanRecord[].
 * Run from the repository root:  npx tsx bench/decode/decode-bench.ts [spansPerRequest] [seconds]
 *
 * Requests are produced by the OpenTelemetry JS serializers from real SDK spans: LLM-like spans with
 * about 1 KB of attributes each (messages, input/output, token counts, metadata JSON, a session id).
 *
 * For comparison, a generated decoder: protobufjs' decoder for ExportTraceServiceRequest built from
 * the vendored OTLP .proto files (packages/server/test-support/otlp-proto, opentelemetry-proto
 * 1.45.0): `Type.decode` is the function protobufjs generates for the message (the code `pbjs -t
 * static-module` writes out ahead of time), then `toObject` as a generated decoder's caller needs it
 * (ids as bytes, 64-bit times as strings, enums as numbers).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { decodeJsonRequest } from '../../packages/server/src/ingest/decode-json.js';
import { decodeProtobufRequest } from '../../packages/server/src/ingest/decode-protobuf.js';
import { decodeExportRequest } from '../../packages/server/src/ingest/index.js';
import {
  makeSpans,
  type SpanSpec,
  toJson,
  toProtobuf,
} from '../../packages/server/test-support/otlp-requests.js';

const spansPerRequest = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 3);

function text(n: number, seed: number): string {
  const words = [
    'the',
    'model',
    'answered',
    'quickly',
    'with',
    'a',
    'detailed',
    'response',
    'about',
    'tracing',
  ];
  let s = '';
  for (let i = 0; s.length < n; i++) s += words[(i * 7 + seed) % words.length] + ' ';
  return s.slice(0, n);
}

const specs: SpanSpec[] = [];
for (let i = 0; i < spansPerRequest; i++) {
  const start = 1_704_067_200 + i;
  specs.push({
    name: i % 10 === 0 ? 'agent' : 'ChatCompletion',
    start: [start, 123_456_789],
    end: [start, 987_654_321],
    parent: i % 10 === 0 ? undefined : i - (i % 10),
    attributes: {
      'openinference.span.kind': i % 10 === 0 ? 'AGENT' : 'LLM',
      'session.id': `session-${i % 50}`,
      'input.value': text(250, i),
      'input.mime_type': 'text/plain',
      'output.value': text(250, i + 3),
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': 120 + i,
      'llm.token_count.completion': 40 + i,
      'llm.token_count.total': 160 + 2 * i,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': text(100, i + 5),
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': text(100, i + 7),
      'llm.invocation_parameters': '{"temperature":0.2,"max_tokens":512}',
      metadata: `{"user":"u${i % 7}","env":"bench"}`,
    },
    events:
      i % 20 === 0
        ? [{ name: 'exception', time: [start, 500_000_000], attributes: { 'exception.message': 'x' } }]
        : [],
  });
}
const spans = makeSpans(specs, { 'openinference.project.name': 'bench', 'service.name': 'bench' });
const bodies = { protobuf: toProtobuf(spans), json: toJson(spans) } as const;

function measure(label: string, bytes: number, fn: () => unknown): void {
  // Warm up, then run for `seconds`.
  const warmEnd = performance.now() + 500;
  while (performance.now() < warmEnd) fn();
  let runs = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    fn();
    runs++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const spansPerSecond = (runs * spansPerRequest) / elapsed;
  const mbPerSecond = (runs * bytes) / elapsed / 1e6;
  console.log(
    `${label.padEnd(34)} ${String(Math.round(spansPerSecond)).padStart(9)} spans/s ${mbPerSecond.toFixed(1).padStart(7)} MB/s  (${((elapsed / runs) * 1000).toFixed(2)} ms/request)`,
  );
}

console.log(
  `${spansPerRequest} spans/request; protobuf ${bodies.protobuf.length} bytes (${Math.round(bodies.protobuf.length / spansPerRequest)} B/span), JSON ${bodies.json.length} bytes (${Math.round(bodies.json.length / spansPerRequest)} B/span)`,
);
if (process.env.DUMP_TO) {
  // Write the request bodies for profiling elsewhere, e.g. DUMP_TO=/tmp/body → /tmp/body.pb, /tmp/body.json.
  writeFileSync(`${process.env.DUMP_TO}.pb`, bodies.protobuf);
  writeFileSync(`${process.env.DUMP_TO}.json`, bodies.json);
}
const protoDir = fileURLToPath(new URL('../../packages/server/test-support/otlp-proto/', import.meta.url));
const protoRoot = new protobuf.Root();
// The .proto files import one another from the directory above `opentelemetry/`.
protoRoot.resolvePath = (origin, target) => (origin ? join(protoDir, target) : resolve(target));
protoRoot.loadSync(join(protoDir, 'opentelemetry/proto/collector/trace/v1/trace_service.proto'));
const GeneratedRequest = protoRoot.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
{
  // The generated decoder reads the same spans.
  const decoded = GeneratedRequest.decode(bodies.protobuf) as unknown as {
    resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
  };
  const count = decoded.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
  if (count !== spansPerRequest) throw new Error(`generated decoder read ${count} spans`);
}
const options = { defaultProject: 'default' };
measure('protobuf: decodeExportRequest', bodies.protobuf.length, () =>
  decodeExportRequest(bodies.protobuf, 'protobuf', options),
);
measure('protobuf: wire decode only', bodies.protobuf.length, () => decodeProtobufRequest(bodies.protobuf));
measure('protobuf: generated decode (pbjs)', bodies.protobuf.length, () =>
  GeneratedRequest.decode(bodies.protobuf),
);
measure('protobuf: generated decode+toObject', bodies.protobuf.length, () =>
  GeneratedRequest.toObject(GeneratedRequest.decode(bodies.protobuf), { longs: String, enums: Number }),
);
measure('json: decodeExportRequest', bodies.json.length, () =>
  decodeExportRequest(bodies.json, 'json', options),
);
measure('json: JSON.parse + walk only', bodies.json.length, () => decodeJsonRequest(bodies.json));
measure('json: JSON.parse alone (baseline)', bodies.json.length, () =>
  JSON.parse(Buffer.from(bodies.json).toString('utf8')),
);
