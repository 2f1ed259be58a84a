import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CommandsUnderTest, openCommands } from '../../test-support/commands-under-test.js';
import {
  describeEachDialect,
  describePostgres,
  openTestDatabase,
  type TestDatabase,
} from '../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../test-support/rest-client.js';
import { hexId, spanRecord } from '../../test-support/span-records.js';
import { startTestServer } from '../../test-support/test-server.js';
import type { SpanRecord } from '../model/span-record.js';
import { postgresKysely } from '../store/postgres/kysely.js';
import { createPostgresPool } from '../store/postgres/pool.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { MICROS_PER_DAY } from './policy.js';
import { InProcessSweepLock, PostgresSweepLock, type SweepLock } from './sweep-lock.js';
import { RetentionSweeper, type SweeperOptions } from './sweeper.js';

const NOW = 1_800_000_000_000_000;

function trace(projectName: string, days: number): { traceId: string; spans: SpanRecord[] } {
  const traceId = hexId(16);
  const startTime = NOW - days * MICROS_PER_DAY;
  return {
    traceId,
    spans: [spanRecord({ projectName, traceId, spanId: hexId(8), startTime, endTime: startTime + 5 })],
  };
}

/** Resolves once `open()` is called. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describeEachDialect('retention sweeper', (dialect) => {
  let store: TestDatabase;
  let under: CommandsUnderTest;
  beforeEach(async () => {
    store = await openTestDatabase(dialect);
    under = openCommands(store);
  });
  afterEach(async () => {
    await under.close();
    await store.close();
  });

  const sweeper = (lock: SweepLock, extra: Partial<SweeperOptions> = {}) =>
    new RetentionSweeper({
      reads: { db: store.db, dialect },
      commands: under.commands,
      lock,
      defaultRetentionDays: 60,
      intervalMs: 0,
      batchTraces: 2,
      now: () => NOW,
      ...extra,
    });
  const remaining = async () =>
    (await store.db.selectFrom('traces').select('trace_id').orderBy('trace_id').execute()).map(
      (r) => r.trace_id,
    );

  it("deletes exactly the traces each project's policy in force expires, batch by batch", async () => {
    const c = under.commands;
    const aged = [45, 31, 29, 1].map((d) => trace('aged', d));
    const counted = [50, 40, 30, 20, 10].map((d) => trace('counted', d));
    const both = [90, 20, 10, 5].map((d) => trace('both', d));
    const byDefault = [61, 59].map((d) => trace('by-default', d));
    const keepAll = [400, 100].map((d) => trace('keep-all', d));
    await c.logSpans({ spans: [aged, counted, both, byDefault, keepAll].flat().flatMap((t) => t.spans) });
    const id = async (name: string) =>
      (await store.db.selectFrom('projects').select('id').where('name', '=', name).executeTakeFirstOrThrow())
        .id;
    await c.setRetentionPolicy({ projectId: await id('aged'), limits: { maxAgeDays: 30, maxTraces: null } });
    await c.setRetentionPolicy({
      projectId: await id('counted'),
      limits: { maxAgeDays: null, maxTraces: 2 },
    });
    await c.setRetentionPolicy({ projectId: await id('both'), limits: { maxAgeDays: 30, maxTraces: 2 } });
    await c.setRetentionPolicy({
      projectId: await id('keep-all'),
      limits: { maxAgeDays: null, maxTraces: null },
    });

    const batches: number[] = [];
    const s = sweeper(new InProcessSweepLock(), { onBatch: (p) => void batches.push(p.deletedTraces) });
    expect(await s.sweepOnce()).toEqual({ status: 'swept', deletedTraces: 2 + 3 + 2 + 1 });
    // At most two traces a batch: the sweep went in several transactions.
    expect(batches.length).toBeGreaterThanOrEqual(5);
    const kept = [aged[2], aged[3], counted[3], counted[4], both[2], both[3], byDefault[1], ...keepAll];
    expect(await remaining()).toEqual(kept.map((t) => t!.traceId).sort());
    expect(await s.sweepOnce()).toEqual({ status: 'swept', deletedTraces: 0 });
    await s.close();
  });

  it('answers busy while its own sweep runs, and stops after the current batch once closed', async () => {
    await under.commands.logSpans({ spans: [1, 2, 3, 4, 5, 6].flatMap((i) => trace('old', 100 + i).spans) });
    const held = gate();
    let batches = 0;
    const s = sweeper(new InProcessSweepLock(), {
      onBatch: async () => {
        batches++;
        await held.opened;
      },
    });
    const first = s.sweepOnce();
    expect(await s.sweepOnce()).toEqual({ status: 'busy' });
    await expect.poll(() => batches).toBe(1);
    const closed = s.close();
    held.open();
    await closed;
    expect(await first).toEqual({ status: 'swept', deletedTraces: 2 });
    expect(await remaining()).toHaveLength(4);
  });
});

describePostgres('retention sweepers of several servers on one database', () => {
  let store: TestDatabase;
  beforeEach(async () => {
    store = await openTestDatabase('postgresql');
  });
  afterEach(() => store.close());

  /** What one server runs: its own pool, commands, reads and advisory lock. */
  function server(onBatch?: SweeperOptions['onBatch']) {
    const under = openCommands(store);
    if (store.location.dialect !== 'postgresql') throw new Error('unreachable');
    const pool = createPostgresPool(store.location, { max: 3 });
    const reads: ReadStore = { db: postgresKysely(pool), dialect: 'postgresql' };
    const sweeper = new RetentionSweeper({
      reads,
      commands: under.commands,
      lock: new PostgresSweepLock(pool),
      defaultRetentionDays: 30,
      intervalMs: 0,
      batchTraces: 1,
      now: () => NOW,
      ...(onBatch ? { onBatch } : {}),
    });
    return {
      sweeper,
      async close() {
        await sweeper.close();
        await reads.db.destroy();
        await under.close();
      },
    };
  }

  it('never sweep together: while one holds the lock the other answers busy, then it may sweep', async () => {
    const under = openCommands(store);
    await under.commands.logSpans({ spans: [31, 32, 33, 1].flatMap((d) => trace('shared', d).spans) });
    await under.close();
    const held = gate();
    let batchesOfA = 0;
    const a = server(async () => {
      batchesOfA++;
      await held.opened;
    });
    const b = server();
    try {
      const sweepOfA = a.sweeper.sweepOnce();
      // A is inside its sweep (its first batch is done) and holds the lock until the gate opens.
      await expect.poll(() => batchesOfA).toBe(1);
      for (let i = 0; i < 3; i++) expect(await b.sweeper.sweepOnce()).toEqual({ status: 'busy' });
      held.open();
      expect(await sweepOfA).toEqual({ status: 'swept', deletedTraces: 3 });
      expect(await b.sweeper.sweepOnce()).toEqual({ status: 'swept', deletedTraces: 0 });
      expect(await store.db.selectFrom('traces').select('id').execute()).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describeEachDialect('the server sweeps on its own', (dialect) => {
  it('applies a policy set through the API at the next sweep', async () => {
    const t = await startTestServer({}, { retentionSweepIntervalMs: 20 }, dialect);
    try {
      const http = api(t.server.url);
      for (const start of ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']) {
        const end = new Date(Date.parse(start) + 1000).toISOString();
        const logged = await http.post('/v1/projects/swept/spans', {
          data: [loggedSpan({ traceId: otelId(16), spanId: otelId(8), start, end })],
        });
        expect(logged.status).toBe(202);
      }
      const count = () => t.query<{ n: number }>('SELECT count(*) AS n FROM traces')[0]!.n;
      expect(Number(count())).toBe(3);
      expect((await http.put('/v1/projects/swept/retention_policy', { max_traces: 1 })).status).toBe(200);
      await expect.poll(() => Number(count()), { timeout: 10_000 }).toBe(1);
      const left = t.query<{ start_time: number }>('SELECT start_time FROM traces');
      expect(Number(left[0]!.start_time)).toBe(Date.parse('2024-01-03T00:00:00Z') * 1000);
    } finally {
      await t.close();
    }
  });
});
