/**
 * bench:metrics — the metrics page's series (GET /v1/projects/{p}/metrics) over one project of 1M
 * spans: the read benchmark's traces (bench/read/dataset.ts, written through the real span writer)
 * all in one project, ~34 days of them, plus span annotations (`correctness` on a tenth of the LLM
 * spans, `helpfulness` on a twentieth). Times each metric, in process on a read connection, as the
 * route computes it (metricPoints + denseSeries), for two ranges: everything (day buckets, as the
 * route picks for 34 days) and the last day (hour buckets); p50 / p95 over BENCH_METRICS_ITERATIONS
 * runs after 3 warm-ups. See bench/README.md.
 *
 *   npm run bench:metrics                 # SQLite
 *   npm run bench:metrics:pg              # PostgreSQL (pg-run.ts)
 *   BENCH_METRICS_SPANS=100000 npm run bench:metrics
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { denseSeries } from '../../packages/server/dist/api/metric-series.js';
import { postgresKysely } from '../../packages/server/dist/store/postgres/kysely.js';
import { migratePostgres } from '../../packages/server/dist/store/postgres/migrate-postgres.js';
import { createPostgresPool } from '../../packages/server/dist/store/postgres/pool.js';
import { PostgresSpanWriter } from '../../packages/server/dist/store/postgres/span-writer.js';
import { sumCosts } from '../../packages/server/dist/store/repositories/costs.js';
import { METRICS, metricPoints } from '../../packages/server/dist/store/repositories/metrics.js';
import type { ReadStore } from '../../packages/server/dist/store/repositories/read-store.js';
import {
  type Bucket,
  bucketStarts,
  chooseBucket,
} from '../../packages/server/dist/store/repositories/time-buckets.js';
import { topModels } from '../../packages/server/dist/store/repositories/top-models.js';
import type { Database } from '../../packages/server/dist/store/schema.js';
import { sqliteKysely } from '../../packages/server/dist/store/sqlite/kysely.js';
import { openMigratedSqlite } from '../../packages/server/dist/store/sqlite/migrate-sqlite.js';
import { openSqlite } from '../../packages/server/dist/store/sqlite/open.js';
import { SqliteSpanWriter } from '../../packages/server/dist/store/sqlite/span-writer.js';
import { session, sessionsFor } from '../read/dataset.js';

const SPANS = Number(process.env.BENCH_METRICS_SPANS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_METRICS_ITERATIONS ?? 20);
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const PROJECT = 'metrics';
const BATCH = 5000;
/** A directory to keep the SQLite file in (and reuse on the next run), for experiments on it. */
const KEEP_DIR = process.env.BENCH_METRICS_DIR;

interface BenchStore {
  reads: ReadStore;
  writes: Kysely<Database>;
  /** Writes sessions [0, count) into PROJECT; how many spans. */
  writeSessions(count: number): Promise<number>;
  /** Spans already there (a kept file). */
  existingSpans(): Promise<number>;
  analyze(): Promise<void>;
  close(): Promise<void>;
}

function* batches(count: number) {
  let batch: ReturnType<typeof session> = [];
  for (let s = 0; s < count; s++) {
    for (const span of session(s)) batch.push({ ...span, projectName: PROJECT });
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function countSpans(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('spans')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function sqliteStore(dir: string): Promise<BenchStore> {
  const path = join(dir, 'fawkes.db');
  const writer = await openMigratedSqlite(path);
  const writes = sqliteKysely(writer);
  const reads = sqliteKysely(openSqlite(path, { readonly: true }));
  return {
    reads: { db: reads, dialect: 'sqlite' },
    writes,
    existingSpans: () => countSpans(writes),
    async writeSessions(count) {
      const spanWriter = new SqliteSpanWriter(writer);
      let written = 0;
      for (const batch of batches(count)) written += spanWriter.writeBatch(batch).inserted;
      return written;
    },
    async analyze() {
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.exec('ANALYZE');
    },
    async close() {
      await reads.destroy();
      await writes.destroy();
    },
  };
}

async function postgresStore(url: string): Promise<BenchStore> {
  await migratePostgres({ url });
  const pool = createPostgresPool({ url }, { max: 2, applicationName: 'fawkes-bench-metrics' });
  const db = postgresKysely(createPostgresPool({ url }, { max: 2, applicationName: 'fawkes-bench-metrics' }));
  return {
    reads: { db, dialect: 'postgresql' },
    writes: db,
    existingSpans: () => countSpans(db),
    async writeSessions(count) {
      const writer = new PostgresSpanWriter(pool);
      let written = 0;
      const inFlight: Promise<void>[] = [];
      for (const batch of batches(count)) {
        inFlight.push(
          writer.writeBatch(batch).then(({ inserted }) => {
            written += inserted;
          }),
        );
        // Two transactions in flight, as the server's writer runs them.
        if (inFlight.length >= 2) await inFlight.shift();
      }
      await Promise.all(inFlight);
      return written;
    },
    async analyze() {
      await pool.query('VACUUM ANALYZE');
    },
    async close() {
      await db.destroy();
      await pool.end();
    },
  };
}

async function annotate(db: Kysely<Database>): Promise<number> {
  const now = sql.lit(Date.now() * 1000);
  for (const [name, every] of [
    ['correctness', 10],
    ['helpfulness', 20],
  ] as const) {
    await sql`
      INSERT INTO span_annotations (span_rowid, name, label, score, explanation, metadata, annotator_kind,
        identifier, source, user_id, created_at, updated_at)
      SELECT id, ${name}, NULL, (id % 7) / 6.0, NULL, '{}', 'LLM', '', 'API', NULL, ${now}, ${now}
      FROM spans WHERE span_kind = 'LLM' AND id % ${sql.lit(every)} = 0`.execute(db);
  }
  const row = await db
    .selectFrom('span_annotations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

interface Measured {
  p50: number;
  p95: number;
  buckets: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(
  store: BenchStore,
  projectId: number,
  metric: (typeof METRICS)[number],
  start: number,
  end: number,
): Promise<Measured> {
  const bucket: Bucket = chooseBucket(start, end);
  const starts = bucketStarts(start, end, bucket, 10_000)!;
  return timed(starts.length, async () => {
    const points = await metricPoints(store.reads, metric, { projectId, start, end, bucket });
    denseSeries(metric, starts, points);
  });
}

/** p50 / p95 of ITERATIONS runs after 3 warm-ups. */
async function timed(buckets: number, run: () => Promise<unknown>): Promise<Measured> {
  const times: number[] = [];
  for (let i = -3; i < ITERATIONS; i++) {
    const t = performance.now();
    await run();
    if (i >= 0) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    p50: Number(percentile(times, 50).toFixed(1)),
    p95: Number(percentile(times, 95).toFixed(1)),
    buckets,
  };
}

/** GET /v1/projects/{p}/cost_summary and …/metrics/top_models over the range, as the routes compute them. */
async function measureCostReads(store: BenchStore, projectId: number, start: number, end: number) {
  return {
    cost_summary: await timed(1, () =>
      sumCosts(store.reads, {
        projectId,
        startFrom: start,
        startBefore: end,
        traceId: null,
        sessionId: null,
        spanId: null,
      }),
    ),
    top_models: await timed(1, () =>
      topModels(store.reads, { projectId, start, end, orderBy: 'cost', limit: 10 }),
    ),
  };
}

async function main() {
  const workingDir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'fawkes-bench-metrics-'));
  mkdirSync(workingDir, { recursive: true });
  const dialect = DATABASE_URL ? 'postgresql' : 'sqlite';
  const results: Record<string, Record<string, Measured>> = {};
  let spans = 0;
  try {
    const store = DATABASE_URL ? await postgresStore(DATABASE_URL) : await sqliteStore(workingDir);
    try {
      const started = performance.now();
      spans = await store.existingSpans();
      let annotations = 0;
      if (spans === 0) {
        spans = await store.writeSessions(sessionsFor(SPANS));
        annotations = await annotate(store.writes);
      }
      await store.analyze();
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`${dialect}: ${spans} spans, ${annotations} annotations in one project (${seconds} s)`);
      const project = await store.reads.db
        .selectFrom('projects')
        .select('id')
        .where('name', '=', PROJECT)
        .executeTakeFirstOrThrow();
      const range = await store.reads.db
        .selectFrom('spans')
        .select((eb) => [eb.fn.min('start_time').as('first'), eb.fn.max('start_time').as('last')])
        .executeTakeFirstOrThrow();
      const end = Number(range.last) + 1;
      const ranges = {
        [`all (${((end - Number(range.first)) / 86_400e6).toFixed(0)} days)`]: Number(range.first),
        'last day': end - 86_400e6,
      };
      for (const [label, start] of Object.entries(ranges)) {
        results[label] = {};
        for (const metric of METRICS) {
          results[label][metric] = await measure(store, Number(project.id), metric, start, end);
        }
        Object.assign(results[label], await measureCostReads(store, Number(project.id), start, end));
        console.log(label);
        console.table(results[label]);
      }
    } finally {
      await store.close();
    }
  } finally {
    if (!KEEP_DIR) rmSync(workingDir, { recursive: true, force: true });
  }
  const date = new Date().toISOString();
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`../results/metrics-${dialect}-${date.slice(0, 19).replace(/:/g, '')}.json`, import.meta.url),
    `${JSON.stringify({ date, node: process.version, dialect, spans, iterations: ITERATIONS, results }, null, 2)}\n`,
  );
  const labels = Object.keys(results);
  console.log(
    `\n| metric (${dialect}, ${spans} spans) | ${labels.map((l) => `p50 / p95, ${l}`).join(' | ')} |`,
  );
  for (const metric of Object.keys(results[labels[0]!] ?? {})) {
    const cells = labels.map((l) => `${results[l]![metric]!.p50} / ${results[l]![metric]!.p95} ms`);
    console.log(`| ${metric} | ${cells.join(' | ')} |`);
  }
}

await main();
