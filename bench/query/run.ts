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
 * (10 names on every LLM spans, ~3M rows; `correctness` 2 % `incorrect`) and a rare and a common
 * label are timed: the two cases between which compileSpanFilterFor chooses. See bench/README.md.
 *
 *   npm run bench:query
 *   BENCH_QUERY_SIZES=20000,100000 npm run bench:query
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../packages/query/dist/index.js';
import { compileSpanFilter } from '../../packages/server/dist/query/compile-filter.js';
import { querySpans } from '../../packages/server/dist/query/query-spans.js';
import { sqliteDialect } from '../../packages/server/dist/query/sqlite-dialect.js';
import { sqliteKysely } from '../../packages/server/dist/store/sqlite/kysely.js';
import { openMigratedSqlite } from '../../packages/server/dist/store/sqlite/migrate-sqlite.js';
import { openSqlite } from '../../packages/server/dist/store/sqlite/open.js';
import { PROJECTS, sessionsFor, writeSessions } from '../read/dataset.js';

const SIZES = (process.env.BENCH_QUERY_SIZES ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.env.BENCH_QUERY_ITERATIONS ?? 50);
const PAGE = 100;

const DENSE_QUERIES: Record<string, string> = {
  "dense: annotations['correctness'].label == 'incorrect' (2 %)":
    "annotations['correctness'].label == 'incorrect'",
  "dense: annotations['correctness'].label == 'correct' (98 %)":
    "annotations['correctness'].label == 'correct'",
};

const QUERIES: Record<string, string | null> = {
  'baseline: first page, no filter': null,
  "span_kind == 'LLM' and llm.token_count.total > 1000":
    "span_kind == 'LLM' and llm.token_count.total > 1000",
  "annotations['correctness'].label == 'incorrect'": "annotations['correctness'].label == 'incorrect'",
};

/** A tenth of the LLM spans written since `fromRowId` get a correctness annotation, a fifth `incorrect`. */
function annotate(db: ReturnType<typeof openSqlite>, fromRowId: number): number {
  const now = Date.now() * 1000;
  return db
    .prepare(
      `INSERT INTO span_annotations (span_rowid, name, label, score, explanation, metadata, annotator_kind,
         identifier, source, user_id, created_at, updated_at)
       SELECT id, 'correctness', CASE WHEN (id / 10) % 5 = 0 THEN 'incorrect' ELSE 'correct' END,
         CASE WHEN (id / 10) % 5 = 0 THEN 0 ELSE 1 END, NULL, '{}', 'LLM', '', 'API', NULL, ?, ?
       FROM spans WHERE id > ? AND span_kind = 'LLM' AND id % 10 = 0`,
    )
    .run(now, now, fromRowId).changes;
}

/** Every LLM span gets 9 `eval_<k>` annotations and a `correctness` one, 2 % of them `incorrect`. */
function annotateDensely(db: ReturnType<typeof openSqlite>): number {
  const now = Date.now() * 1000;
  db.exec(`DELETE FROM span_annotations`);
  const insert = (name: string, label: string) =>
    db
      .prepare(
        `INSERT INTO span_annotations (span_rowid, name, label, score, explanation, metadata, annotator_kind,
           identifier, source, user_id, created_at, updated_at)
         SELECT id, ?, ${label}, 0.5, NULL, '{}', 'LLM', '', 'API', NULL, ?, ? FROM spans WHERE span_kind = 'LLM'`,
      )
      .run(name, now, now).changes;
  let rows = insert('correctness', `CASE WHEN (id / 10) % 50 = 0 THEN 'incorrect' ELSE 'correct' END`);
  for (let k = 0; k < 9; k++) rows += insert(`eval_${k}`, `CASE WHEN id % 7 = 0 THEN 'bad' ELSE 'good' END`);
  return rows;
}

interface Measured {
  p50: number;
  p95: number;
  rows: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(run: (i: number) => Promise<number>): Promise<Measured> {
  const times: number[] = [];
  let rows = 0;
  for (let i = -5; i < ITERATIONS; i++) {
    const t = performance.now();
    rows = await run(i);
    if (i >= 0) times.push(performance.now() - t);
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
  const path = join(workingDir, 'fawkes.db');
  const results: { spans: number; queries: Record<string, Measured> }[] = [];
  const denseResults: Record<string, Measured> = {};
  try {
    const writer = await openMigratedSqlite(path);
    let sessions = 0;
    let spans = 0;
    let annotations = 0;
    let lastRowId = 0;
    for (const size of SIZES) {
      const target = sessionsFor(size);
      const started = performance.now();
      spans += writeSessions(writer, sessions, target);
      sessions = target;
      annotations += annotate(writer, lastRowId);
      lastRowId = (writer.prepare('SELECT max(id) AS id FROM spans').get() as { id: number }).id;
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.exec('ANALYZE');
      console.log(
        `${spans} spans, ${annotations} annotations (written in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
      const reader = openSqlite(path, { readonly: true });
      const db = sqliteKysely(reader);
      if (process.env.BENCH_QUERY_PLANS) printPlans(reader);
      const queries: Record<string, Measured> = {};
      for (const [name, filter] of Object.entries(QUERIES)) {
        queries[name] = await measure(async (i) => {
          const projectName = PROJECTS[Math.abs(i) % PROJECTS.length]!;
          const frame = await querySpans(db, sqliteDialect, {
            projectName,
            limit: PAGE,
            ...(filter ? { filterCondition: filter } : {}),
            query: { select: { name: { key: 'name' } } },
          });
          return frame.rows.length;
        });
      }
      console.table(queries);
      results.push({ spans, queries });
      await db.destroy();
    }
    const dense = annotateDensely(writer);
    writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.exec('ANALYZE');
    console.log(`${spans} spans, ${dense} annotations (dense)`);
    const db = sqliteKysely(openSqlite(path, { readonly: true }));
    for (const [name, filter] of Object.entries(DENSE_QUERIES)) {
      denseResults[name] = await measure(async (i) => {
        const projectName = PROJECTS[Math.abs(i) % PROJECTS.length]!;
        const frame = await querySpans(db, sqliteDialect, {
          projectName,
          limit: PAGE,
          filterCondition: filter,
          query: { select: { name: { key: 'name' } } },
        });
        return frame.rows.length;
      });
    }
    console.table(denseResults);
    await db.destroy();
    writer.close();
  } finally {
    rmSync(workingDir, { recursive: true, force: true });
  }
  const date = new Date().toISOString();
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`../results/query-${date.slice(0, 19).replace(/:/g, '')}.json`, import.meta.url),
    `${JSON.stringify({ date, node: process.version, iterations: ITERATIONS, page: PAGE, results, dense: denseResults }, null, 2)}\n`,
  );
  console.log(
    `\n| query (first page of ${PAGE}) | ${results.map((r) => `p50 / p95 at ${r.spans / 1000}k`).join(' | ')} |`,
  );
  console.log(`| --- | ${results.map(() => '---').join(' | ')} |`);
  for (const name of Object.keys(QUERIES)) {
    console.log(
      `| ${name} | ${results.map((r) => `${r.queries[name]!.p50} / ${r.queries[name]!.p95} ms`).join(' | ')} |`,
    );
  }
}

/** EXPLAIN QUERY PLAN of each filter's first page (BENCH_QUERY_PLANS=1). */
function printPlans(reader: ReturnType<typeof openSqlite>) {
  const db = sqliteKysely(reader);
  for (const filter of Object.values(QUERIES)) {
    let q = db
      .selectFrom('spans')
      .crossJoin('traces')
      .whereRef('traces.id', '=', 'spans.trace_rowid')
      .select(['spans.id'])
      .where('traces.project_id', '=', 1);
    if (filter) q = q.where(compileSpanFilter(parseFilter(filter).condition, sqliteDialect));
    const { sql, parameters } = q
      .orderBy('spans.start_time', 'desc')
      .orderBy('spans.id', 'desc')
      .limit(PAGE)
      .compile();
    console.log(filter ?? '(no filter)');
    for (const row of reader.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(parameters as unknown[]))) {
      console.log('  ', (row as { detail: string }).detail);
    }
  }
}

await main();
