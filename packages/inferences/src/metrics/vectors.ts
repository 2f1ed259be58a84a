import type { EmbeddingVectors, RowSpan } from './types.js';

/** Rows summed per pass over `sum`: the loop is bound by memory traffic, fewer passes halve the time. */
const ROWS_PER_PASS = 8;

/** Adds the present vectors of `span` to `sum`; returns how many there were. */
export function addVectors(vectors: EmbeddingVectors, span: RowSpan, sum: Float64Array): number {
  const { dimension, data, present } = vectors;
  const rows = new Int32Array(ROWS_PER_PASS);
  let pending = 0;
  let n = 0;
  const flush = () => {
    if (pending === ROWS_PER_PASS) {
      const [r0, r1, r2, r3, r4, r5, r6, r7] = rows;
      for (let d = 0; d < dimension; d++) {
        sum[d]! +=
          data[r0! + d]! +
          data[r1! + d]! +
          (data[r2! + d]! + data[r3! + d]!) +
          (data[r4! + d]! + data[r5! + d]! + (data[r6! + d]! + data[r7! + d]!));
      }
    } else {
      for (let p = 0; p < pending; p++) {
        const base = rows[p]!;
        for (let d = 0; d < dimension; d++) sum[d]! += data[base + d]!;
      }
    }
    pending = 0;
  };
  for (let row = span.start; row < span.end; row++) {
    if (!present[row]) continue;
    n++;
    rows[pending++] = row * dimension;
    if (pending === ROWS_PER_PASS) flush();
  }
  flush();
  return n;
}

/** The mean of the present vectors over `span` (Float64), or null when there is none. */
export function centroid(vectors: EmbeddingVectors, span: RowSpan): Float64Array | null {
  const sum = new Float64Array(vectors.dimension);
  return meanOf(sum, addVectors(vectors, span, sum));
}

/**
 * The same centroid, a slice of `chunkRows` rows at a time: the caller runs other work between the
 * slices (the event loop's), the generator returns the centroid at the end.
 */
export function* centroidInSlices(
  vectors: EmbeddingVectors,
  span: RowSpan,
  chunkRows: number,
): Generator<void, Float64Array | null> {
  const sum = new Float64Array(vectors.dimension);
  let n = 0;
  for (let start = span.start; start < span.end; start += chunkRows) {
    n += addVectors(vectors, { start, end: Math.min(span.end, start + chunkRows) }, sum);
    if (start + chunkRows < span.end) yield;
  }
  return meanOf(sum, n);
}

function meanOf(sum: Float64Array, n: number): Float64Array | null {
  if (n === 0) return null;
  for (let d = 0; d < sum.length; d++) sum[d]! /= n;
  return sum;
}

/** ‖a − b‖₂; NaN when either centroid is missing (an empty window, as Phoenix gives it). */
export function euclideanDistance(a: Float64Array | null, b: Float64Array | null): number {
  if (a === null || b === null || a.length !== b.length) return Number.NaN;
  let s = 0;
  for (let d = 0; d < a.length; d++) {
    const diff = a[d]! - b[d]!;
    s += diff * diff;
  }
  return Math.sqrt(s);
}
