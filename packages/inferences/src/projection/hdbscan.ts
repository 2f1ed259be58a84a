/**
 * HDBSCAN (Campello, Moulavi & Sander 2013; McInnes & Healy 2017) of the projected points, with
 * the rules of fast_hdbscan, the library Phoenix calls: core distance = distance to the
 * min_samples-th nearest other point (0 when min_samples is 1); the minimum spanning tree of the
 * mutual reachability distances (on the 2-D / 3-D points: Prim's O(n²) scan up to 3,000 points,
 * Borůvka over a k-d tree above); the condensed tree
 * (min_cluster_size); excess-of-mass selection without the root (no single cluster);
 * cluster_selection_epsilon; noise = −1.
 */
import { buildKdTree, kthNeighborDistanceSquared } from './kd-tree.js';
import { boruvkaSpanningTree, primSpanningTree, type SpanningTree } from './spanning-tree.js';

const PRIM_MAX_POINTS = 3_000;

export interface ClusteringOptions {
  minClusterSize: number;
  minSamples: number;
  clusterSelectionEpsilon: number;
}

export class ClusteringError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClusteringError';
  }
}

function validate(coordinates: Float32Array, nComponents: number, options: ClusteringOptions): void {
  if (!Number.isInteger(nComponents) || nComponents < 1) {
    throw new ClusteringError('nComponents', `nComponents must be a positive integer, got ${nComponents}`);
  }
  if (coordinates.length % nComponents !== 0) {
    throw new ClusteringError(
      'coordinates',
      `${coordinates.length} coordinates are not points of ${nComponents}`,
    );
  }
  const { minClusterSize, minSamples, clusterSelectionEpsilon } = options;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new ClusteringError(
      'minClusterSize',
      `minClusterSize must be an integer ≥ 2, got ${minClusterSize}`,
    );
  }
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new ClusteringError('minSamples', `minSamples must be an integer ≥ 1, got ${minSamples}`);
  }
  if (!(clusterSelectionEpsilon >= 0) || !Number.isFinite(clusterSelectionEpsilon)) {
    throw new ClusteringError(
      'clusterSelectionEpsilon',
      `clusterSelectionEpsilon must be a finite number ≥ 0, got ${clusterSelectionEpsilon}`,
    );
  }
  for (const value of coordinates) {
    if (!Number.isFinite(value))
      throw new ClusteringError('coordinates', 'coordinates must be finite numbers');
  }
}

/** Squared core distances: to the minSamples-th nearest other point; 0 for minSamples 1 (fast_hdbscan). */
function coreDistancesSquared(
  points: Float32Array,
  n: number,
  dim: number,
  minSamples: number,
): Float64Array {
  if (minSamples <= 1 || n < 2) return new Float64Array(n);
  return kthNeighborDistanceSquared(buildKdTree(points, n, dim), n, Math.min(minSamples, n - 1));
}

interface CondensedTree {
  /** Per condensed-tree entry: parent cluster, child (a point < n, or a cluster ≥ n), λ, size. */
  parent: number[];
  child: number[];
  lambda: number[];
  size: number[];
  /** Cluster labels are n (the root) … n + clusters − 1; children are numbered after their parents. */
  clusters: number;
}

/** The single-linkage dendrogram of the tree's edges, condensed with minClusterSize. */
function condensedTree(n: number, mst: SpanningTree, minClusterSize: number): CondensedTree {
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort(
    (a, b) => mst.weight[a]! - mst.weight[b]! || a - b,
  );
  // Dendrogram: node n + i merges left[i] and right[i] at distance[i]; leaves are the points.
  const left = new Int32Array(n - 1);
  const right = new Int32Array(n - 1);
  const distance = new Float64Array(n - 1);
  const nodeSize = new Int32Array(2 * n - 1).fill(1);
  const unionParent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (unionParent[root] !== root) root = unionParent[root]!;
    while (unionParent[x] !== root) {
      const nextX = unionParent[x]!;
      unionParent[x] = root;
      x = nextX;
    }
    return root;
  };
  order.forEach((e, i) => {
    const a = find(mst.from[e]!);
    const b = find(mst.to[e]!);
    const node = n + i;
    left[i] = a;
    right[i] = b;
    distance[i] = mst.weight[e]!;
    nodeSize[node] = nodeSize[a]! + nodeSize[b]!;
    unionParent[a] = node;
    unionParent[b] = node;
  });

  const tree: CondensedTree = { parent: [], child: [], lambda: [], size: [], clusters: 1 };
  const fallOut = (node: number, label: number, lambda: number): void => {
    const stack = [node];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x < n) {
        tree.parent.push(label);
        tree.child.push(x);
        tree.lambda.push(lambda);
        tree.size.push(1);
      } else {
        stack.push(left[x - n]!, right[x - n]!);
      }
    }
  };
  const stack: [node: number, label: number][] = [[2 * n - 2, n]];
  while (stack.length > 0) {
    const [node, label] = stack.pop()!;
    if (node < n) continue;
    const i = node - n;
    const lambda = distance[i]! > 0 ? 1 / distance[i]! : Number.POSITIVE_INFINITY;
    const a = left[i]!;
    const b = right[i]!;
    const bigA = nodeSize[a]! >= minClusterSize;
    const bigB = nodeSize[b]! >= minClusterSize;
    if (bigA && bigB) {
      for (const childNode of [a, b]) {
        const childLabel = n + tree.clusters++;
        tree.parent.push(label);
        tree.child.push(childLabel);
        tree.lambda.push(lambda);
        tree.size.push(nodeSize[childNode]!);
        stack.push([childNode, childLabel]);
      }
    } else if (!bigA && !bigB) {
      fallOut(a, label, lambda);
      fallOut(b, label, lambda);
    } else {
      fallOut(bigA ? b : a, label, lambda);
      stack.push([bigA ? a : b, label]);
    }
  }
  return tree;
}

/** Selected cluster labels (relative: 0 = root) by excess of mass, then cluster_selection_epsilon. */
function selectClusters(
  tree: CondensedTree,
  n: number,
  epsilon: number,
): { selected: boolean[]; parentOf: Int32Array } {
  const count = tree.clusters;
  const birth = new Float64Array(count);
  const parentOf = new Int32Array(count).fill(-1);
  const children: number[][] = Array.from({ length: count }, () => []);
  let maxFinite = 0;
  for (const lambda of tree.lambda) if (Number.isFinite(lambda) && lambda > maxFinite) maxFinite = lambda;
  tree.child.forEach((child, e) => {
    if (child < n) return;
    const c = child - n;
    birth[c] = tree.lambda[e]!;
    parentOf[c] = tree.parent[e]! - n;
    children[parentOf[c]!]!.push(c);
  });
  // Points split off at distance 0 have λ = ∞; their mass is counted at the largest finite λ instead.
  const stability = new Float64Array(count);
  tree.parent.forEach((parent, e) => {
    const c = parent - n;
    const lambda = Number.isFinite(tree.lambda[e]!) ? tree.lambda[e]! : maxFinite;
    const born = Number.isFinite(birth[c]!) ? birth[c]! : maxFinite;
    stability[c]! += (lambda - born) * tree.size[e]!;
  });
  const selected = new Array<boolean>(count).fill(true);
  selected[0] = false;
  const deselectBelow = (c: number): void => {
    const stack = [...children[c]!];
    while (stack.length > 0) {
      const x = stack.pop()!;
      selected[x] = false;
      stack.push(...children[x]!);
    }
  };
  for (let c = count - 1; c >= 1; c--) {
    let childSum = 0;
    for (const child of children[c]!) childSum += stability[child]!;
    if (childSum > stability[c]!) {
      selected[c] = false;
      stability[c] = childSum;
    } else {
      deselectBelow(c);
    }
  }
  if (epsilon > 0) {
    // A selected cluster born below ε (1/λ < ε) gives way to its nearest ancestor born at ε or above (never the root).
    const chosen = new Set<number>();
    for (let c = 1; c < count; c++) {
      if (!selected[c]) continue;
      let x = c;
      while (1 / birth[x]! < epsilon && parentOf[x]! > 0) x = parentOf[x]!;
      chosen.add(x);
    }
    selected.fill(false);
    for (const c of chosen) {
      let ancestor = parentOf[c]!;
      let covered = false;
      while (ancestor > 0) {
        if (chosen.has(ancestor)) covered = true;
        ancestor = parentOf[ancestor]!;
      }
      if (!covered) selected[c] = true;
    }
  }
  return { selected, parentOf };
}

/**
 * HDBSCAN cluster of each point (n = coordinates.length / nComponents): −1 for noise, otherwise
 * 0, 1, … numbered in the order of each cluster's first point.
 */
export function clusterPoints(
  coordinates: Float32Array,
  nComponents: number,
  options: ClusteringOptions,
): Int32Array {
  validate(coordinates, nComponents, options);
  const n = coordinates.length / nComponents;
  const labels = new Int32Array(n).fill(-1);
  if (n < 2) return labels;
  const core = coreDistancesSquared(coordinates, n, nComponents, options.minSamples);
  // Same tree either way (tested); Prim's O(n²) scan is quicker below a few thousand points (no tree to build).
  const mst = (n <= PRIM_MAX_POINTS ? primSpanningTree : boruvkaSpanningTree)(
    coordinates,
    n,
    nComponents,
    core,
  );
  const tree = condensedTree(n, mst, options.minClusterSize);
  const { selected, parentOf } = selectClusters(tree, n, options.clusterSelectionEpsilon);
  // Each cluster's selected ancestor (itself included), or −1.
  const owner = new Int32Array(tree.clusters).fill(-1);
  for (let c = 1; c < tree.clusters; c++) {
    owner[c] = selected[c] ? c : owner[parentOf[c]!]!; // parents are numbered before their children
  }
  const number = new Map<number, number>();
  const raw = new Int32Array(n).fill(-1);
  tree.child.forEach((child, e) => {
    if (child < n) raw[child] = owner[tree.parent[e]! - n]!;
  });
  for (let i = 0; i < n; i++) {
    const c = raw[i]!;
    if (c < 0) continue;
    if (!number.has(c)) number.set(c, number.size);
    labels[i] = number.get(c)!;
  }
  return labels;
}
