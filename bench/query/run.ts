/**
 * bench:query — the filter language compiled to SQL, over the read benchmark's data (realistic
 * traces in 3 projects, written through the real span writer) plus `correctness` annotations on a
 * tenth of the LLM spans (a fifth of them `incorrect`). At 100k and then 1M spans it times, in
 * process on a read connection, the first page (100 spans, newest first) of one project for:
 *
 * - the two target filters of issue #5 (`span_kind == 'LLM' and llm.token_count.total > 1000`;
 *   `annotations['correctness'].label == 'incorrect'`),
 * - the baseline: the same first page without a filter (the floor for this disk and CPU),
 *
 * through `querySpans` (what POST /v1/spans and getSpansDataframe run), p50 / p95 over
 * BENCH_QUERY_ITERATIONS runs after a warm-up. Then, at the largest size, annotations become dense
 * (10 names on every LLM span, ~3M rows; `correctness` 2 % `incorrect`) and a rare and a common
 * label are timed: the two cases between which compileSpanFilterFor chooses. See bench/README.md.
 *
 *   npm run bench:query                    # SQLite
 *   npm run bench:query:pg                 # PostgreSQL (pg-run.ts)
 *   BENCH_QUERY_SIZES=20000,100000 npm run bench:query
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { QueryDialect } from '../../packages/server/dist/span-query/dialect.js';
import { postgresDialect } from '../../packages/server/dist/span-query/postgres-dialect.js';
import { querySpans } from '../../packages/server/dist/span-query/query-spans.js';
import { sqliteDialect } from '../../packages/server/dist/span-query/sqlite-dialect.js';
import { postgresKysely } from '../../packages/server/dist/store/postgres/kysely.js';
import { createPostgresPool } from '../../packages/server/dist/store/postgres/pool.js';
import type { Database } from '../../packages/server/dist/store/schema.js';
import { sqliteKysely } from '../../packages/server/dist/store/sqlite/kysely.js';
import { openMigratedSqlite } from '../../packages/server/dist/store/sqlite/migrate-sqlite.js';
import { openSqlite } from '../../packages/server/dist/store/sqlite/open.js';
import { PROJECTS, sessionsFor, writeSessions } from '../read/dataset.js';
import { openPostgresDataset } from '../read/pg-dataset.js';

const SIZES = (process.env.BENCH_QUERY_SIZES ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.env.BENCH_QUERY_ITERATIONS ?? 50);
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const PAGE = 100;

const QUERIES: Record<string, string | null> = {
  'baseline: first page, no filter': null,
  "span_kind == 'LLM' and llm.token_count.total > 1000":
    "span_kind == 'LLM' and llm.token_count.total > 1000",
  "annotations['correctness'].label == 'incorrect'": "annotations['correctness'].label == 'incorrect'",
};

const DENSE_QUERIES: Record<string, string> = {
  "dense: annotations['correctness'].label == 'incorrect' (2 %)":
    "annotations['correctness'].label == 'incorrect'",
  "dense: annotations['correctness'].label == 'correct' (98 %)":
    "annotations['correctness'].label == 'correct'",
};

/** The store under test: span writes through its own span writer, other writes and reads with Kysely. */
interface BenchStore {
  dialect: QueryDialect;
  /** Writes sessions [from, to); how many spans. */
  writeSessions(from: number, to: number): Promise<number>;
  /** For the annotation inserts. */
  writes: Kysely<Database>;
  /** What the queries read through (SQLite: a read-only connection, as the server's). */
  reads: Kysely<Database>;
  /** Fresh statistics before measuring. */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

async function sqliteStore(dir: string): Promise<BenchStore> {
  const path = join(dir, 'fawkes.db');
  const writer = await openMigratedSqlite(path);
  const writes = sqliteKysely(writer);
  const reads = sqliteKysely(openSqlite(path, { readonly: true }));
  return {
    dialect: sqliteDialect,
    writeSessions: async (from, to) => writeSessions(writer, from, to),
    writes,
    reads,
    analyze: async () => {
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.exec('ANALYZE');
    },
    close: async () => {
      await reads.destroy();
      await writes.destroy();
    },
  };
}

async function postgresStore(url: string): Promise<BenchStore> {
  const dataset = await openPostgresDataset(url);
  const db = postgresKysely(createPostgresPool({ url }, { max: 2, applicationName: 'fawkes-bench-query' }));
  return {
    dialect: postgresDialect,
    writeSessions: (from, to) => dataset.write(from, to),
    writes: db,
    reads: db,
    analyze: () => dataset.analyze(),
    close: async () => {
      await db.destroy();
      await dataset.close();
    },
  };
}

const insertAnnotations = (
  name: string,
  label: ReturnType<typeof sql.raw>,
  where: ReturnType<typeof sql>,
) => sql`
  INSERT INTO span_annotations (span_rowid, name, label, score, explanation, metadata, annotator_kind,
    identifier, source, user_id, created_at, updated_at)
  SELECT id, ${name}, ${label}, 0.5, NULL, '{}', 'LLM', '', 'API', NULL, ${sql.lit(Date.now() * 1000)},
    ${sql.lit(Date.now() * 1000)}
  FROM spans WHERE span_kind = 'LLM' AND ${where}`;

async function countAnnotations(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('span_annotations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A tenth of the LLM spans after `fromRowId` get a correctness annotation, a fifth of them `incorrect`. */
async function annotate(db: Kysely<Database>, fromRowId: number): Promise<void> {
  await insertAnnotations(
    'correctness',
    sql.raw(`CASE WHEN (id / 10) % 5 = 0 THEN 'incorrect' ELSE 'correct' END`),
    sql`id > ${fromRowId} AND id % 10 = 0`,
  ).execute(db);
}

/** Every LLM span gets 9 `eval_<k>` annotations and a `correctness` one, 2 % of them `incorrect`. */
async function annotateDensely(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('span_annotations').execute();
  await insertAnnotations(
    'correctness',
    sql.raw(`CASE WHEN (id / 10) % 50 = 0 THEN 'incorrect' ELSE 'correct' END`),
    sql`1 = 1`,
  ).execute(db);
  for (let k = 0; k < 9; k++) {
    await insertAnnotations(
      `eval_${k}`,
      sql.raw(`CASE WHEN id % 7 = 0 THEN 'bad' ELSE 'good' END`),
      sql`1 = 1`,
    ).execute(db);
  }
}

interface Measured {
  p50: number;
  p95: number;
  rows: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** p50 / p95 of the first page of `filter` (no filter: the baseline), projects in turn. */
async function measure(store: BenchStore, filter: string | null): Promise<Measured> {
  const times: number[] = [];
  let rows = 0;
  for (let i = -5; i < ITERATIONS; i++) {
    const t = performance.now();
    const frame = await querySpans(store.reads, store.dialect, {
      projectName: PROJECTS[Math.abs(i) % PROJECTS.length]!,
      limit: PAGE,
      ...(filter ? { filterCondition: filter } : {}),
      query: { select: { name: { key: 'name' } } },
    });
    if (i >= 0) times.push(performance.now() - t);
    rows = frame.rows.length;
  }
  times.sort((a, b) => a - b);
  return {
    p50: Number(percentile(times, 50).toFixed(2)),
    p95: Number(percentile(times, 95).toFixed(2)),
    rows,
  };
}

async function main() {
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-bench-query-'));
  const dialect = DATABASE_URL ? 'postgresql' : 'sqlite';
  const results: { spans: number; queries: Record<string, Measured> }[] = [];
  const dense: Record<string, Measured> = {};
  try {
    const store = DATABASE_URL ? await postgresStore(DATABASE_URL) : await sqliteStore(workingDir);
    try {
      let sessions = 0;
      let spans = 0;
      let lastRowId = 0;
      for (const size of SIZES) {
        const target = sessionsFor(size);
        const started = performance.now();
        spans += await store.writeSessions(sessions, target);
        sessions = target;
        await annotate(store.writes, lastRowId);
        const max = await store.writes
          .selectFrom('spans')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst();
        lastRowId = Number(max?.id ?? 0);
        await store.analyze();
        const seconds = ((performance.now() - started) / 1000).toFixed(0);
        console.log(
          `${dialect}: ${spans} spans, ${await countAnnotations(store.writes)} annotations (${seconds} s)`,
        );
        const queries: Record<string, Measured> = {};
        for (const [name, filter] of Object.entries(QUERIES)) queries[name] = await measure(store, filter);
        console.table(queries);
        results.push({ spans, queries });
      }
      await annotateDensely(store.writes);
      await store.analyze();
      console.log(`${dialect}: ${spans} spans, ${await countAnnotations(store.writes)} annotations (dense)`);
      for (const [name, filter] of Object.entries(DENSE_QUERIES)) dense[name] = await measure(store, filter);
      console.table(dense);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(workingDir, { recursive: true, force: true });
  }
  const date = new Date().toISOString();
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`../results/query-${dialect}-${date.slice(0, 19).replace(/:/g, '')}.json`, import.meta.url),
    `${JSON.stringify({ date, node: process.version, dialect, iterations: ITERATIONS, page: PAGE, results, dense }, null, 2)}\n`,
  );
  const sizes = results.map((r) => `p50 / p95 at ${r.spans / 1000}k`);
  console.log(`\n| query (${dialect}, first page of ${PAGE}) | ${sizes.join(' | ')} |`);
  console.log(`| --- | ${results.map(() => '---').join(' | ')} |`);
  for (const name of Object.keys(QUERIES)) {
    const cells = results.map((r) => `${r.queries[name]!.p50} / ${r.queries[name]!.p95} ms`);
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  for (const [name, m] of Object.entries(dense)) {
    const cells = results.map((_, i) => (i === results.length - 1 ? `${m.p50} / ${m.p95} ms` : '–'));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

await main();
