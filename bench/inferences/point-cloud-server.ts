/**
 * bench/inferences/point-cloud-server.ts — issue #18 A.4 / D: the point cloud through the server
 * (launchApp in this process, compiled code from dist/): POST /v1/inferences/embeddings/embedding/umap
 * for a primary and a reference of BENCH_ROWS rows (default 30,000; bench/inferences/dataset.ts's
 * 30 scalars and 768-dimensional vectors, ten days of rows) with n_samples 500 and 5,000 (the 2-day
 * window holds ~6,000 primary rows), then the same request again (cached) and a re-clustering.
 * During each request the event loop's longest pause is measured (monitorEventLoopDelay, 1 ms
 * resolution) while a 10 ms interval keeps the loop busy; the answer is parsed after the measured
 * call, so the pause is the server's (the client's fetch shares the loop, but only receives bytes).
 * Target: no pause > 50 ms while a projection runs.
 *
 *   npm run build && node --import tsx bench/inferences/point-cloud-server.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Inferences } from '../../packages/inferences/dist/index.js';
import { closeApp, launchApp } from '../../packages/server/dist/app/launch-app.js';
import { schema, writeDataset } from './dataset.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 30_000);
const SAMPLES = (process.env.BENCH_SAMPLES ?? '500,5000').split(',').map(Number);

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number; maxPauseMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const ticker = setInterval(() => {}, 10);
  delay.enable();
  const started = performance.now();
  const value = await call();
  const ms = performance.now() - started;
  delay.disable();
  clearInterval(ticker);
  return { value, ms, maxPauseMs: delay.max / 1e6 };
}

const dir = mkdtempSync(join(tmpdir(), 'fawkes-bench-cloud-'));
try {
  await writeDataset(join(dir, 'primary.parquet'), { rows: ROWS, seed: 1 });
  await writeDataset(join(dir, 'reference.parquet'), { rows: ROWS, seed: 2, shift: 20 });
  const primary = await Inferences.fromParquet(join(dir, 'primary.parquet'), schema, 'primary');
  const reference = await Inferences.fromParquet(join(dir, 'reference.parquet'), schema, 'reference');
  const session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true, workingDir: dir });
  const base = session.url.replace(/\/$/, '');
  const post = async (path: string, body: object) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    // Bytes only: decoded and parsed after the measured call, so the pause measured is the server's.
    return Buffer.from(await response.arrayBuffer());
  };
  // The launch's warm-up (the home page's summary, on this loop in slices) is over before measuring.
  const summary = await fetch(`${base}/v1/inferences/summary`);
  if (!summary.ok) throw new Error(`summary: ${summary.status}`);
  await summary.arrayBuffer();
  type Cloud = { data: { points: { event_id: string; coordinates: number[] }[] } };
  console.log(`${ROWS} rows a set, load ${loadavg()[0]!.toFixed(2)}`);
  console.log(
    '| n_samples | points | first call | max pause | cached call | max pause | re-clustering | max pause |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const nSamples of SAMPLES) {
    const path = '/v1/inferences/embeddings/embedding/umap';
    const first = await timed(() => post(path, { n_samples: nSamples }));
    const cached = await timed(() => post(path, { n_samples: nSamples }));
    const { points } = (JSON.parse(first.value.toString('utf8')) as Cloud).data;
    const recluster = await timed(() =>
      post('/v1/inferences/embeddings/embedding/clusters', {
        event_ids: points.map((p) => p.event_id),
        coordinates: points.map((p) => p.coordinates),
        min_cluster_size: 20,
        min_samples: 5,
      }),
    );
    const f = (x: number) => `${Math.round(x)} ms`;
    console.log(
      `| ${nSamples} | ${points.length} | ${f(first.ms)} | ${f(first.maxPauseMs)} | ${f(cached.ms)} | ${f(cached.maxPauseMs)} | ${f(recluster.ms)} | ${f(recluster.maxPauseMs)} |`,
    );
  }
  console.log(`load after: ${loadavg()[0]!.toFixed(2)}`);
} finally {
  await closeApp({ deleteData: true });
  rmSync(dir, { recursive: true, force: true });
}
