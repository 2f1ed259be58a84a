/**
 * bench:ingest — sustained OTLP/HTTP protobuf ingest into SQLite, against the raw batched-insert
 * rate of the same rows into the same file, measured in the same run (machines here are noisy, so
 * the ratio is what we track). See bench/README.md for the method and the results table.
 *
 *   npm run bench:ingest                 # defaults: 20 s saturation, 10 s at half load
 *   BENCH_SECONDS=5 npm run bench:ingest # a quick look
 *   BENCH_AUTH=1 npm run bench:ingest    # authentication on, every request with a bearer API key
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../packages/server/dist/store/sqlite/open.js';
import { cpuMicrosOfCommand } from '../process-cpu.js';
import { startBenchServer } from '../server-process.js';
import { RAW_BATCH, RAW_COLUMNS, rawRecords, rawRowValues } from './raw-rows.js';
import { SPANS_PER_REQUEST, Workload } from './workload.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Set by pg-run.ts (npm run bench:ingest:pg): the server and the raw baseline on PostgreSQL. */
const DATABASE_URL = process.env.BENCH_DATABASE_URL;

type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'reset' | 'stopped' }
  | { type: 'stats'; eventLoopMaxMs: number; eventLoopP99Ms: number; peakRssMiB: number; cpuMicros: number };

function ask<T extends ChildMessage['type']>(child: ChildProcess, message: string, reply: T) {
  return new Promise<Extract<ChildMessage, { type: T }>>((resolve) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== reply) return;
      child.off('message', onMessage);
      resolve(m as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
/** With BENCH_AUTH=1: the server's API key, sent on every request. */
let authorization: Record<string, string> = {};

function post(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/traces`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-protobuf',
          'content-length': body.length,
          ...authorization,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;

interface Phase {
  spans: number;
  seconds: number;
  refused: number;
  latencies: number[];
}

/** As fast as the server acknowledges, CONCURRENCY requests in flight. */
async function saturate(url: string, workload: Workload, bodies: Buffer[], seconds: number): Promise<Phase> {
  const phase: Phase = { spans: 0, seconds: 0, refused: 0, latencies: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const sender = async () => {
    while (performance.now() < deadline) {
      const body = bodies[next++] ?? workload.request();
      const t = performance.now();
      const status = await post(url, body);
      phase.latencies.push(performance.now() - t);
      if (status === 200) phase.spans += SPANS_PER_REQUEST;
      else if (status === 503) phase.refused++;
      else throw new Error(`unexpected status ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  phase.seconds = (performance.now() - started) / 1000;
  return phase;
}

/** Open loop at a fixed request rate: latency as an exporter sees it when the server is not saturated. */
async function steady(
  url: string,
  workload: Workload,
  spansPerSecond: number,
  seconds: number,
): Promise<Phase> {
  const phase: Phase = { spans: 0, seconds, refused: 0, latencies: [] };
  const interval = (1000 * SPANS_PER_REQUEST) / spansPerSecond;
  const count = Math.floor((seconds * 1000) / interval);
  const bodies = Array.from({ length: count }, () => workload.request());
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    inFlight.push(
      post(url, bodies[i]!).then((status) => {
        phase.latencies.push(performance.now() - t);
        if (status === 200) phase.spans += SPANS_PER_REQUEST;
        else phase.refused++;
      }),
    );
  }
  await Promise.all(inFlight);
  return phase;
}

/** The ceiling: the same rows, prepared INSERTs, RAW_BATCH rows per transaction, same file and settings. */
function rawInsertRate(databasePath: string, workload: Workload, rows: number): number {
  const db = openSqlite(databasePath);
  db.exec(`CREATE TABLE raw_spans AS SELECT * FROM spans WHERE 0;
    CREATE UNIQUE INDEX raw_span_id ON raw_spans (span_id);
    CREATE INDEX raw_trace_parent ON raw_spans (trace_rowid, parent_id);
    CREATE INDEX raw_start ON raw_spans (start_time);`);
  const insert = db.prepare(
    `INSERT INTO raw_spans (${RAW_COLUMNS}) VALUES (${Array(16).fill('?').join(', ')})`,
  );
  const records = rawRecords(workload, rows);
  const insertMany = db.transaction((batch: typeof records) => {
    for (const r of batch) insert.run(...rawRowValues(r));
  });
  const started = performance.now();
  for (let i = 0; i < records.length; i += RAW_BATCH) insertMany(records.slice(i, i + RAW_BATCH));
  const rate = records.length / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

async function main() {
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-bench-ingest-'));
  const workload = new Workload();
  console.log(
    `workload: ${SPANS_PER_REQUEST} spans per request, ${(workload.bytesPerRequest / SPANS_PER_REQUEST).toFixed(0)} bytes per span (protobuf)`,
  );
  const preEncoded = Array.from({ length: Math.ceil((SECONDS * 60_000) / SPANS_PER_REQUEST) }, () =>
    workload.request(),
  );
  const { child, url, apiKey } = await startBenchServer(workingDir);
  if (apiKey) authorization = { authorization: `Bearer ${apiKey}` };
  try {
    await saturate(url, workload, [], 2); // warm-up: JIT, SQLite cache, connections
    await ask(child, 'reset', 'reset');
    const loadBefore = loadavg()[0]!;
    const cpuBefore = (await ask(child, 'stats', 'stats')).cpuMicros;
    const databaseCpuBefore = DATABASE_URL ? cpuMicrosOfCommand('postgres') : null;
    const max = await saturate(url, workload, preEncoded, SECONDS);
    const maxStats = await ask(child, 'stats', 'stats');
    const databaseCpuAfter = DATABASE_URL ? cpuMicrosOfCommand('postgres') : null;
    const serverCpuMicrosPerSpan = (maxStats.cpuMicros - cpuBefore) / max.spans;
    const databaseCpuMicrosPerSpan =
      databaseCpuBefore === null || databaseCpuAfter === null
        ? null
        : (databaseCpuAfter - databaseCpuBefore) / max.spans;
    const maxRate = max.spans / max.seconds;
    console.log(
      `saturation: ${maxRate.toFixed(0)} spans/s over ${max.seconds.toFixed(1)} s (${max.refused} refused)`,
    );

    await ask(child, 'reset', 'reset');
    const half = await steady(url, workload, maxRate / 2, Math.max(5, SECONDS / 2));
    const halfStats = await ask(child, 'stats', 'stats');
    half.latencies.sort((a, b) => a - b);
    max.latencies.sort((a, b) => a - b);
    await ask(child, 'stop', 'stopped');
    // The server's figures before the raw baseline, so that they survive a baseline that fails.
    console.log(
      `server: half-load ack p50 ${percentile(half.latencies, 50).toFixed(1)} / p99 ${percentile(half.latencies, 99).toFixed(1)} ms, ` +
        `event loop max ${Math.max(maxStats.eventLoopMaxMs, halfStats.eventLoopMaxMs).toFixed(1)} ms, ` +
        `peak RSS ${Math.max(maxStats.peakRssMiB, halfStats.peakRssMiB).toFixed(0)} MiB, load now ${loadavg()[0]!.toFixed(2)}`,
    );

    const rawRows = Math.min(max.spans, 300_000);
    const raw = DATABASE_URL
      ? await (await import('./pg-raw-copy.js')).pgRawCopyRate(DATABASE_URL, workload, rawRows)
      : rawInsertRate(join(workingDir, 'fawkes.db'), workload, rawRows);
    const results = {
      date: new Date().toISOString(),
      database: DATABASE_URL ? 'postgresql' : 'sqlite',
      auth: apiKey !== undefined,
      node: process.version,
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      spansPerSecond: Math.round(maxRate),
      rawInsertSpansPerSecond: Math.round(raw),
      ratioToRaw: Number((maxRate / raw).toFixed(3)),
      saturatedAckP50Ms: Number(percentile(max.latencies, 50).toFixed(1)),
      saturatedAckP99Ms: Number(percentile(max.latencies, 99).toFixed(1)),
      halfLoadSpansPerSecond: Math.round(half.spans / half.seconds),
      halfLoadAckP50Ms: Number(percentile(half.latencies, 50).toFixed(1)),
      halfLoadAckP99Ms: Number(percentile(half.latencies, 99).toFixed(1)),
      halfLoadRefused: half.refused,
      eventLoopMaxMs: Number(Math.max(maxStats.eventLoopMaxMs, halfStats.eventLoopMaxMs).toFixed(1)),
      peakRssMiB: Math.round(Math.max(maxStats.peakRssMiB, halfStats.peakRssMiB)),
      // Noise indicators: CPU the server spent per span (all its threads), and the machine's load
      // before the run (other work on these 2 cores slows every figure above).
      serverCpuMicrosPerSpan: Number(serverCpuMicrosPerSpan.toFixed(1)),
      // PostgreSQL's processes on this machine (a throwaway cluster); null for SQLite or a remote one.
      databaseCpuMicrosPerSpan:
        databaseCpuMicrosPerSpan === null ? null : Number(databaseCpuMicrosPerSpan.toFixed(1)),
      loadAverageBefore: Number(loadBefore.toFixed(2)),
    };
    console.table(results);
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(
      new URL(
        `../results/ingest-${DATABASE_URL ? 'pg-' : ''}${results.date.slice(0, 19).replace(/:/g, '')}.json`,
        import.meta.url,
      ),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    console.log(
      `| ${results.date.slice(0, 10)} | ${results.spansPerSecond} | ${results.rawInsertSpansPerSecond} | ` +
        `${(results.ratioToRaw * 100).toFixed(0)} % | ${results.halfLoadAckP50Ms} / ${results.halfLoadAckP99Ms} ms | ` +
        `${results.eventLoopMaxMs} ms | ${results.peakRssMiB} MiB | ${results.serverCpuMicrosPerSpan} µs | ` +
        `${results.databaseCpuMicrosPerSpan === null ? '' : `${results.databaseCpuMicrosPerSpan} µs | `}${results.loadAverageBefore} |`,
    );
  } finally {
    child.kill();
    agent.destroy();
    rmSync(workingDir, { recursive: true, force: true });
  }
}

await main();
