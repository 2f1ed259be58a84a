/**
 * bench/inferences/metrics.ts — issue #14 C.7: the model home page's whole table for a primary and
 * a reference set of 100,000 rows each, 30 scalar columns (20 floats with 5 % nulls, 5 integers, 5
 * categories) and one 768-dimensional embedding: every dimension's data quality (primary) and PSI
 * against the reference (its binning made once), and the embedding's Euclidean drift. Then one PSI
 * time series (2-day window every day over 10 days) and one hourly count-and-mean series. Each
 * figure is the median of BENCH_RUNS (default 5) runs after one warm-up. Targets: table ≤ 300 ms,
 * one series ≤ 100 ms.
 *
 *   npx tsc -b packages/inferences && node --import tsx bench/inferences/metrics.ts
 */
import {
  centroid,
  type DimensionValues,
  dataQuality,
  drift,
  euclideanDistance,
  histogram,
  type RowSpan,
  referenceBinning,
  timeSeries,
} from '../../packages/inferences/dist/metrics/index.js';
import { random } from './dataset.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIMENSION = 768;
const DAY = 86_400_000;

interface Set {
  columns: { values: DimensionValues; shape: 'continuous' | 'discrete' }[];
  vectors: { dimension: number; data: Float32Array; present: Uint8Array };
  timestamps: Float64Array;
}

function makeSet(seed: number, shift: number, start: number): Set {
  const next = random(seed);
  const columns: Set['columns'] = [];
  for (let c = 0; c < 20; c++) {
    const values = Float64Array.from({ length: ROWS }, () =>
      next() < 0.05 ? Number.NaN : next() * 100 + shift,
    );
    columns.push({ values: { kind: 'numeric', dtype: 'float', values }, shape: 'continuous' });
  }
  for (let c = 0; c < 5; c++) {
    const values = Float64Array.from({ length: ROWS }, () => Math.floor(next() * 90 + shift));
    columns.push({ values: { kind: 'numeric', dtype: 'int', values }, shape: 'continuous' });
  }
  const categories = Array.from({ length: 12 }, (_, i) => `category-${i}`);
  for (let c = 0; c < 5; c++) {
    const values = Array.from({ length: ROWS }, () =>
      next() < 0.03 ? null : categories[Math.floor(next() * 12)]!,
    );
    columns.push({ values: { kind: 'categorical', values }, shape: 'discrete' });
  }
  const data = new Float32Array(ROWS * DIMENSION);
  for (let i = 0; i < data.length; i++) data[i] = next() + shift / 100;
  const timestamps = Float64Array.from({ length: ROWS }, (_, i) => start + (i / ROWS) * 10 * DAY);
  return {
    columns,
    vectors: { dimension: DIMENSION, data, present: new Uint8Array(ROWS).fill(1) },
    timestamps,
  };
}

const lowerBound = (sorted: Float64Array, t: number) => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < t) low = middle + 1;
    else high = middle;
  }
  return low;
};
const spanOf = (set: Set, start: number, end: number): RowSpan => ({
  start: lowerBound(set.timestamps, start),
  end: lowerBound(set.timestamps, end),
});

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(label: string, target: number, work: () => void): void {
  work();
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  const m = median(samples);
  console.log(
    `${label}: median ${m.toFixed(1)} ms (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}; target ≤ ${target} ms) ${m <= target ? 'met' : 'MISSED'}`,
  );
}

const reference = makeSet(1, 0, Date.UTC(2026, 2, 1));
const primary = makeSet(2, 10, Date.UTC(2026, 2, 11));
const all = { start: 0, end: ROWS };
console.log(
  `${ROWS.toLocaleString()} rows per set, 30 scalar columns, one ${DIMENSION}-dimensional embedding; ${RUNS} runs`,
);

time('home table (30 × data quality + PSI, embedding drift)', 300, () => {
  for (const [c, column] of primary.columns.entries()) {
    const ref = reference.columns[c]!;
    dataQuality(column.values, all);
    const binning = referenceBinning(column.shape, ref.values, all);
    drift('psi', histogram(binning, column.values, all), histogram(binning, ref.values, all));
  }
  euclideanDistance(centroid(primary.vectors, all), centroid(reference.vectors, all));
});

const range = { start: primary.timestamps[0]!, end: primary.timestamps[ROWS - 1]! + 60_000 };
time('one PSI time series (2-day window, daily, 10 days)', 100, () => {
  const column = primary.columns[0]!;
  const ref = reference.columns[0]!.values;
  const binning = referenceBinning(column.shape, ref, all);
  const refHistogram = histogram(binning, ref, all);
  timeSeries(range, { evaluationWindowMinutes: 2880, samplingIntervalMinutes: 1440 }, (w) =>
    drift('psi', histogram(binning, column.values, spanOf(primary, w.start, w.end)), refHistogram),
  );
});
time('one hourly mean series (240 points)', 100, () => {
  const column = primary.columns[0]!;
  timeSeries(
    range,
    { evaluationWindowMinutes: 60, samplingIntervalMinutes: 60 },
    (w) => dataQuality(column.values, spanOf(primary, w.start, w.end)).mean,
  );
});
