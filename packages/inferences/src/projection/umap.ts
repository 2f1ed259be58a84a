/**
 * UMAP (McInnes, Healy & Melville 2018) on a k-nearest-neighbour graph: the fuzzy simplicial set
 * (smooth k-NN distances, fuzzy union), then the layout by stochastic gradient descent with
 * negative sampling. The parameters and rules are umap-learn's defaults (spread 1, local
 * connectivity 1, set-op mix ratio 1, repulsion 1, 5 negative samples, learning rate 1, 500 epochs
 * up to 10,000 points and 200 above).
 */
import type { NeighborGraph } from './nearest-neighbors.js';
import type { Random } from './random.js';

/** The graph UMAP lays out: symmetric, each undirected edge listed in both directions. */
export interface FuzzyGraph {
  heads: Int32Array;
  tails: Int32Array;
  weights: Float64Array;
}

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/** Per point: ρ (distance to the nearest other point) and σ such that Σ exp(−(d − ρ)/σ) = log2(k). */
function smoothKnnDistances(graph: NeighborGraph, n: number): { sigmas: Float64Array; rhos: Float64Array } {
  const { k, distances } = graph;
  const target = Math.log2(k);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  let meanAll = 0;
  for (let i = 0; i < distances.length; i++) meanAll += distances[i]!;
  meanAll /= Math.max(distances.length, 1);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let rho = 0;
    let meanI = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[base + j]!;
      meanI += d;
      if (rho === 0 && d > 0) rho = d;
    }
    meanI /= k;
    rhos[i] = rho;
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let mid = 1;
    for (let iteration = 0; iteration < 64; iteration++) {
      let sum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[base + j]! - rho;
        sum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
      if (sum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Number.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? meanI : meanAll);
    sigmas[i] = Math.max(mid, floor);
  }
  return { sigmas, rhos };
}

/** The fuzzy union of the directed membership strengths: w = a + b − a·b for the pair (i, j). */
export function fuzzySimplicialSet(graph: NeighborGraph, n: number): FuzzyGraph {
  const { k, indices, distances } = graph;
  const { sigmas, rhos } = smoothKnnDistances(graph, n);
  const strength = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const at = i * k + j;
      if (indices[at] === i) continue; // no self edge
      const d = distances[at]! - rhos[i]!;
      strength[at] = d <= 0 || sigmas[i] === 0 ? 1 : Math.exp(-(d / sigmas[i]!));
    }
  }
  const strengthOf = (from: number, to: number): number => {
    const base = from * k;
    for (let j = 0; j < k; j++) if (indices[base + j] === to) return strength[base + j]!;
    return 0;
  };
  const heads: number[] = [];
  const tails: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const to = indices[i * k + j]!;
      if (to === i) continue;
      const a = strength[i * k + j]!;
      const b = strengthOf(to, i);
      const w = a + b - a * b;
      if (w <= 0) continue;
      heads.push(i);
      tails.push(to);
      weights.push(w);
      // The reverse edge comes from `to`'s own list when it has i; otherwise it is emitted here.
      if (b === 0 && !hasNeighbor(indices, k, to, i)) {
        heads.push(to);
        tails.push(i);
        weights.push(w);
      }
    }
  }
  return {
    heads: Int32Array.from(heads),
    tails: Int32Array.from(tails),
    weights: Float64Array.from(weights),
  };
}

function hasNeighbor(indices: Int32Array, k: number, from: number, to: number): boolean {
  for (let j = 0; j < k; j++) if (indices[from * k + j] === to) return true;
  return false;
}

/**
 * a and b of the low-dimensional similarity 1 / (1 + a·d^(2b)), fitted (least squares,
 * Levenberg–Marquardt) to the curve that is 1 up to `minDist` and exp(−(d − minDist)) beyond,
 * on 300 points over [0, 3], as umap-learn does.
 */
export function findAbParams(minDist: number, spread = 1): { a: number; b: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 300; i++) {
    const x = (3 * spread * i) / 299;
    xs.push(x);
    ys.push(x < minDist ? 1 : Math.exp(-(x - minDist) / spread));
  }
  const residuals = (a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += (1 / (1 + a * xs[i]! ** (2 * b)) - ys[i]!) ** 2;
    return sum;
  };
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let error = residuals(a, b);
  for (let iteration = 0; iteration < 500; iteration++) {
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      if (x === 0) continue;
      const p = x ** (2 * b);
      const denominator = 1 + a * p;
      const f = 1 / denominator;
      const r = f - ys[i]!;
      const da = -p / (denominator * denominator);
      const db = (-a * p * 2 * Math.log(x)) / (denominator * denominator);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    const maa = jaa * (1 + lambda);
    const mbb = jbb * (1 + lambda);
    const determinant = maa * mbb - jab * jab;
    if (determinant === 0) break;
    const stepA = -(mbb * ga - jab * gb) / determinant;
    const stepB = -(maa * gb - jab * ga) / determinant;
    const candidate = residuals(a + stepA, b + stepB);
    if (candidate < error) {
      const improvement = error - candidate;
      a += stepA;
      b += stepB;
      error = candidate;
      lambda /= 10;
      if (
        improvement < 1e-15 * Math.max(error, 1e-300) ||
        (Math.abs(stepA) < 1e-12 && Math.abs(stepB) < 1e-12)
      )
        break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  return { a, b };
}

export interface LayoutOptions {
  nComponents: number;
  nEpochs: number;
  a: number;
  b: number;
  random: Random;
  onEpoch?: ((done: number, total: number) => void) | undefined;
}

const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION_STRENGTH = 1;
const INITIAL_ALPHA = 1;
const clip = (value: number): number => Math.max(-4, Math.min(4, value));

/** Lays out `graph` from `layout` (n × nComponents, changed in place) by SGD. */
export function optimizeLayout(
  graph: FuzzyGraph,
  layout: Float32Array,
  n: number,
  options: LayoutOptions,
): void {
  const { nComponents: dim, nEpochs, a, b, random } = options;
  let maxWeight = 0;
  for (const w of graph.weights) if (w > maxWeight) maxWeight = w;
  // Edges too weak to be sampled once in the whole run are dropped (as umap-learn does).
  const keep: number[] = [];
  for (let e = 0; e < graph.weights.length; e++) if (graph.weights[e]! >= maxWeight / nEpochs) keep.push(e);
  const edges = keep.length;
  const heads = new Int32Array(edges);
  const tails = new Int32Array(edges);
  const epochsPerSample = new Float64Array(edges);
  keep.forEach((e, at) => {
    heads[at] = graph.heads[e]!;
    tails[at] = graph.tails[e]!;
    epochsPerSample[at] = maxWeight / graph.weights[e]!;
  });
  const epochsPerNegativeSample = epochsPerSample.map((value) => value / NEGATIVE_SAMPLE_RATE);
  const nextSample = Float64Array.from(epochsPerSample);
  const nextNegativeSample = Float64Array.from(epochsPerNegativeSample);
  const current = new Float64Array(dim);
  const embedding = Float64Array.from(layout);
  // The negative samples draw from an inlined xorshift32 seeded from `random` (a call per draw costs more).
  let state = Math.floor(random.next() * 0xffffffff) | 1;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    const alpha = INITIAL_ALPHA * (1 - epoch / nEpochs);
    for (let e = 0; e < edges; e++) {
      if (nextSample[e]! > epoch) continue;
      const j = heads[e]! * dim;
      const k = tails[e]! * dim;
      let distSq = 0;
      for (let d = 0; d < dim; d++) {
        const diff = embedding[j + d]! - embedding[k + d]!;
        current[d] = diff;
        distSq += diff * diff;
      }
      if (distSq > 0) {
        // exp(b·log d) is twice as fast as d ** b in V8, and this is the hot loop.
        const powB = Math.exp(b * Math.log(distSq));
        const coefficient = (-2 * a * b * (powB / distSq)) / (a * powB + 1);
        for (let d = 0; d < dim; d++) {
          const grad = clip(coefficient * current[d]!) * alpha;
          embedding[j + d]! += grad;
          embedding[k + d]! -= grad;
        }
      }
      nextSample[e]! += epochsPerSample[e]!;
      const negatives = Math.floor((epoch - nextNegativeSample[e]!) / epochsPerNegativeSample[e]!);
      for (let p = 0; p < negatives; p++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const other = (state >>> 0) % n;
        const o = other * dim;
        let negSq = 0;
        for (let d = 0; d < dim; d++) {
          const diff = embedding[j + d]! - embedding[o + d]!;
          current[d] = diff;
          negSq += diff * diff;
        }
        if (negSq > 0) {
          const coefficient =
            (2 * REPULSION_STRENGTH * b) / ((0.001 + negSq) * (a * Math.exp(b * Math.log(negSq)) + 1));
          for (let d = 0; d < dim; d++) embedding[j + d]! += clip(coefficient * current[d]!) * alpha;
        }
      }
      nextNegativeSample[e]! += negatives * epochsPerNegativeSample[e]!;
    }
    options.onEpoch?.(epoch + 1, nEpochs);
  }
  layout.set(embedding);
}

/** umap-learn's epoch count: 500 up to 10,000 points, 200 above. */
export const defaultEpochs = (n: number): number => (n <= 10_000 ? 500 : 200);
