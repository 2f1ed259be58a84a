/**
 * bench:read — the REST reads a UI and the clients make, over a SQLite file of 100k and then 1M
 * spans (~5k and ~50k sessions, 3 projects), against a real server (compiled code, own process).
 * p50/p95 per query at each size and the growth from 100k to 1M. See bench/README.md.
 *
 *   npm run bench:read                      # 100k then 1M spans
 *   BENCH_READ_SIZES=20000,100000 npm run bench:read
 *   BENCH_READ_TRACE_SORTS=1 npm run bench:read   # + the traces table by start, latency, tokens
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedSqlite } from '../../packages/server/dist/store/sqlite/migrate-sqlite.js';
import type { SqliteConnection } from '../../packages/server/dist/store/sqlite/open.js';
import { startBenchServer } from '../server-process.js';
import {
  LONG_SESSIONS,
  PROJECTS,
  projectOf,
  regularTraceId,
  sessionIdOf,
  sessionsFor,
  writeSessions,
} from './dataset.js';

const SIZES = (process.env.BENCH_READ_SIZES ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.env.BENCH_READ_ITERATIONS ?? 200);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const COST_SORTS = process.env.BENCH_READ_COST_SORTS === '1';
const COST_SORT_ITERATIONS = Number(process.env.BENCH_READ_COST_SORT_ITERATIONS ?? 10);
const TRACE_SORTS = process.env.BENCH_READ_TRACE_SORTS === '1';
const TRACE_SORT_ITERATIONS = Number(process.env.BENCH_READ_TRACE_SORT_ITERATIONS ?? 50);

/** Where the data set is written (PostgreSQL's: pg-dataset.ts). */
export interface BenchDataset {
  /** Writes sessions [from, to); how many spans. */
  write(from: number, to: number): Promise<number>;
  /** Fresh statistics (and a checkpoint) before measuring. */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

function sqliteDataset(db: SqliteConnection): BenchDataset {
  return {
    write: async (from, to) => writeSessions(db, from, to),
    analyze: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('ANALYZE');
    },
    close: async () => {
      db.close();
    },
  };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Measured {
  p50: number;
  p95: number;
}

/** Times `ITERATIONS` requests (after a warm-up), each URL chosen by `pick(i)`; all must be 200. */
async function measure(pick: (i: number) => string, iterations = ITERATIONS): Promise<Measured> {
  const times: number[] = [];
  for (let i = -Math.min(20, iterations); i < iterations; i++) {
    const url = pick(i < 0 ? -i : i);
    const t = performance.now();
    const { status, body } = await get(url);
    const elapsed = performance.now() - t;
    if (status !== 200) throw new Error(`GET ${url} → ${status}: ${body.slice(0, 300)}`);
    if (i >= 0) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return { p50: Number(percentile(times, 50).toFixed(2)), p95: Number(percentile(times, 95).toFixed(2)) };
}

async function sessionCursors(base: string, project: string, order: string, pages: number) {
  const cursors: (string | null)[] = [null];
  for (let i = 0; i < pages; i++) {
    const cursor = cursors[cursors.length - 1];
    const page = JSON.parse(
      (
        await get(
          `${base}/v1/projects/${project}/sessions?limit=100&order=${order}${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).body,
    ) as { next_cursor: string | null };
    if (!page.next_cursor) break;
    cursors.push(page.next_cursor);
  }
  return cursors;
}

async function measureAll(url: string, sessions: number): Promise<Record<string, Measured>> {
  const project = (i: number) => PROJECTS[i % PROJECTS.length]!;
  const cursors = await sessionCursors(url, PROJECTS[0]!, 'desc', 20);
  const longSession = (i: number) => sessionIdOf(i % LONG_SESSIONS);
  const regular = (i: number) => LONG_SESSIONS + ((i * 7919) % Math.max(1, sessions - LONG_SESSIONS));
  return {
    'sessions list page (100, newest first)': await measure((i) => {
      const cursor = cursors[i % cursors.length];
      return `${url}/v1/projects/${PROJECTS[0]}/sessions?limit=100&order=desc${cursor ? `&cursor=${cursor}` : ''}`;
    }),
    'session get (40 traces)': await measure((i) => `${url}/v1/sessions/${longSession(i)}`),
    'session turns (40 turns)': await measure((i) => `${url}/v1/sessions/${longSession(i)}/turns`),
    'spans list (100, trace_id filter ×2)': await measure((i) => {
      const s = regular(i);
      return `${url}/v1/projects/${projectOf(s)}/spans?limit=100&trace_id=${regularTraceId(s, 0)}&trace_id=${regularTraceId(s, 1)}`;
    }),
    'traces list page (100)': await measure((i) => `${url}/v1/projects/${project(i)}/traces?limit=100`),
    ...(COST_SORTS ? await costSorts(url) : {}),
    ...(TRACE_SORTS ? await traceSorts(url) : {}),
  };
}

/**
 * BENCH_READ_TRACE_SORTS=1: the first page of a project's traces sorted by a root-span column (#16):
 * the UI's traces table (root spans) by start, latency and tokens, and the REST list by latency.
 */
async function traceSorts(url: string): Promise<Record<string, Measured>> {
  const project = (i: number) => PROJECTS[i % PROJECTS.length]!;
  const ui = (sort: string) => (i: number) =>
    `${url}/v1/ui/projects/${project(i)}/spans?limit=100&root_spans_only=true&sort=${sort}`;
  const n = TRACE_SORT_ITERATIONS;
  return {
    'UI traces page by start (100)': await measure(ui('start_time'), n),
    'UI traces page by latency (100)': await measure(ui('latency_ms'), n),
    'UI traces page by tokens (100)': await measure(ui('token_count_total'), n),
    'REST traces page by latency (100)': await measure(
      (i) => `${url}/v1/projects/${project(i)}/traces?limit=100&sort=latency_ms`,
      n,
    ),
  };
}

/**
 * BENCH_READ_COST_SORTS=1: the UI tables' first page sorted by cost (#19 A.3), computed on read for
 * every row in range (a span's cost, a trace's or a session's sum), next to the same page by start.
 */
async function costSorts(url: string): Promise<Record<string, Measured>> {
  const ui = (table: string, query: string) => (i: number) =>
    `${url}/v1/ui/projects/${PROJECTS[i % PROJECTS.length]}/${table}?limit=100&${query}`;
  const few = COST_SORT_ITERATIONS;
  return {
    'UI spans page by start (100)': await measure(ui('spans', 'sort=start_time'), few),
    'UI spans page by cost (100)': await measure(ui('spans', 'sort=cost_total'), few),
    'UI traces page by cost (100)': await measure(ui('spans', 'root_spans_only=true&sort=cost_total'), few),
    'UI sessions page by cost (100)': await measure(ui('sessions', 'sort=cost_total'), few),
  };
}

async function main() {
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-bench-read-'));
  const results: { spans: number; sessions: number; queries: Record<string, Measured> }[] = [];
  try {
    // BENCH_DATABASE_URL (pg-run.ts): the data and the server on PostgreSQL.
    const db = DATABASE_URL
      ? await (await import('./pg-dataset.js')).openPostgresDataset(DATABASE_URL)
      : sqliteDataset(await openMigratedSqlite(join(workingDir, 'fawkes.db')));
    let sessions = 0;
    let spans = 0;
    for (const size of SIZES) {
      const target = sessionsFor(size);
      const started = performance.now();
      spans += await db.write(sessions, target);
      sessions = target;
      await db.analyze();
      console.log(
        `${spans} spans in ${sessions} sessions (written in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
      const { child, url } = await startBenchServer(workingDir);
      try {
        const queries = await measureAll(url, sessions);
        console.table(queries);
        results.push({ spans, sessions, queries });
      } finally {
        child.kill();
      }
    }
    await db.close();
  } finally {
    agent.destroy();
    rmSync(workingDir, { recursive: true, force: true });
  }
  const date = new Date().toISOString();
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(
      `../results/read-${DATABASE_URL ? 'pg-' : ''}${date.slice(0, 19).replace(/:/g, '')}.json`,
      import.meta.url,
    ),
    `${JSON.stringify({ date, node: process.version, iterations: ITERATIONS, results }, null, 2)}\n`,
  );
  const first = results[0]!;
  const last = results[results.length - 1]!;
  console.log(
    `\n| query | ${results.map((r) => `p50 / p95 at ${r.spans / 1000}k`).join(' | ')} | growth of p50 |`,
  );
  console.log(`| --- | ${results.map(() => '---').join(' | ')} | --- |`);
  for (const name of Object.keys(first.queries)) {
    const cells = results.map((r) => `${r.queries[name]!.p50} / ${r.queries[name]!.p95} ms`);
    const growth = last.queries[name]!.p50 / first.queries[name]!.p50;
    console.log(`| ${name} | ${cells.join(' | ')} | ${growth.toFixed(2)}× |`);
  }
}

await main();
