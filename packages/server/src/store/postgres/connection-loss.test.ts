import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePostgres, openTestDatabase, type TestDatabase } from '../../testing/dialects.js';
import { hexId, spanRecord } from '../../testing/span-records.js';
import { createPostgresPool } from './pool.js';
import { PostgresSpanWriter } from './span-writer.js';

describePostgres('span writer when connections are lost', () => {
  let store: TestDatabase;
  beforeEach(async () => {
    store = await openTestDatabase('postgresql');
  });
  afterEach(() => store.close());

  it('starts over on a new connection, storing every span once', async () => {
    if (store.location.dialect !== 'postgresql') throw new Error('unreachable');
    const pool = createPostgresPool(store.location, { max: 2, applicationName: 'fawkes-loss-test' });
    const writer = new PostgresSpanWriter(pool);
    const batches = Array.from({ length: 40 }, () => {
      const traceId = hexId(16);
      const root = spanRecord({ traceId, sessionId: 'lossy' });
      return [
        root,
        ...Array.from({ length: 49 }, () =>
          spanRecord({ traceId, parentId: root.spanId, spanKind: 'LLM', llmTokenCountPrompt: 1 }),
        ),
      ];
    });
    let killing = true;
    const killer = (async () => {
      let killed = 0;
      while (killing) {
        const { rows } = await sql<{ n: number }>`SELECT count(pg_terminate_backend(pid))::int AS n
          FROM pg_stat_activity WHERE application_name = 'fawkes-loss-test' AND state = 'active'`.execute(
          store.db,
        );
        killed += rows[0]!.n;
        await new Promise((r) => setTimeout(r, 15));
      }
      return killed;
    })();
    const results = await Promise.all(batches.map((batch) => writer.writeBatch(batch)));
    killing = false;
    const killed = await killer;
    await pool.end();

    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(40 * 50);
    const [row] = (
      await sql<{ spans: number; tokens: number; traces: number }>`SELECT
        (SELECT count(*) FROM spans) AS spans,
        (SELECT token_count_prompt FROM project_sessions WHERE session_id = 'lossy') AS tokens,
        (SELECT num_traces FROM project_sessions WHERE session_id = 'lossy') AS traces`.execute(store.db)
    ).rows;
    expect(row).toEqual({ spans: 2000, tokens: 40 * 49, traces: 40 });
    // Not a vacuous pass: connections were killed in the middle of writes, and writes started over.
    expect(killed).toBeGreaterThan(0);
    expect(writer.retries).toBeGreaterThan(0);
  });
});
