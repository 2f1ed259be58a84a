/**
 * bench/inferences/summary.ts — issue #14 C.7 through the server's path: the model home page's
 * whole table (GET /v1/inferences/summary's work) for a primary and a reference set of 100,000
 * rows each (30 scalar columns and a 768-dimensional embedding, bench/inferences/dataset.ts's
 * Parquet files, loaded by Inferences.fromParquet), computed by the server's SummaryPool (two
 * worker threads for the dimensions, the embedding's drift in slices on this thread). Per run, a
 * new pool: its warm-up (the threads, their columns, the reference sides' binnings, the
 * baselines' centroids and all of the primary's table, made when the pool starts, as a server
 * does at launch) and the event
 * loop's longest pause meanwhile (monitorEventLoopDelay, 1 ms resolution); then the first summary
 * (all of the primary), another time range, the first again (cached); and a new pool asked at
 * once. Then through the real HTTP route (a server per run): the first GET
 * the moment the server listens, and the first GET once the warm-up has had its time. Median of
 * BENCH_RUNS (default 5). Target: ≤ 300 ms for the home page's first table.
 *
 *   npm run bench:inferences:summary
 *   BENCH_ROWS=20000 node --import tsx bench/inferences/summary.ts     # a quick look
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { InferenceModel, Inferences } from '../../packages/inferences/dist/index.js';
import { resolveConfig } from '../../packages/server/dist/server/config.js';
import { createServer } from '../../packages/server/dist/server/create-server.js';
import { SummaryPool } from '../../packages/server/dist/server/summary-pool.js';
import { DEFAULT_UMAP_PARAMETERS } from '../../packages/server/dist/server/umap-parameters.js';
import { schema, writeDataset } from './dataset.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 300;
const DAY = 86_400_000;
const PRIMARY_START = Date.UTC(2026, 2, 11);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () => loadavg()[0]!.toFixed(2);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

function report(label: string, samples: number[], target = true): void {
  const m = median(samples);
  const verdict = target ? ` (target ≤ ${TARGET_MS} ms: ${m <= TARGET_MS ? 'met' : 'MISSED'})` : '';
  console.log(
    `${label}: median ${m.toFixed(0)} ms (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)})${verdict}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'fawkes-bench-summary-'));
try {
  const primaryPath = join(dir, 'primary.parquet');
  const referencePath = join(dir, 'reference.parquet');
  await writeDataset(referencePath, { rows: ROWS, seed: 1, startMillis: Date.UTC(2026, 2, 1) });
  await writeDataset(primaryPath, { rows: ROWS, seed: 2, shift: 10, startMillis: PRIMARY_START });
  const model = new InferenceModel({
    primary: await Inferences.fromParquet(primaryPath, schema, 'production'),
    reference: await Inferences.fromParquet(referencePath, schema, 'training'),
  });
  // Another range: days 2 to 7 of the primary's ten.
  const otherRange = { start: PRIMARY_START + 2 * DAY, end: PRIMARY_START + 7 * DAY };
  console.log(
    `${ROWS.toLocaleString()} rows per set, ${model.dimensions.length} dimensions, ${model.embeddings.length} embedding; ${RUNS} runs; load average before ${load()}`,
  );

  // The pool makes what does not depend on the range when it starts (a server starts it at launch),
  // and the summary of all of the primary (the home page's first table): `ready` is that warm-up;
  // "first" is the home page's first table once it is done, "another range" the first time a
  // range is asked for (what a request computes), "at once" the first table asked for the moment
  // the pool starts (worst case: the warm-up).
  // The baselines' centroids are cached per set for the process, so only run 1 pays for them.
  const ready: number[] = [];
  const warmUpPauses: number[] = [];
  const first: number[] = [];
  const atOnce: number[] = [];
  const other: number[] = [];
  const cached: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    const pool = new SummaryPool(model);
    await pool.ready;
    ready.push(performance.now() - started);
    delay.disable();
    warmUpPauses.push(delay.max / 1e6);
    const firstCall = await timed(() => pool.summary());
    if (firstCall.value.dimensions.length !== model.dimensions.length) throw new Error('rows are missing');
    first.push(firstCall.ms);
    other.push((await timed(() => pool.summary(otherRange))).ms);
    cached.push((await timed(() => pool.summary())).ms);
    await pool.close();
    const eager = await timed(() => {
      const fresh = new SummaryPool(model);
      return fresh.summary().finally(() => fresh.close());
    });
    atOnce.push(eager.ms);
  }
  report(
    'SummaryPool warm-up at start (threads, columns, reference sides, baselines, all of the primary)',
    ready,
    false,
  );
  console.log(`  run 1 (baselines' centroids included): ${ready[0]!.toFixed(0)} ms`);
  console.log(
    `  longest event-loop pause during the warm-up: median ${median(warmUpPauses).toFixed(0)} ms (max ${Math.max(...warmUpPauses).toFixed(0)})`,
  );
  report('SummaryPool home page first table after the warm-up (all of the primary)', first);
  report('SummaryPool another time range, first asked (same pool)', other);
  report('SummaryPool cached range', cached, false);
  report('SummaryPool first table asked the moment the pool starts', atOnce, false);

  const httpAtOnce: number[] = [];
  const httpSettled: number[] = [];
  const httpOther: number[] = [];
  const httpCached: number[] = [];
  const otherQuery = `?start_time=${new Date(otherRange.start).toISOString()}&end_time=${new Date(otherRange.end).toISOString()}`;
  const settle = 2 * median(ready);
  for (let run = 0; run < 2 * RUNS; run++) {
    const workingDir = mkdtempSync(join(dir, 'server-'));
    const server = await createServer(resolveConfig({ port: 0, grpcPort: 0, workingDir }, {}), {
      inferences: { model, umapParameters: { ...DEFAULT_UMAP_PARAMETERS } },
    });
    try {
      const get = async (query: string) => {
        const response = await fetch(`${server.url}/v1/inferences/summary${query}`);
        if (response.status !== 200) throw new Error(`summary answered ${response.status}`);
        await response.json();
      };
      // Even runs ask the moment the server listens; odd runs give it twice the warm-up's median first.
      if (run % 2 === 0) httpAtOnce.push((await timed(() => get(''))).ms);
      else {
        await new Promise((resolve) => setTimeout(resolve, settle));
        httpSettled.push((await timed(() => get(''))).ms);
        httpOther.push((await timed(() => get(otherQuery))).ms);
        httpCached.push((await timed(() => get(''))).ms);
      }
    } finally {
      await server.close();
    }
  }
  report(
    `HTTP first GET /v1/inferences/summary ${settle.toFixed(0)} ms after the server starts`,
    httpSettled,
  );
  report('HTTP first GET the moment the server starts', httpAtOnce, false);
  report('HTTP another time range', httpOther);
  report('HTTP cached range', httpCached, false);
  console.log(`load average after ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
