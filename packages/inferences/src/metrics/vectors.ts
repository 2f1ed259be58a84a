import type { EmbeddingVectors, RowSpan } from './types.js';

/** The mean of the present vectors over `span` (Float64), or null when there is none. */
export function centroid(vectors: EmbeddingVectors, span: RowSpan): Float64Array | null {
  const { dimension, data, present } = vectors;
  const sum = new Float64Array(dimension);
  let n = 0;
  // Two rows at a time where both are present: the loop is bound by memory, this halves the passes over `sum`.
  let pending = -1;
  for (let row = span.start; row < span.end; row++) {
    if (!present[row]) continue;
    n++;
    if (pending < 0) {
      pending = row;
      continue;
    }
    const a = pending * dimension;
    const b = row * dimension;
    for (let d = 0; d < dimension; d++) sum[d]! += data[a + d]! + data[b + d]!;
    pending = -1;
  }
  if (pending >= 0) {
    const a = pending * dimension;
    for (let d = 0; d < dimension; d++) sum[d]! += data[a + d]!;
  }
  if (n === 0) return null;
  for (let d = 0; d < dimension; d++) sum[d]! /= n;
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
