/**
 * UMAP (McInnes, Healy & Melville 2018) on a k-nearest-neighbour graph: the fuzzy simplicial set
 * (smooth k-NN distances, fuzzy union), then the layout by stochastic gradient descent with
 * negative sampling. The parameters and rules are umap-learn's defaults (spread 1, local
 * connectivity 1, set-op mix ratio 1, repulsion 1, 5 negative samples, learning rate 1); the epochs
 * are in defaultEpochs.
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
// biome-ignore lint/complexity/useMathMinMax: the hot loop's clip; plain comparisons, no calls
const clip = (value: number): number => (value > 4 ? 4 : value < -4 ? -4 : value);

/**
 * Lays out `graph` from `layout` (n × nComponents, 2 or 3, changed in place) by SGD. The hot loop
 * works on 3 coordinates whatever nComponents (a 2-D layout keeps its third at 0, where no
 * gradient moves it), unrolled, in float64.
 */
export function optimizeLayout(
  graph: FuzzyGraph,
  layout: Float32Array,
  n: number,
  options: LayoutOptions,
): void {
  const { nComponents, nEpochs, a, b, random } = options;
  if (nComponents !== 2 && nComponents !== 3)
    throw new RangeError(`nComponents must be 2 or 3, got ${nComponents}`);
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
    heads[at] = graph.heads[e]! * 3;
    tails[at] = graph.tails[e]! * 3;
    epochsPerSample[at] = maxWeight / graph.weights[e]!;
  });
  const epochsPerNegativeSample = epochsPerSample.map((value) => value / NEGATIVE_SAMPLE_RATE);
  const nextSample = Float64Array.from(epochsPerSample);
  const nextNegativeSample = Float64Array.from(epochsPerNegativeSample);
  const xyz = new Float64Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < nComponents; c++) xyz[i * 3 + c] = layout[i * nComponents + c]!;
  // The negative samples draw from an inlined xorshift32 seeded from `random` (a call per draw costs more).
  let state = Math.floor(random.next() * 0xffffffff) | 1;
  const twoAB = 2 * a * b;
  // d^(2b) by linear interpolation in a table over the distance d (below POW_TABLE_RANGE; Math.exp(b·log)
  // beyond): Math.pow and Math.exp/Math.log took three quarters of the layout's time.
  const powTable = new Float64Array(POW_TABLE_STEPS + 2);
  for (let i = 0; i < powTable.length; i++)
    powTable[i] = ((i * POW_TABLE_RANGE) / POW_TABLE_STEPS) ** (2 * b);
  const perStep = POW_TABLE_STEPS / POW_TABLE_RANGE;
  const twoGammaB = 2 * REPULSION_STRENGTH * b;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    const alpha = INITIAL_ALPHA * (1 - epoch / nEpochs);
    for (let e = 0; e < edges; e++) {
      if (nextSample[e]! > epoch) continue;
      const j = heads[e]!;
      const k = tails[e]!;
      let jx = xyz[j]!;
      let jy = xyz[j + 1]!;
      let jz = xyz[j + 2]!;
      const dx = jx - xyz[k]!;
      const dy = jy - xyz[k + 1]!;
      const dz = jz - xyz[k + 2]!;
      const distSq = dx * dx + dy * dy + dz * dz;
      if (distSq > 0) {
        const x = Math.sqrt(distSq) * perStep;
        let powB: number;
        if (x < POW_TABLE_STEPS) {
          const i = x | 0;
          powB = powTable[i]! + (x - i) * (powTable[i + 1]! - powTable[i]!);
        } else {
          powB = Math.exp(b * Math.log(distSq));
        }
        const coefficient = (-twoAB * (powB / distSq)) / (a * powB + 1);
        const gx = clip(coefficient * dx) * alpha;
        const gy = clip(coefficient * dy) * alpha;
        const gz = clip(coefficient * dz) * alpha;
        jx += gx;
        jy += gy;
        jz += gz;
        xyz[k]! -= gx;
        xyz[k + 1]! -= gy;
        xyz[k + 2]! -= gz;
      }
      nextSample[e]! += epochsPerSample[e]!;
      const negatives = Math.floor((epoch - nextNegativeSample[e]!) / epochsPerNegativeSample[e]!);
      for (let p = 0; p < negatives; p++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const o = Math.floor((state >>> 0) * UINT32_TO_UNIT * n) * 3;
        const ox = jx - xyz[o]!;
        const oy = jy - xyz[o + 1]!;
        const oz = jz - xyz[o + 2]!;
        const negSq = ox * ox + oy * oy + oz * oz;
        if (negSq > 0) {
          const x = Math.sqrt(negSq) * perStep;
          let powB: number;
          if (x < POW_TABLE_STEPS) {
            const i = x | 0;
            powB = powTable[i]! + (x - i) * (powTable[i + 1]! - powTable[i]!);
          } else {
            powB = Math.exp(b * Math.log(negSq));
          }
          const coefficient = twoGammaB / ((0.001 + negSq) * (a * powB + 1));
          jx += clip(coefficient * ox) * alpha;
          jy += clip(coefficient * oy) * alpha;
          jz += clip(coefficient * oz) * alpha;
        }
      }
      xyz[j] = jx;
      xyz[j + 1] = jy;
      xyz[j + 2] = jz;
      nextNegativeSample[e]! += negatives * epochsPerNegativeSample[e]!;
    }
    options.onEpoch?.(epoch + 1, nEpochs);
  }
  for (let i = 0; i < n; i++)
    for (let c = 0; c < nComponents; c++) layout[i * nComponents + c] = xyz[i * 3 + c]!;
}

const UINT32_TO_UNIT = 1 / 4294967296;
const POW_TABLE_RANGE = 64;
const POW_TABLE_STEPS = 8192;

/**
 * Layout epochs: 500 up to 5,000 points, 200 above (umap-learn switches at 10,000; 200 epochs keep
 * 2 × 5,000 points within the 10 s budget at the same trustworthiness, see bench/README.md).
 */
export const defaultEpochs = (n: number): number => (n <= 5_000 ? 500 : 200);
