import { credentials, makeGenericClientConstructor, type ServiceError, status } from '@grpc/grpc-js';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../testing/dialects.js';
import { conversationTurn } from '../testing/otel-spans.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

describeEachDialect('back-pressure', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    // A tiny queue: a request is refused whenever another one's spans are still waiting for their commit.
    t = await startTestServer({ maxQueuedSpans: 10 }, {}, dialect);
  });
  afterAll(() => t.close());

  const turns = (n: number) => Array.from({ length: n }, () => conversationTurn()).flat();

  it('answers 503 with Retry-After when the queue is full, and stores refused requests not at all', async () => {
    const requests = Array.from({ length: 40 }, () => turns(10));
    const responses = await Promise.all(
      requests.map((spans) =>
        fetch(`${t.server.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: ProtobufTraceSerializer.serializeRequest(spans)!,
        }),
      ),
    );
    const refused = responses.filter((r) => r.status === 503);
    const accepted = responses.filter((r) => r.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(40);
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    expect(await refused[0]!.text()).toBe('Server is at capacity and cannot process more requests');

    const stored = new Set(
      (await t.select<{ span_id: string }>('SELECT span_id FROM spans')).map((r) => r.span_id),
    );
    responses.forEach((response, i) => {
      const ids = requests[i]!.map((s) => s.spanContext().spanId);
      const present = ids.filter((id) => stored.has(id)).length;
      expect(present).toBe(response.status === 200 ? ids.length : 0);
    });
  });

  it('answers RESOURCE_EXHAUSTED over gRPC when the queue is full', async () => {
    const Client = makeGenericClientConstructor(
      {
        Export: {
          path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          requestStream: false,
          responseStream: false,
          requestSerialize: (bytes: Uint8Array) => Buffer.from(bytes),
          requestDeserialize: (bytes: Buffer) => bytes,
          responseSerialize: (bytes: Buffer) => bytes,
          responseDeserialize: (bytes: Buffer) => bytes,
        },
      },
      'TraceService',
    );
    const client = new Client(`127.0.0.1:${t.server.grpcPort}`, credentials.createInsecure()) as unknown as {
      Export(body: Uint8Array, callback: (error: ServiceError | null) => void): void;
      close(): void;
    };
    const errors = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<ServiceError | null>((resolve) =>
            client.Export(ProtobufTraceSerializer.serializeRequest(turns(10))!, resolve),
          ),
      ),
    );
    client.close();
    const codes = errors.map((e) => e?.code ?? status.OK);
    expect(codes).toContain(status.OK);
    expect(codes).toContain(status.RESOURCE_EXHAUSTED);
    expect(codes.every((c) => c === status.OK || c === status.RESOURCE_EXHAUSTED)).toBe(true);

    // The OTLP specification: RESOURCE_EXHAUSTED is retryable when the status carries a RetryInfo.
    const refused = errors.find((e) => e?.code === status.RESOURCE_EXHAUSTED)!;
    const details = refused.metadata.get('grpc-status-details-bin')[0] as Buffer;
    expect(details.toString('latin1')).toContain('type.googleapis.com/google.rpc.RetryInfo');
    expect([...details.subarray(-4)]).toEqual([0x0a, 0x02, 0x08, 0x01]); // retry_delay { seconds: 1 }
  });

  it('lets real exporters get every span in by retrying after a 503 with Retry-After', async () => {
    const batches = Array.from({ length: 10 }, () => turns(10));
    const results = await Promise.all(
      batches.map(async (spans) => {
        const exporter = new ProtoExporter({ url: `${t.server.url}/v1/traces` });
        const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
        await exporter.shutdown();
        return result;
      }),
    );
    expect(results.map((r) => r.code)).toEqual(results.map(() => ExportResultCode.SUCCESS));
    const stored = new Set(
      (await t.select<{ span_id: string }>('SELECT span_id FROM spans')).map((r) => r.span_id),
    );
    expect(batches.flat().every((s) => stored.has(s.spanContext().spanId))).toBe(true);
  });
});
