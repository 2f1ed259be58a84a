import { status } from '@grpc/grpc-js';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, describePostgres } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { otlpGrpcClient } from '../../test-support/otlp-grpc-client.js';
import { startRecordingProxy } from '../../test-support/recording-proxy.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const turns = (n: number) => Array.from({ length: n }, () => conversationTurn()).flat();

describeEachDialect('back-pressure', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    // A tiny queue: a request is refused whenever another one's spans are still waiting for their commit.
    t = await startTestServer({ maxQueuedSpans: 10 }, {}, dialect);
  });
  afterAll(() => t.close());

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
    const client = otlpGrpcClient(t.server.grpcPort);
    const errors = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.exportRequest(ProtobufTraceSerializer.serializeRequest(turns(10))!),
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
});

describePostgres('back-pressure with a real exporter', () => {
  let t: TestServer;
  let admin: pg.Client;
  beforeAll(async () => {
    t = await startTestServer({ maxQueuedSpans: 10 }, {}, 'postgresql');
    const location = t.server.config.database;
    if (location.dialect !== 'postgresql') throw new Error('unreachable');
    admin = new pg.Client({ connectionString: location.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  const post = (spans: ReturnType<typeof turns>) =>
    fetch(`${t.server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: ProtobufTraceSerializer.serializeRequest(spans)!,
    });
  /** The writer's transactions that wait for the lock the test holds (pg_locks: pg_stat_activity is a snapshot within a transaction). */
  const blockedTransactions = async () =>
    (
      await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'projects'::regclass`,
      )
    ).rows[0]!.n;
  const until = async (condition: () => Promise<boolean>) => {
    while (!(await condition())) await new Promise((r) => setImmediate(r));
  };

  it('gets every span in by retrying after a 503 with Retry-After', async () => {
    // Hold the writer: its transactions wait for this lock (reads go on), so nothing drains.
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE projects IN EXCLUSIVE MODE');
    // Fill the writer: its two transactions in flight (each waiting), then the queue (one request
    // waits: of two requests sent now, one is queued and the other refused, whichever comes first).
    const held = [post(turns(10))];
    await until(async () => (await blockedTransactions()) === 1);
    held.push(post(turns(10)));
    await until(async () => (await blockedTransactions()) === 2);
    const contenders = [post(turns(10)), post(turns(10))];
    const first = await Promise.race(contenders);
    expect(first.status).toBe(503);

    // The exporter's first attempt is refused, for certain: the queue stays full while the lock is held.
    const front = await startRecordingProxy(t.server.url);
    const exporter = new ProtoExporter({ url: `${front.url}/v1/traces` });
    const spans = turns(10);
    const exported = new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    await front.until((statuses) => statuses.includes(503));
    await admin.query('COMMIT');

    // Then it waits as told (Retry-After: 1) and sends again, to a writer with nothing left to do.
    expect((await exported).code).toBe(ExportResultCode.SUCCESS);
    expect(front.statuses).toEqual([503, 200]);
    await exporter.shutdown();
    await front.close();
    expect((await Promise.all([...held, ...contenders])).map((r) => r.status).sort()).toEqual([
      200, 200, 200, 503,
    ]);
    const stored = new Set(
      (await t.select<{ span_id: string }>('SELECT span_id FROM spans')).map((r) => r.span_id),
    );
    expect(spans.every((s) => stored.has(s.spanContext().spanId))).toBe(true);
  });
});
