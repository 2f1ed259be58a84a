/**
 * The minimum spanning tree of the mutual reachability graph of low-dimensional points:
 * mr(i, j) = max(d(i, j), core_i, core_j). Borůvka's algorithm over a k-d tree (each round, every
 * component finds its lightest outgoing edge; subtrees inside the component, or farther than the
 * component's best so far, are skipped), and Prim's O(n²) algorithm as the reference for tests.
 * Weights are squared while searching; ties are broken by the pair's indices, so that the
 * rounds never close a cycle.
 */
import { boxDistanceSquared, buildKdTree, distanceSquared } from './kd-tree.js';

export interface SpanningTree {
  from: Int32Array;
  to: Int32Array;
  /** Mutual reachability distance of each edge (not squared). */
  weight: Float64Array;
}

/** (w, a, b) before (w2, a2, b2) in the strict order of edges: weight, then the lower index, then the higher. */
function lighter(w: number, a: number, b: number, w2: number, a2: number, b2: number): boolean {
  if (w !== w2) return w < w2;
  const lo = Math.min(a, b);
  const lo2 = Math.min(a2, b2);
  if (lo !== lo2) return lo < lo2;
  return Math.max(a, b) < Math.max(a2, b2);
}

/** `coreSquared`: squared core distances. */
export function boruvkaSpanningTree(
  points: Float32Array,
  n: number,
  dim: number,
  coreSquared: Float64Array,
): SpanningTree {
  const tree = buildKdTree(points, n, dim);
  const { order, start, end, left, right, nodes } = tree;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  // Per node: the least core distance below it (static), and its component when all its points share one.
  const nodeCore = new Float64Array(nodes);
  const nodeComponent = new Int32Array(nodes);
  for (let x = nodes - 1; x >= 0; x--) {
    // Children are built after their parent, so a reverse sweep sees them first.
    if (left[x] === -1) {
      let least = Number.POSITIVE_INFINITY;
      for (let r = start[x]!; r < end[x]!; r++) least = Math.min(least, coreSquared[order[r]!]!);
      nodeCore[x] = least;
    } else {
      nodeCore[x] = Math.min(nodeCore[left[x]!]!, nodeCore[right[x]!]!);
    }
  }
  const component = new Int32Array(n);
  const bestWeight = new Float64Array(n);
  const bestFrom = new Int32Array(n);
  const bestTo = new Int32Array(n);
  const edges: { from: number[]; to: number[]; weight: number[] } = { from: [], to: [], weight: [] };
  // Depth-first search stack: nodes and the squared distance to their boxes (depth ≤ 2·log2(n / leaf) + 2).
  const stackNode = new Int32Array(2 * nodes + 2);
  const stackBound = new Float64Array(2 * nodes + 2);
  const lowest = new Float64Array(n);
  let components = n;
  while (components > 1) {
    for (let i = 0; i < n; i++) component[i] = find(i);
    for (let x = nodes - 1; x >= 0; x--) {
      if (left[x] === -1) {
        let c = component[order[start[x]!]!]!;
        for (let r = start[x]! + 1; r < end[x]! && c !== -1; r++) if (component[order[r]!] !== c) c = -1;
        nodeComponent[x] = c;
      } else {
        const a = nodeComponent[left[x]!]!;
        nodeComponent[x] = a !== -1 && a === nodeComponent[right[x]!] ? a : -1;
      }
    }
    bestWeight.fill(Number.POSITIVE_INFINITY);
    bestFrom.fill(-1);
    for (let p = 0; p < n; p++) {
      const c = component[p]!;
      const coreP = coreSquared[p]!;
      const before = bestWeight[c]!;
      // Every edge from p weighs at least core_p, and at least what p's lightest edge out weighed in
      // an earlier round (merging only removes candidates).
      if (coreP > before || lowest[p]! > before) continue;
      let top = 0;
      stackNode[0] = 0;
      stackBound[0] = 0;
      while (top >= 0) {
        const x = stackNode[top]!;
        const boxBound = stackBound[top]!;
        top--;
        if (nodeComponent[x] === c) continue;
        let bound = Math.max(boxBound, coreP);
        if (nodeCore[x]! > bound) bound = nodeCore[x]!;
        if (bound > bestWeight[c]!) continue;
        if (left[x] === -1) {
          for (let r = start[x]!; r < end[x]!; r++) {
            const q = order[r]!;
            if (component[q] === c) continue;
            let w = distanceSquared(points, dim, p, q);
            if (coreP > w) w = coreP;
            if (coreSquared[q]! > w) w = coreSquared[q]!;
            if (bestFrom[c] === -1 || lighter(w, p, q, bestWeight[c]!, bestFrom[c]!, bestTo[c]!)) {
              bestWeight[c] = w;
              bestFrom[c] = p;
              bestTo[c] = q;
            }
          }
        } else {
          const a = left[x]!;
          const b = right[x]!;
          const da = boxDistanceSquared(tree, a, p);
          const db = boxDistanceSquared(tree, b, p);
          // The nearer child on top, so that it is searched first.
          if (da < db) {
            stackNode[++top] = b;
            stackBound[top] = db;
            stackNode[++top] = a;
            stackBound[top] = da;
          } else {
            stackNode[++top] = a;
            stackBound[top] = da;
            stackNode[++top] = b;
            stackBound[top] = db;
          }
        }
      }
      // p's lightest edge out weighs bestWeight[c] if p set it, else no less than `before`.
      lowest[p] = bestFrom[c] === p && bestWeight[c]! < before ? bestWeight[c]! : before;
    }
    for (let c = 0; c < n; c++) {
      if (component[c] !== c || bestFrom[c] === -1) continue;
      const a = find(bestFrom[c]!);
      const b = find(bestTo[c]!);
      if (a === b) continue;
      parent[a] = b;
      components--;
      edges.from.push(bestFrom[c]!);
      edges.to.push(bestTo[c]!);
      edges.weight.push(Math.sqrt(bestWeight[c]!));
    }
  }
  return {
    from: Int32Array.from(edges.from),
    to: Int32Array.from(edges.to),
    weight: Float64Array.from(edges.weight),
  };
}

/** Prim's algorithm over the dense graph, O(n²): the reference. */
export function primSpanningTree(
  points: Float32Array,
  n: number,
  dim: number,
  coreSquared: Float64Array,
): SpanningTree {
  const from = new Int32Array(n - 1);
  const to = new Int32Array(n - 1);
  const weight = new Float64Array(n - 1);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const bestFrom = new Int32Array(n);
  const remaining = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
  let left = n - 1;
  let current = 0;
  for (let edge = 0; edge < n - 1; edge++) {
    let argmin = -1;
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < left; r++) {
      const j = remaining[r]!;
      const d = Math.max(distanceSquared(points, dim, current, j), coreSquared[current]!, coreSquared[j]!);
      if (d < best[j]!) {
        best[j] = d;
        bestFrom[j] = current;
      }
      if (best[j]! < min) {
        min = best[j]!;
        argmin = r;
      }
    }
    const next = remaining[argmin]!;
    remaining[argmin] = remaining[left - 1]!;
    left--;
    from[edge] = bestFrom[next]!;
    to[edge] = next;
    weight[edge] = Math.sqrt(min);
    current = next;
  }
  return { from, to, weight };
}
