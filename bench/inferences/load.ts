/**
 * bench/inferences/load.ts — issue #14 A.4: an inference set of 100,000 rows with 30 scalar columns
 * (20 floats with 5 % nulls, 5 integers, 5 categories) and one 768-dimensional embedding
 * (float32) is written to a Parquet file in a temp dir, then `Inferences.fromParquet` (read,
 * validate, normalise the timestamps, sort by time, hold the columns) is timed BENCH_LOAD_RUNS
 * times (default 3), each in a fresh child process (so that no run pays for the garbage of the
 * one before), with that process's RSS after the load and its peak (VmHWM). Baseline, also in
 * fresh processes: polars reading the same file into a DataFrame, nothing else (the floor).
 * Target: ≤ 5 s.
 *
 *   npx tsc -b packages/inferences && node --import tsx bench/inferences/load.ts
 *   BENCH_LOAD_ROWS=20000 node --import tsx bench/inferences/load.ts     # a quick look
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { Inferences } from '../../packages/inferences/dist/index.js';
import { CATEGORIES, DIMENSION, FLOATS, INTEGERS, schema, writeDataset } from './dataset.js';

const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 3);

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function peakRss(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((text) => text.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) * 1024 : Number.NaN;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface RunResult {
  seconds: number;
  rss: number;
  peak: number;
}

/** In a child process: one timed load (or, for the baseline, one polars read), printed as JSON. */
async function runOnce(path: string, baseline: boolean): Promise<void> {
  const start = performance.now();
  if (baseline) {
    const frame = await pl.scanParquet(path).collect();
    if (frame.height !== ROWS) throw new Error('the baseline read the wrong rows');
  } else {
    const set = await Inferences.fromParquet(path, schema, 'primary');
    const vectors = set.embedding('embedding')!.vectors;
    if (!(vectors.data instanceof Float32Array) || vectors.data.length !== ROWS * DIMENSION) {
      throw new Error('the vectors are not one Float32 block');
    }
  }
  const result: RunResult = {
    seconds: (performance.now() - start) / 1000,
    rss: process.memoryUsage().rss,
    peak: peakRss(),
  };
  console.log(JSON.stringify(result));
}

function child(...args: string[]): string {
  return execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
}

async function measure(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-bench-inferences-'));
  try {
    const path = join(dir, 'primary.parquet');
    const writeStart = performance.now();
    child('--write', path);
    console.log(
      `wrote ${ROWS} rows × (${FLOATS + INTEGERS + CATEGORIES} scalars + ${DIMENSION}-dim embedding): ${mib(statSync(path).size)} in ${((performance.now() - writeStart) / 1000).toFixed(1)} s`,
    );
    const loads: RunResult[] = [];
    const baselines: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      baselines.push(JSON.parse(child('--baseline', path)) as RunResult);
      const load = JSON.parse(child('--load', path)) as RunResult;
      loads.push(load);
      console.log(
        `run ${run + 1}: fromParquet + validation ${load.seconds.toFixed(2)} s (polars read alone ${baselines[run]!.seconds.toFixed(2)} s); RSS after ${mib(load.rss)}, peak ${mib(load.peak)} (polars read alone: peak ${mib(baselines[run]!.peak)})`,
      );
    }
    const seconds = loads.map((load) => load.seconds);
    console.log(
      `median ${median(seconds).toFixed(2)} s (polars read alone ${median(baselines.map((b) => b.seconds)).toFixed(2)} s), best ${Math.min(...seconds).toFixed(2)} s (target ≤ 5 s); peak RSS ${mib(Math.max(...loads.map((load) => load.peak)))}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, file] = process.argv.slice(2);
if (mode === '--write') await writeDataset(file!, { rows: ROWS });
else if (mode === '--load' || mode === '--baseline') await runOnce(file!, mode === '--baseline');
else await measure();
