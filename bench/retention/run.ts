/**
 * bench:retention — the retention sweeper under ingest, on SQLite (issue #19 C.2, C.3):
 *
 * 1. preload BENCH_SWEEP_SPANS (default 1,000,000) spans that started 90 days ago, as fast as the
 *    server takes them; then the saturation rate of fresh spans (BENCH_SECONDS, default 20 s);
 * 2. baseline: an open loop at half that rate for BENCH_SECONDS, no sweep: ack p50 / p99;
 * 3. sweep: the project gets max_age_days = 30 while the same half load goes on; ack p50 / p99 from
 *    the policy's PUT until the last old trace is gone (the sweeper runs every second here);
 * 4. steady state: max_traces = the traces now stored, and the half load goes on for
 *    3 × BENCH_SECONDS: the file (plus WAL) should stop growing once the freed pages are reused.
 *
 * The file size is sampled every second throughout. Target: sweep p99 ≤ 2 × baseline p99.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../packages/server/dist/store/sqlite/open.js';
import { SPANS_PER_REQUEST, Workload } from '../ingest/workload.js';
import { startBenchServer } from '../server-process.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SWEEP_SPANS = Number(process.env.BENCH_SWEEP_SPANS ?? 1_000_000);
const CONCURRENCY = 8;
const DAY_NANOS = 86_400e9;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function call(url: string, method: string, path: string, body: Buffer, type: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method, agent, headers: { 'content-type': type, 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const post = (url: string, body: Buffer) => call(url, 'POST', '/v1/traces', body, 'application/x-protobuf');
const putPolicy = async (url: string, policy: object) => {
  const status = await call(
    url,
    'PUT',
    '/v1/projects/bench/retention_policy',
    Buffer.from(JSON.stringify(policy)),
    'application/json',
  );
  if (status !== 200) throw new Error(`PUT retention_policy: ${status}`);
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
    : Number.NaN;
};
const round = (n: number) => Number(n.toFixed(1));

/** CONCURRENCY senders as fast as acknowledged, until `spans` are stored or `seconds` pass. */
async function saturate(url: string, workload: Workload, until: { spans?: number; seconds?: number }) {
  let spans = 0;
  const started = performance.now();
  const deadline = until.seconds ? started + until.seconds * 1000 : Number.POSITIVE_INFINITY;
  const sender = async () => {
    while (performance.now() < deadline && (until.spans === undefined || spans < until.spans)) {
      const status = await post(url, workload.request());
      if (status === 200) spans += SPANS_PER_REQUEST;
      else if (status !== 503) throw new Error(`unexpected status ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return { spans, seconds: (performance.now() - started) / 1000 };
}

/** Open loop at `spansPerSecond` until `done()` (checked every second); the acks' latencies. */
async function steady(url: string, workload: Workload, spansPerSecond: number, done: () => boolean) {
  const latencies: number[] = [];
  let refused = 0;
  const interval = (1000 * SPANS_PER_REQUEST) / spansPerSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let lastCheck = started;
  for (let i = 0; ; i++) {
    const wait = started + i * interval - performance.now();
    // Behind schedule, it still yields, so that the answers (and their latencies) come in.
    await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)));
    if (performance.now() - lastCheck >= 1000) {
      lastCheck = performance.now();
      if (done()) break;
    }
    const body = workload.request();
    const t = performance.now();
    inFlight.push(
      post(url, body).then((status) => {
        latencies.push(performance.now() - t);
        if (status !== 200) refused++;
      }),
    );
  }
  await Promise.all(inFlight);
  return { latencies, refused, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-bench-retention-'));
  const file = join(workingDir, 'fawkes.db');
  /** The database file alone (the WAL comes and goes with checkpoints). */
  const sizeMiB = () => statSync(file).size / 2 ** 20;
  const walMiB = () => {
    try {
      return statSync(`${file}-wal`).size / 2 ** 20;
    } catch {
      return 0;
    }
  };
  process.env.FAWKES_RETENTION_INTERVAL_SECONDS = '1';
  const { child, url } = await startBenchServer(workingDir);
  const reader = openSqlite(file, { readonly: true });
  const count = reader.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM traces WHERE start_time < ?',
  );
  const allTraces = reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM traces');
  const samples: { t: number; phase: string; mib: number; walMiB: number }[] = [];
  let phase = 'preload';
  const t0 = performance.now();
  const sampler = setInterval(
    () =>
      samples.push({
        t: round((performance.now() - t0) / 1000),
        phase,
        mib: round(sizeMiB()),
        walMiB: round(walMiB()),
      }),
    1000,
  );
  try {
    const loadBefore = loadavg()[0]!;
    const preload = await saturate(url, new Workload(Date.now() * 1e6 - 90 * DAY_NANOS), {
      spans: SWEEP_SPANS,
    });
    console.log(`preload: ${preload.spans} spans 90 days old in ${preload.seconds.toFixed(0)} s`);
    const fresh = new Workload();
    phase = 'saturation';
    const max = await saturate(url, fresh, { seconds: SECONDS });
    const rate = max.spans / max.seconds;
    console.log(`saturation: ${rate.toFixed(0)} spans/s`);

    phase = 'baseline';
    const baselineEnd = performance.now() + SECONDS * 1000;
    const baseline = await steady(url, fresh, rate / 2, () => performance.now() >= baselineEnd);
    const mibBeforeSweep = sizeMiB();
    console.log(
      `baseline: ack p50 / p99 ${percentile(baseline.latencies, 50).toFixed(0)} / ${percentile(baseline.latencies, 99).toFixed(0)} ms`,
    );

    phase = 'sweep';
    const cutoffMicros = (Date.now() - 30 * 86_400_000) * 1000;
    const oldTraces = count.get(cutoffMicros)!.n;
    const sweepStarted = performance.now();
    await putPolicy(url, { max_age_days: 30 });
    const sweep = await steady(url, fresh, rate / 2, () => count.get(cutoffMicros)!.n === 0);
    const sweepSeconds = (performance.now() - sweepStarted) / 1000;
    const mibAfterSweep = sizeMiB();
    const freelist = () => Number(reader.pragma('freelist_count', { simple: true }));
    const freePagesAfterSweep = freelist();
    console.log(
      `sweep: ${oldTraces} traces in ${sweepSeconds.toFixed(0)} s; ack p99 ${percentile(sweep.latencies, 99).toFixed(0)} ms (baseline ${percentile(baseline.latencies, 99).toFixed(0)} ms)`,
    );

    phase = 'steady state';
    const kept = allTraces.get()!.n;
    await putPolicy(url, { max_traces: kept });
    const steadyEnd = performance.now() + 3 * SECONDS * 1000;
    const steadyStart = samples.length;
    const held = await steady(url, fresh, rate / 2, () => performance.now() >= steadyEnd);
    const steadySamples = samples.slice(steadyStart).map((s) => s.mib);

    const results = {
      date: new Date().toISOString(),
      sweptSpans: preload.spans,
      sweptTraces: oldTraces,
      saturationSpansPerSecond: Math.round(rate),
      halfLoadSpansPerSecond: Math.round(rate / 2),
      baselineAckP50Ms: round(percentile(baseline.latencies, 50)),
      baselineAckP99Ms: round(percentile(baseline.latencies, 99)),
      sweepAckP50Ms: round(percentile(sweep.latencies, 50)),
      sweepAckP99Ms: round(percentile(sweep.latencies, 99)),
      p99Ratio: Number((percentile(sweep.latencies, 99) / percentile(baseline.latencies, 99)).toFixed(2)),
      sweepSeconds: round(sweepSeconds),
      sweptSpansPerSecond: Math.round(preload.spans / sweepSeconds),
      refused: baseline.refused + sweep.refused + held.refused,
      fileMiBBeforeSweep: round(mibBeforeSweep),
      fileMiBAfterSweep: round(mibAfterSweep),
      freePagesAfterSweep,
      steadyStateTraces: kept,
      steadyStateFileMiBStart: steadySamples[0],
      steadyStateFileMiBEnd: steadySamples.at(-1),
      steadyStateFileMiBMax: Math.max(...steadySamples),
      walMiBMax: Math.max(...samples.map((x) => x.walMiB)),
      steadyStateSpansIngested: Math.round((held.seconds * rate) / 2),
      loadAverageBefore: round(loadBefore),
      loadAverageAfter: round(loadavg()[0]!),
    };
    console.table(results);
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    const name = `retention-${results.date.slice(0, 19).replace(/:/g, '')}.json`;
    writeFileSync(
      new URL(`../results/${name}`, import.meta.url),
      `${JSON.stringify({ ...results, samples }, null, 2)}\n`,
    );
    console.log(
      `| ${results.date.slice(0, 10)} | ${results.sweptSpans} | ${results.halfLoadSpansPerSecond} | ` +
        `${results.baselineAckP50Ms} / ${results.baselineAckP99Ms} ms | ${results.sweepAckP50Ms} / ${results.sweepAckP99Ms} ms | ` +
        `${results.p99Ratio} | ${results.sweepSeconds} s | ${results.fileMiBBeforeSweep} → ${results.fileMiBAfterSweep} MiB | ` +
        `${results.steadyStateFileMiBStart} → ${results.steadyStateFileMiBEnd} MiB (max ${results.steadyStateFileMiBMax}) | ${results.loadAverageBefore} |`,
    );
  } finally {
    clearInterval(sampler);
    reader.close();
    child.kill();
    agent.destroy();
    rmSync(workingDir, { recursive: true, force: true });
  }
}

await main();
