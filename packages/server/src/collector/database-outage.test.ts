import { status } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { otlpGrpcClient } from '../../test-support/otlp-grpc-client.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../test-support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../../test-support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

describePostgres('export requests while PostgreSQL is out of reach', () => {
  let database: TestPostgresDatabase;
  let proxy: TcpProxy;
  let t: TestServer;
  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    const url = new URL(database.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    t = await startTestServer({}, { database: { dialect: 'postgresql', url: url.toString() } });
  });
  afterAll(async () => {
    proxy.restore();
    await t.close();
    await proxy.close();
    await database.drop();
  });

  const spanIds = (spans: ReturnType<typeof conversationTurn>) => spans.map((s) => s.spanContext().spanId);
  const storedOf = async (ids: string[]) =>
    (await t.select<{ span_id: string }>('SELECT span_id FROM spans')).filter((r) => ids.includes(r.span_id))
      .length;

  it('answers 503 + Retry-After (HTTP) and UNAVAILABLE (gRPC), then stores the retried spans once', async () => {
    const overHttp = conversationTurn();
    const overGrpc = conversationTurn();
    const post = () =>
      fetch(`${t.server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: ProtobufTraceSerializer.serializeRequest(overHttp)!,
      });
    const grpc = otlpGrpcClient(t.server.grpcPort);
    try {
      proxy.cut();
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.text()).toMatch(/^Cannot store spans now: Lost the connection to PostgreSQL/);

      const error = await grpc.exportRequest(ProtobufTraceSerializer.serializeRequest(overGrpc)!);
      expect(error?.code).toBe(status.UNAVAILABLE);
      // Retryable for OTLP exporters, with the delay to wait.
      const details = error!.metadata.get('grpc-status-details-bin')[0] as Buffer;
      expect(details.toString('latin1')).toContain('type.googleapis.com/google.rpc.RetryInfo');

      proxy.restore();
      expect(await storedOf([...spanIds(overHttp), ...spanIds(overGrpc)])).toBe(0);

      // What an exporter does next: send the same requests again.
      expect((await post()).status).toBe(200);
      expect(await grpc.exportRequest(ProtobufTraceSerializer.serializeRequest(overGrpc)!)).toBeNull();
      expect(await storedOf(spanIds(overHttp))).toBe(overHttp.length);
      expect(await storedOf(spanIds(overGrpc))).toBe(overGrpc.length);
    } finally {
      grpc.close();
    }
  });
});
