/**
 * The inferences benchmarks' data set: ROWS rows of 20 floats (5 % nulls), 5 integers, 5 categories
 * and a 768-dimensional embedding, over ten days, written to Parquet by polars (no JS arrays of
 * vectors); a `shift` makes a drifted copy.
 */
import pl from 'nodejs-polars';
import { Schema } from '../../packages/inferences/dist/index.js';

export const DIMENSION = 768;
export const FLOATS = 20;
export const INTEGERS = 5;
export const CATEGORIES = 5;

/** A deterministic generator (mulberry32), so that every run reads the same file. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DatasetOptions {
  rows: number;
  /** The generator's seed (the load benchmark's file: 14). */
  seed?: number;
  /** Added to every float and integer, and to the vectors (÷ 100): a drifted set. */
  shift?: number;
  /** The first row's day (rows spread over ten days from it). */
  startMillis?: number;
}

/** Writes the set to a Parquet file. */
export async function writeDataset(
  path: string,
  { rows: ROWS, seed = 14, shift = 0, startMillis = Date.UTC(2026, 2, 1) }: DatasetOptions,
): Promise<void> {
  const next = random(seed);
  const columns: pl.Series[] = [];
  columns.push(
    pl.Series(
      'prediction_id',
      Array.from({ length: ROWS }, (_, i) => `id-${i}`),
    ),
  );
  // Ten days of rows, not in time order (the load sorts them), with microseconds.
  const start = startMillis * 1000;
  const micros = Float64Array.from({ length: ROWS }, () => start + Math.floor(next() * 10 * 86_400e6));
  columns.push(pl.Series('timestamp', micros).cast(pl.Int64).cast(pl.Datetime('us', 'UTC')));
  for (let c = 0; c < FLOATS; c++) {
    columns.push(
      pl.Series(
        `float_${c}`,
        Array.from({ length: ROWS }, () => (next() < 0.05 ? null : next() * 100 + shift)),
      ),
    );
  }
  for (let c = 0; c < INTEGERS; c++) {
    columns.push(
      pl.Series(
        `int_${c}`,
        Int32Array.from({ length: ROWS }, () => Math.floor(next() * 1000 + shift)),
      ),
    );
  }
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  for (let c = 0; c < CATEGORIES; c++) {
    columns.push(
      pl.Series(
        `category_${c}`,
        Array.from({ length: ROWS }, () => words[Math.floor(next() * 8)]!),
      ),
    );
  }
  // The vectors: one flat float32 column grouped into one list per row by polars (no JS arrays).
  const flat = Float32Array.from({ length: ROWS * DIMENSION }, () => next() + shift / 100);
  const rowOfValue = Int32Array.from({ length: ROWS * DIMENSION }, (_, i) => Math.floor(i / DIMENSION));
  const vectors = (await pl
    .DataFrame([pl.Series('row', rowOfValue), pl.Series('vector', flat)])
    .lazy()
    .groupBy('row', { maintainOrder: true })
    .agg(pl.col('vector'))
    .collect()) as pl.DataFrame;
  columns.push(vectors.getColumn('vector'));
  pl.DataFrame(columns).writeParquet(path);
}

export const schema = new Schema({
  predictionIdColumnName: 'prediction_id',
  timestampColumnName: 'timestamp',
  featureColumnNames: [
    ...Array.from({ length: FLOATS }, (_, c) => `float_${c}`),
    ...Array.from({ length: INTEGERS }, (_, c) => `int_${c}`),
  ],
  tagColumnNames: Array.from({ length: CATEGORIES }, (_, c) => `category_${c}`),
  embeddingFeatureColumnNames: { embedding: { vectorColumnName: 'vector' } },
});
