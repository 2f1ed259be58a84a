import { sql } from 'kysely';
import type pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePostgres, openTestDatabase, type TestDatabase } from '../../../test-support/dialects.js';
import { hexId, spanRecord } from '../../../test-support/span-records.js';
import type { SpanRecord } from '../../model/span-record.js';
import { createPostgresPool } from './pool.js';
import { PostgresSpanWriter } from './span-writer.js';

/** A small deterministic random source, so that a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Traces of 3–12 spans in random trees; most in one of a few sessions, some joining theirs late. */
function workload(rand: () => number, traces: number, sessions: string[]): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let t = 0; t < traces; t++) {
    const traceId = hexId(16);
    const t0 = 1_700_000_000_000_000 + Math.floor(rand() * 1e9);
    const session = rand() < 0.8 ? sessions[Math.floor(rand() * sessions.length)]! : null;
    const lateJoin = session !== null && rand() < 0.3;
    const n = 3 + Math.floor(rand() * 10);
    const trace: SpanRecord[] = [];
    for (let i = 0; i < n; i++) {
      const parent = i === 0 ? null : trace[Math.floor(rand() * i)]!;
      const llm = i > 0 && rand() < 0.4;
      const start = t0 + i * 1000 + Math.floor(rand() * 500);
      trace.push(
        spanRecord({
          traceId,
          spanId: hexId(8),
          parentId: parent?.spanId ?? null,
          name: `s${i}`,
          spanKind: llm ? 'LLM' : 'CHAIN',
          startTime: start,
          endTime: start + 1 + Math.floor(rand() * 50_000),
          statusCode: rand() < 0.15 ? 'ERROR' : 'OK',
          // With a late join only a non-root span carries the session id.
          sessionId: session && (lateJoin ? i === n - 1 && n > 1 : true) ? session : null,
          llmTokenCountPrompt: llm ? 1 + Math.floor(rand() * 100) : 0,
          llmTokenCountCompletion: llm ? Math.floor(rand() * 50) : 0,
          inputValue: i === 0 ? `in ${traceId}` : null,
          outputValue: i === 0 ? `out ${traceId}` : null,
          attributes:
            i === 0 ? { input: { value: `in ${traceId}` }, output: { value: `out ${traceId}` } } : {},
        }),
      );
    }
    spans.push(...trace);
  }
  return spans;
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function batches<T>(items: T[], rand: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(rand() * 40);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Everything derived at write time, in a dialect-neutral shape to compare. */
async function snapshot(store: TestDatabase) {
  const spans = await store.db
    .selectFrom('spans')
    .select([
      'span_id',
      'cumulative_error_count',
      'cumulative_llm_token_count_prompt',
      'cumulative_llm_token_count_completion',
    ])
    .orderBy('span_id')
    .execute();
  const traces = await store.db
    .selectFrom('traces as t')
    .leftJoin('project_sessions as s', 's.id', 't.project_session_id')
    .select(['t.trace_id', 't.start_time', 't.end_time', 's.session_id'])
    .orderBy('t.trace_id')
    .execute();
  const sessions = await store.db
    .selectFrom('project_sessions')
    .select([
      'session_id',
      'start_time',
      'end_time',
      'num_traces',
      'token_count_prompt',
      'token_count_completion',
      'error_count',
      'first_input',
      'last_output',
    ])
    .orderBy('session_id')
    .execute();
  return { spans, traces, sessions };
}

describePostgres('two span writers on one database', () => {
  let store: TestDatabase;
  let reference: TestDatabase;
  const pools: pg.Pool[] = [];

  beforeEach(async () => {
    store = await openTestDatabase('postgresql');
    reference = await openTestDatabase('sqlite');
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    await store.close();
    await reference.close();
  });

  const writer = () => {
    if (store.location.dialect !== 'postgresql') throw new Error('unreachable');
    const pool = createPostgresPool(store.location, { max: 3 });
    pools.push(pool);
    return new PostgresSpanWriter(pool);
  };

  it.each([1, 2, 3])(
    'keep every count right while writing overlapping traces and sessions at once, without deadlocks (seed %i)',
    async (seed) => {
      const rand = random(seed);
      const sessions = ['s-a', 's-b', 's-c', 's-d'].map((s) => `${s}-${seed}`);
      const spans = workload(rand, 120, sessions);

      // Each span goes to server A or B (a tenth to both, as an exporter's retry to another server),
      // in random order and batch sizes; each server runs three transactions at a time.
      const forA: SpanRecord[] = [];
      const forB: SpanRecord[] = [];
      for (const span of spans) {
        const r = rand();
        if (r < 0.45 || r >= 0.9) forA.push(span);
        if (r >= 0.45) forB.push(span);
      }
      const a = writer();
      const b = writer();
      const lanes = (w: PostgresSpanWriter, work: SpanRecord[][]) =>
        Array.from({ length: 3 }, async () => {
          let inserted = 0;
          for (let batch = work.shift(); batch; batch = work.shift())
            inserted += (await w.writeBatch(batch)).inserted;
          return inserted;
        });
      const inserted = await Promise.all([
        ...lanes(a, batches(shuffle(forA, rand), rand)),
        ...lanes(b, batches(shuffle(forB, rand), rand)),
      ]);
      expect(inserted.reduce((x, y) => x + y, 0)).toBe(spans.length);

      // The same spans, one at a time, into SQLite: the reference for every derived value.
      const { SqliteSpanWriter } = await import('../sqlite/span-writer.js');
      const { openSqlite } = await import('../sqlite/open.js');
      if (reference.location.dialect !== 'sqlite') throw new Error('unreachable');
      const connection = openSqlite(reference.location.path);
      new SqliteSpanWriter(connection).writeBatch(spans);
      connection.close();

      const got = await snapshot(store);
      const want = await snapshot(reference);
      expect(got.spans).toEqual(want.spans);
      expect(got.traces).toEqual(want.traces);
      expect(got.sessions).toEqual(want.sessions);
      expect(got.sessions.reduce((n, s) => n + s.num_traces, 0)).toBe(
        got.traces.filter((t) => t.session_id !== null).length,
      );

      expect(a.retries + b.retries).toBe(0);
      await sql`SELECT pg_stat_force_next_flush()`.execute(store.db);
      const { rows } = await sql<{
        deadlocks: number;
      }>`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`.execute(store.db);
      expect(rows).toEqual([{ deadlocks: 0 }]);
    },
  );
});
