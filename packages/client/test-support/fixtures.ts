/** Test helpers: a real server in this process, and spans sent to it by a real OTLP exporter. */
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startTestServer, type TestServer } from '../../server/test-support/test-server.js';
import { createClient, type FawkesClient } from '../src/client.js';
import type { ClientOptions } from '../src/config.js';

export { conversationTurn, type TurnOptions } from '../../server/test-support/otel-spans.js';

export interface Fawkes {
  server: TestServer;
  url: string;
  client: FawkesClient;
  /** A client whose requests are recorded (method and URL), to see what was sent. */
  recordingClient(): { client: FawkesClient; requests: { method: string; url: string }[] };
  /** Sends spans with the OTLP/HTTP protobuf exporter, as an instrumented app does. */
  exportSpans(spans: ReadableSpan[]): Promise<void>;
  close(): Promise<void>;
}

/** A Fawkes server (SQLite in a temporary directory, free ports) and a client for it. */
export async function startFawkes(options: Omit<ClientOptions, 'baseUrl'> = {}): Promise<Fawkes> {
  const server = await startTestServer();
  const url = server.server.url;
  return {
    server,
    url,
    client: createClient({ ...options, baseUrl: url }),
    recordingClient() {
      const requests: { method: string; url: string }[] = [];
      const client = createClient({
        ...options,
        baseUrl: url,
        fetch: (input, init) => {
          const request = input instanceof Request ? input : new Request(input, init);
          requests.push({ method: request.method, url: request.url });
          return fetch(input, init);
        },
      });
      return { client, requests };
    },
    async exportSpans(spans) {
      const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces` });
      const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
      await exporter.shutdown();
      if (result.code !== ExportResultCode.SUCCESS) throw result.error ?? new Error('OTLP export failed');
    },
    close: () => server.close(),
  };
}

/** A RETRIEVER span (a root) that retrieved `documents` documents, made by the OpenTelemetry SDK. */
export function retrieverSpan(projectName: string, documents: number): ReadableSpan {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'openinference.project.name': projectName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const attributes: Record<string, string | number> = {
    'openinference.span.kind': 'RETRIEVER',
    'input.value': 'query',
  };
  for (let i = 0; i < documents; i++) {
    attributes[`retrieval.documents.${i}.document.id`] = `doc-${i}`;
    attributes[`retrieval.documents.${i}.document.content`] = `content ${i}`;
    attributes[`retrieval.documents.${i}.document.score`] = 1 - i / 10;
  }
  provider.getTracer('fawkes-client-tests').startSpan('retrieve', { attributes }).end();
  return exporter.getFinishedSpans()[0]!;
}
