/** Exact k nearest neighbours by brute force (Euclidean), each point's list starting with itself. */

export interface NeighborGraph {
  /** Neighbours per point (the point itself first). */
  k: number;
  /** n × k point indices, nearest first. */
  indices: Int32Array;
  /** n × k Euclidean distances, ascending. */
  distances: Float64Array;
}

/** Sifts the max-heap `dist`/`idx` (k slots from `base`) after its root was replaced. */
function siftDown(dist: Float64Array, idx: Int32Array, base: number, k: number): void {
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= k) return;
    const right = left + 1;
    let largest = left;
    if (right < k && dist[base + right]! > dist[base + left]!) largest = right;
    if (dist[base + largest]! <= dist[base + i]!) return;
    const d = dist[base + i]!;
    dist[base + i] = dist[base + largest]!;
    dist[base + largest] = d;
    const j = idx[base + i]!;
    idx[base + i] = idx[base + largest]!;
    idx[base + largest] = j;
    i = largest;
  }
}

/**
 * The k nearest neighbours (the point itself included, at distance 0) of each of the n points
 * (row-major, `dimension` values a point). O(n² · dimension).
 */
export function nearestNeighbors(
  points: Float32Array,
  n: number,
  dimension: number,
  k: number,
): NeighborGraph {
  if (k < 1 || k > n) throw new RangeError(`k must be in [1, ${n}], got ${k}`);
  const others = k - 1;
  const dist = new Float64Array(n * Math.max(others, 1)).fill(Number.POSITIVE_INFINITY);
  const idx = new Int32Array(n * Math.max(others, 1)).fill(-1);
  if (others > 0) {
    for (let i = 0; i < n; i++) {
      const pi = i * dimension;
      const bi = i * others;
      for (let j = i + 1; j < n; j++) {
        const pj = j * dimension;
        let sum = 0;
        for (let d = 0; d < dimension; d++) {
          const diff = points[pi + d]! - points[pj + d]!;
          sum += diff * diff;
        }
        if (sum < dist[bi]!) {
          dist[bi] = sum;
          idx[bi] = j;
          siftDown(dist, idx, bi, others);
        }
        const bj = j * others;
        if (sum < dist[bj]!) {
          dist[bj] = sum;
          idx[bj] = i;
          siftDown(dist, idx, bj, others);
        }
      }
    }
  }
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const order = new Array<number>(others);
  for (let i = 0; i < n; i++) {
    indices[i * k] = i;
    for (let r = 0; r < others; r++) order[r] = r;
    const base = i * others;
    order.sort((a, b) => dist[base + a]! - dist[base + b]! || idx[base + a]! - idx[base + b]!);
    for (let r = 0; r < others; r++) {
      indices[i * k + 1 + r] = idx[base + order[r]!]!;
      distances[i * k + 1 + r] = Math.sqrt(dist[base + order[r]!]!);
    }
  }
  return { k, indices, distances };
}
