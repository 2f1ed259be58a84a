/** A k-d tree over low-dimensional points (the projected 2-D / 3-D cloud), for HDBSCAN's searches. */

export interface KdTree {
  points: Float32Array;
  dim: number;
  /** Point indices, grouped by node: node x holds order[start[x], end[x]). */
  order: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Children (−1 for a leaf). */
  left: Int32Array;
  right: Int32Array;
  /** Bounding boxes: node x, axis c at lower[x·dim + c] … upper[x·dim + c]. */
  lower: Float64Array;
  upper: Float64Array;
  nodes: number;
}

const LEAF_SIZE = 16;

export function buildKdTree(points: Float32Array, n: number, dim: number): KdTree {
  const capacity = 2 * n + 1;
  const tree: KdTree = {
    points,
    dim,
    order: Int32Array.from({ length: n }, (_, i) => i),
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    left: new Int32Array(capacity).fill(-1),
    right: new Int32Array(capacity).fill(-1),
    lower: new Float64Array(capacity * dim),
    upper: new Float64Array(capacity * dim),
    nodes: 0,
  };
  const build = (from: number, to: number): number => {
    const node = tree.nodes++;
    tree.start[node] = from;
    tree.end[node] = to;
    let widest = 0;
    let width = -1;
    for (let c = 0; c < dim; c++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let r = from; r < to; r++) {
        const v = points[tree.order[r]! * dim + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      tree.lower[node * dim + c] = lo;
      tree.upper[node * dim + c] = hi;
      if (hi - lo > width) {
        width = hi - lo;
        widest = c;
      }
    }
    if (to - from > LEAF_SIZE && width > 0) {
      const middle = (from + to) >>> 1;
      selectNth(tree.order, from, to - 1, middle, points, dim, widest);
      tree.left[node] = build(from, middle);
      tree.right[node] = build(middle, to);
    }
    return node;
  };
  if (n > 0) build(0, n);
  return tree;
}

/** Reorders order[lo..hi] so that order[nth] holds the point of rank nth along `axis`, smaller ones before it (quickselect). */
function selectNth(
  order: Int32Array,
  lo: number,
  hi: number,
  nth: number,
  points: Float32Array,
  dim: number,
  axis: number,
): void {
  const key = (r: number) => points[order[r]! * dim + axis]!;
  const swap = (a: number, b: number) => {
    const t = order[a]!;
    order[a] = order[b]!;
    order[b] = t;
  };
  while (hi > lo) {
    const pivot = key((lo + hi) >>> 1);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (key(i) < pivot) i++;
      while (key(j) > pivot) j--;
      if (i <= j) swap(i++, j--);
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}

/** Squared distance from point p to node x's box. */
export function boxDistanceSquared(tree: KdTree, x: number, p: number): number {
  const { dim, points, lower, upper } = tree;
  let sum = 0;
  for (let c = 0; c < dim; c++) {
    const v = points[p * dim + c]!;
    const lo = lower[x * dim + c]!;
    const hi = upper[x * dim + c]!;
    const gap = v < lo ? lo - v : v > hi ? v - hi : 0;
    sum += gap * gap;
  }
  return sum;
}

export function distanceSquared(points: Float32Array, dim: number, a: number, b: number): number {
  let sum = 0;
  for (let c = 0; c < dim; c++) {
    const diff = points[a * dim + c]! - points[b * dim + c]!;
    sum += diff * diff;
  }
  return sum;
}

/** Squared distance from each point to its rank-th nearest other point (rank ≥ 1). */
export function kthNeighborDistanceSquared(tree: KdTree, n: number, rank: number): Float64Array {
  const { points, dim, order, start, end, left, right } = tree;
  const out = new Float64Array(n);
  const heap = new Float64Array(rank); // max-heap of the rank smallest squared distances
  const stack: number[] = [];
  for (let p = 0; p < n; p++) {
    heap.fill(Number.POSITIVE_INFINITY);
    stack.length = 0;
    stack.push(0);
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (boxDistanceSquared(tree, x, p) >= heap[0]!) continue;
      if (left[x] === -1) {
        for (let r = start[x]!; r < end[x]!; r++) {
          const q = order[r]!;
          if (q === p) continue;
          const d = distanceSquared(points, dim, p, q);
          if (d < heap[0]!) {
            heap[0] = d;
            siftDown(heap, rank);
          }
        }
      } else {
        const a = left[x]!;
        const b = right[x]!;
        // The nearer child last, so that it is searched first.
        if (boxDistanceSquared(tree, a, p) < boxDistanceSquared(tree, b, p)) stack.push(b, a);
        else stack.push(a, b);
      }
    }
    out[p] = heap[0]!;
  }
  return out;
}

function siftDown(heap: Float64Array, size: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) return;
    const r = l + 1;
    const largest = r < size && heap[r]! > heap[l]! ? r : l;
    if (heap[largest]! <= heap[i]!) return;
    const swap = heap[i]!;
    heap[i] = heap[largest]!;
    heap[largest] = swap;
    i = largest;
  }
}
