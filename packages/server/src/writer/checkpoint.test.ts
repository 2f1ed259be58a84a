import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn } from '../testing/otel-spans.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

describe('WAL checkpoints on their own thread', () => {
  let t: TestServer;
  const databaseFile = () => join(t.workingDir, 'fawkes.db');
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  async function sizeAfterCheckpoints(atLeast: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    while (statSync(databaseFile()).size < atLeast && Date.now() < deadline) await sleep(50);
    return statSync(databaseFile()).size;
  }

  it('copies committed pages into the database file soon after each commit, long before the WAL reaches SQLite’s automatic threshold', async () => {
    const before = statSync(databaseFile()).size;
    // ~1 MB of spans: well under the 4 MB (1,000 pages) at which SQLite's own checkpoint would run.
    const question = 'why? '.repeat(200);
    for (let i = 0; i < 10; i++) {
      const spans = Array.from({ length: 40 }, () => conversationTurn({ question })).flat();
      const response = await fetch(`${t.server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: ProtobufTraceSerializer.serializeRequest(spans)!,
      });
      expect(response.status).toBe(200);
    }
    expect(await sizeAfterCheckpoints(before + 500_000)).toBeGreaterThan(before + 500_000);
    expect(t.query<{ n: number }>('SELECT count(*) AS n FROM spans')[0]!.n).toBe(10 * 40 * 3);
  });
});
