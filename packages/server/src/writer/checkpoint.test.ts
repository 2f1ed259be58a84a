import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const question = 'why? '.repeat(200);

async function send(t: TestServer, turns: number): Promise<void> {
  const spans = Array.from({ length: turns }, () => conversationTurn({ question })).flat();
  const response = await fetch(`${t.server.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: ProtobufTraceSerializer.serializeRequest(spans)!,
  });
  expect(response.status).toBe(200);
}

const fileSize = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

describe('WAL checkpoints on their own thread', () => {
  let t: TestServer;
  const databaseFile = () => join(t.workingDir, 'fawkes.db');
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('copies committed pages into the database file soon after each commit, long before the WAL reaches SQLite’s automatic threshold', async () => {
    const before = fileSize(databaseFile());
    // ~1 MB of spans: well under the 4 MB (1,000 pages) at which SQLite's own checkpoint would run.
    for (let i = 0; i < 10; i++) await send(t, 40);
    // Nothing else writes the file: it grows only through a checkpoint (the test's timeout bounds the wait).
    while (fileSize(databaseFile()) < before + 500_000) await sleep(20);
    expect(fileSize(databaseFile())).toBeGreaterThan(before + 500_000);
    expect(t.query<{ n: number }>('SELECT count(*) AS n FROM spans')[0]!.n).toBe(10 * 40 * 3);
  });
});
