import { sql } from 'kysely';
import type pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePostgres, openTestDatabase, type TestDatabase } from '../../../test-support/dialects.js';
import { hexId, spanRecord } from '../../../test-support/span-records.js';
import type { SpanRecord } from '../../model/span-record.js';
import { createPostgresPool } from './pool.js';
import { PostgresSpanWriter } from './span-writer.js';
import { ConnectionLostError, isConnectionLoss, MAX_ATTEMPTS } from './transaction.js';

/**
 * Where to lose the connection: before the `statement`-th text statement (BEGIN is 0) of the
 * transaction on the `connection`-th connection checked out of the pool (0 is the first), or
 * `'COMMIT'` to lose it right before COMMIT. null: leave that connection alone.
 */
type KillPoint = number | 'COMMIT' | null;

/**
 * A pool whose connections PostgreSQL itself terminates (pg_terminate_backend, from another
 * connection) at chosen statements, waiting until the connection is gone before letting the
 * statement go out: a real connection loss at a known point, not a timer racing the work.
 */
function poolLosingConnections(
  pool: pg.Pool,
  admin: TestDatabase['db'],
  killPoint: (connection: number) => KillPoint,
): { pool: pg.Pool; terminations: () => number } {
  let checkouts = 0;
  let terminations = 0;
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const losing = Object.create(pool) as pg.Pool;
  losing.connect = (async () => {
    const client = await connect();
    const point = killPoint(checkouts++);
    let statement = 0;
    let killed = false;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const kill = async () => {
      killed = true;
      // Not events.once: the FATAL message PostgreSQL sends first is an 'error' event, which it rejects on.
      const ended = new Promise((resolve) => client.once('end', resolve));
      const { rows } = await sql<{ terminated: boolean }>`SELECT pg_terminate_backend(${
        (client as unknown as { processID: number }).processID
      }::int) AS terminated`.execute(admin);
      expect(rows[0]!.terminated).toBe(true);
      await ended;
      terminations++;
    };
    return new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver);
        return (...args: unknown[]) => {
          // Only text statements are counted (and killed before); COPY streams pass through.
          if (typeof args[0] !== 'string') return query(...args);
          const text = args[0];
          const due =
            !killed && (point === 'COMMIT' ? text === 'COMMIT' : point === statement) && text !== 'ROLLBACK';
          statement++;
          if (!due) return query(...args);
          return kill().then(() => query(...args));
        };
      },
    });
  }) as typeof pool.connect;
  return { pool: losing, terminations: () => terminations };
}

/** A trace of one root and 49 LLM children (one prompt token each), in session `session`. */
function traceBatch(session: string): SpanRecord[] {
  const traceId = hexId(16);
  const root = spanRecord({ traceId, sessionId: session });
  return [
    root,
    ...Array.from({ length: 49 }, () =>
      spanRecord({ traceId, parentId: root.spanId, spanKind: 'LLM', llmTokenCountPrompt: 1 }),
    ),
  ];
}

describePostgres('span writer when connections are lost', () => {
  let store: TestDatabase;
  let pool: pg.Pool;
  beforeEach(async () => {
    store = await openTestDatabase('postgresql');
    if (store.location.dialect !== 'postgresql') throw new Error('unreachable');
    pool = createPostgresPool(store.location, { max: 2, applicationName: 'fawkes-loss-test' });
  });
  afterEach(async () => {
    await pool.end();
    await store.close();
  });

  const stored = async (session: string) =>
    (
      await sql<{ spans: number; tokens: number | null; traces: number | null }>`SELECT
        (SELECT count(*) FROM spans) AS spans,
        (SELECT token_count_prompt FROM project_sessions WHERE session_id = ${session}) AS tokens,
        (SELECT num_traces FROM project_sessions WHERE session_id = ${session}) AS traces`.execute(store.db)
    ).rows[0];

  it('starts over on a new connection, storing every span once', async () => {
    // The first attempt of every batch loses its connection, each at another point of the
    // transaction: right after BEGIN, at each of the next statements, and right before COMMIT.
    const points: KillPoint[] = [1, 2, 3, 4, 'COMMIT'];
    const batches = Array.from({ length: 40 }, () => traceBatch('lossy'));
    const losing = poolLosingConnections(pool, store.db, (n) => (n < batches.length ? points[n % 5]! : null));
    const writer = new PostgresSpanWriter(losing.pool);

    // Each writeBatch checks out its first connection synchronously, in order: connection n is batch n's first attempt.
    const results = await Promise.all(batches.map((batch) => writer.writeBatch(batch)));

    expect(losing.terminations()).toBe(40);
    expect(writer.retries).toBeGreaterThanOrEqual(40);
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(40 * 50);
    expect(results.every((r) => r.duplicates === 0)).toBe(true);
    expect(await stored('lossy')).toEqual({ spans: 2000, tokens: 40 * 49, traces: 40 });
  });

  it('gives up after its retries with a ConnectionLostError, storing nothing of the batch', async () => {
    const losing = poolLosingConnections(pool, store.db, () => 1);
    const writer = new PostgresSpanWriter(losing.pool);

    const failure = await writer.writeBatch(traceBatch('doomed')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect((failure as ConnectionLostError).attempts).toBe(MAX_ATTEMPTS);
    expect(isConnectionLoss((failure as Error).cause)).toBe(true);
    expect(losing.terminations()).toBe(MAX_ATTEMPTS);
    expect(writer.retries).toBe(MAX_ATTEMPTS - 1);
    expect(await stored('doomed')).toEqual({ spans: 0, tokens: null, traces: null });
    const [{ traces }] = (
      await sql<{ traces: number }>`SELECT count(*) AS traces FROM traces`.execute(store.db)
    ).rows as [{ traces: number }];
    expect(traces).toBe(0);

    // The database is fine again: the same batch goes in whole.
    const healthy = new PostgresSpanWriter(pool);
    expect((await healthy.writeBatch(traceBatch('doomed'))).inserted).toBe(50);
  });
});
