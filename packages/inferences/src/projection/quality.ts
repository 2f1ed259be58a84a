/**
 * Trustworthiness (Venna & Kaski 2001; scikit-learn's `trustworthiness`): how far the k nearest
 * neighbours of each point in the projection are, in rank, from its k nearest in the original
 * space; 1 = every projected neighbour is a true neighbour.
 */
import { seededRandom, shuffleInPlace } from './random.js';

function squaredDistances(
  points: Float32Array,
  n: number,
  dimension: number,
  i: number,
  out: Float64Array,
): void {
  const base = i * dimension;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    const other = j * dimension;
    for (let d = 0; d < dimension; d++) {
      const diff = points[base + d]! - points[other + d]!;
      sum += diff * diff;
    }
    out[j] = sum;
  }
}

/** Indices of the k smallest of `values` other than `self`, nearest first (ties: lower index first). */
function smallest(values: Float64Array, k: number, self: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < values.length; j++) {
    if (j === self) continue;
    const v = values[j]!;
    if (best.length === k && v >= values[best[k - 1]!]!) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && values[best[at - 1]!]! > v) at--;
    best.splice(at, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}

export interface TrustworthinessOptions {
  k?: number;
  /** Evaluate on this many points drawn at random (seeded) instead of all: an unbiased estimate, O(sample · n). */
  sample?: number;
  seed?: number;
}

/** Trustworthiness of `projected` (n × projectedDimension) against `original` (n × originalDimension). */
export function trustworthiness(
  original: Float32Array,
  originalDimension: number,
  projected: Float32Array,
  projectedDimension: number,
  options: TrustworthinessOptions = {},
): number {
  const k = options.k ?? 10;
  const n = original.length / originalDimension;
  if (!Number.isInteger(n) || projected.length !== n * projectedDimension) {
    throw new RangeError('original and projected must hold the same number of points');
  }
  if (!Number.isInteger(k) || k < 1 || k >= n / 2)
    throw new RangeError(`k must be an integer in [1, n/2), got ${k}`);
  let queries = Int32Array.from({ length: n }, (_, i) => i);
  if (options.sample !== undefined && options.sample < n) {
    queries = shuffleInPlace(queries, seededRandom(options.seed ?? 0)).slice(0, options.sample);
  }
  const inOriginal = new Float64Array(n);
  const inProjection = new Float64Array(n);
  let penalty = 0;
  for (const i of queries) {
    squaredDistances(original, n, originalDimension, i, inOriginal);
    squaredDistances(projected, n, projectedDimension, i, inProjection);
    for (const j of smallest(inProjection, k, i)) {
      // j's rank among i's neighbours in the original space (1 = nearest).
      const dj = inOriginal[j]!;
      let rank = 1;
      for (let m = 0; m < n; m++) {
        if (m === i || m === j) continue;
        const dm = inOriginal[m]!;
        if (dm < dj || (dm === dj && m < j)) rank++;
      }
      if (rank > k) penalty += rank - k;
    }
  }
  penalty *= n / queries.length;
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
