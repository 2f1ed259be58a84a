/** Helpers for the projection tests and the benchmark: the adjusted Rand index, Gaussian blobs, the nlp fixture. */
import { readFileSync } from 'node:fs';
import pl from 'nodejs-polars';
import type { EmbeddingVectors } from '../src/metrics/types.js';
import { gaussian, seededRandom } from '../src/projection/random.js';

/** Adjusted Rand index (Hubert & Arabie 1985) of two labellings of the same points; noise (−1) is a label like any other. */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  if (a.length !== b.length) throw new RangeError('the labellings must have the same length');
  const n = a.length;
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const joint = new Map<string, number>();
  const rows = new Map<number | string, number>();
  const cols = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const count of joint.values()) index += pairs(count);
  let sumRows = 0;
  for (const count of rows.values()) sumRows += pairs(count);
  let sumCols = 0;
  for (const count of cols.values()) sumCols += pairs(count);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** `clusters` isotropic Gaussian blobs in `dimension` dimensions (centres ~N(0, spread²), unit noise), as one vector block. */
export function gaussianBlobs(options: {
  clusters: number;
  perCluster: number;
  dimension: number;
  spread: number;
  seed: number;
}): { vectors: EmbeddingVectors; labels: Int32Array } {
  const { clusters, perCluster, dimension, spread, seed } = options;
  const random = seededRandom(seed);
  const centres = Float64Array.from({ length: clusters * dimension }, () => gaussian(random) * spread);
  const n = clusters * perCluster;
  const data = new Float32Array(n * dimension);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let d = 0; d < dimension; d++)
      data[i * dimension + d] = centres[c * dimension + d]! + gaussian(random);
  }
  return { vectors: { dimension, data, present: new Uint8Array(n).fill(1) }, labels };
}

export const NLP_FIXTURE = new URL('../../../../shared/fixtures/inferences/nlp/', import.meta.url);

/** A set of the nlp fixture: its 128-dimensional `text_vector` block and its texts (time-sorted as stored). */
export function readNlpSet(set: 'primary' | 'reference'): {
  vectors: EmbeddingVectors;
  texts: string[];
  timestamps: Float64Array;
} {
  const frame = pl.readParquet(new URL(`${set}.parquet`, NLP_FIXTURE).pathname);
  const lists = frame.getColumn('text_vector').toArray() as unknown as (ArrayLike<number> | null)[];
  const dimension = 128;
  const data = new Float32Array(lists.length * dimension);
  const present = new Uint8Array(lists.length);
  lists.forEach((vector, row) => {
    if (vector === null) return;
    present[row] = 1;
    data.set(Array.from(vector), row * dimension);
  });
  const texts = frame.getColumn('text').toArray() as string[];
  const nanos = frame.getColumn('timestamp').cast(pl.Int64).toArray() as (bigint | number)[];
  const timestamps = Float64Array.from(nanos, (value) => Number(value) / 1e6);
  return { vectors: { dimension, data, present }, texts, timestamps };
}

export interface UmapReferenceWindow {
  sampled_rows: { primary: number[]; reference: number[] };
  clusters: { id: string; size: number; primary: number; reference: number; driftRatio: number }[];
  trustworthiness_k10: number;
}

export function readUmapReference(): {
  parameters: Record<string, number>;
  text_embedding: Record<'phoenix_default_window' | 'whole_primary_range', UmapReferenceWindow>;
} {
  return JSON.parse(readFileSync(new URL('umap_reference.json', NLP_FIXTURE), 'utf8'));
}
