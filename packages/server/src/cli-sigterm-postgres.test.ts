/**
 * SIGTERM on PostgreSQL while exporters keep sending: every export received before the signal gets
 * its answer (none sees its connection closed first), and every span acknowledged is stored.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres } from '../test-support/dialects.js';
import { conversationTurn } from '../test-support/otel-spans.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../test-support/postgres.js';
import { spawnCli, waitForListening } from '../test-support/spawn-cli.js';

type Result = { status: number } | { error: string };

describePostgres('fawkes serve on SIGTERM', () => {
  let database: TestPostgresDatabase;
  beforeAll(async () => {
    database = await createTestPostgresDatabase();
  });
  afterAll(() => database?.drop());

  it('answers every export sent before the signal, stores everything acknowledged and exits 0', async () => {
    const cli = spawnCli(['serve'], {
      PHOENIX_SQL_DATABASE_URL: database.url,
      PHOENIX_PORT: '0',
      PHOENIX_GRPC_PORT: '0',
    });
    const url = await waitForListening(cli);
    const acknowledged = new Set<string>();
    /** Requests sent before the signal, still waiting for their answer when it was sent. */
    const inFlightAtSignal: Promise<Result>[] = [];
    const inFlight = new Set<Promise<Result>>();
    let signalled = false;
    const send = async (): Promise<Result> => {
      const spans = Array.from({ length: 5 }, () => conversationTurn()).flat();
      try {
        const response = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: ProtobufTraceSerializer.serializeRequest(spans)!,
        });
        await response.arrayBuffer();
        if (response.status === 200) for (const s of spans) acknowledged.add(s.spanContext().spanId);
        return { status: response.status };
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return { error: cause?.code ?? cause?.message ?? String(error) };
      }
    };
    const sender = async () => {
      while (!signalled) {
        const request = send();
        inFlight.add(request);
        await request;
        inFlight.delete(request);
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    // The signal comes in the middle of the load, once a good number of exports are answered.
    while (acknowledged.size < 600) await new Promise((r) => setTimeout(r, 10));
    signalled = true;
    inFlightAtSignal.push(...inFlight);
    cli.child.kill('SIGTERM');
    await Promise.all(senders);
    const answers = await Promise.all(inFlightAtSignal);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toContain('Stopped.');
    expect(inFlightAtSignal.length).toBeGreaterThan(0);
    // Each one was sent before the signal: answered (stored, or 503 to retry), never cut off.
    for (const answer of answers)
      expect(answer).toSatisfy((a: Result) => 'status' in a && (a.status === 200 || a.status === 503));

    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const rows = (await client.query<{ span_id: string }>('SELECT span_id FROM spans')).rows;
      const stored = new Set(rows.map((r) => r.span_id));
      expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
