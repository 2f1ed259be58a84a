/**
 * projectEmbeddings: the UMAP point cloud of sampled embedding rows (issue #18 A.1), as Phoenix
 * draws it: 2 or 3 components, mean-centred. Wide vectors are first reduced to their leading
 * principal components (a randomized PCA), which makes the exact neighbour search affordable;
 * the layout starts from the principal components (Phoenix's umap-learn starts from a spectral
 * embedding; both keep the global arrangement) or, with no more rows than components, at random.
 */
import type { EmbeddingVectors } from '../metrics/types.js';
import { principalComponents } from './linear-algebra.js';
import { nearestNeighbors } from './nearest-neighbors.js';
import { seededRandom } from './random.js';
import { defaultEpochs, findAbParams, fuzzySimplicialSet, optimizeLayout } from './umap.js';

export interface ProjectionOptions {
  /** One block of vectors per inference set (primary, reference, corpus…), all of one dimension. */
  vectors: readonly EmbeddingVectors[];
  /** Per set, the rows (indices into that set's vectors) to project, in order. */
  rows: readonly (readonly number[] | Int32Array)[];
  nComponents: 2 | 3;
  nNeighbors: number;
  minDist: number;
  seed: number;
  /** Layout epochs; default: defaultEpochs(points). */
  nEpochs?: number;
  /** Called after each layout epoch (synchronously, from the projecting thread). */
  onEpoch?: (done: number, total: number) => void;
}

export interface Projection {
  nComponents: 2 | 3;
  /** Point p's coordinates are [p·nComponents, (p+1)·nComponents); points are the sets' rows in order. */
  coordinates: Float32Array;
  /** Where each set's points start and how many there are. */
  sets: { start: number; count: number }[];
}

/** Vectors wider than this are reduced to PCA_COMPONENTS principal components before the neighbour search. */
export const PCA_THRESHOLD = 64;
export const PCA_COMPONENTS = 50;
/**
 * Subspace iterations of the randomized PCA: one for vectors up to 256 wide (cheap there; without it
 * the nlp fixture's trustworthiness drops from 0.92 to 0.918), none above (it would double the
 * PCA's cost, ~1 s for 10,000 × 768, for no measurable gain on the benchmark).
 */
export const pcaPowerIterations = (dimension: number): number => (dimension <= 256 ? 1 : 0);

export class ProjectionError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProjectionError';
  }
}

function validate(options: ProjectionOptions): number {
  const { vectors, rows, nComponents, nNeighbors, minDist, seed } = options;
  if (nComponents !== 2 && nComponents !== 3) {
    throw new ProjectionError('nComponents', `nComponents must be 2 or 3, got ${nComponents}`);
  }
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) {
    throw new ProjectionError('nNeighbors', `nNeighbors must be an integer ≥ 2, got ${nNeighbors}`);
  }
  if (!(minDist >= 0 && minDist <= 0.99)) {
    throw new ProjectionError('minDist', `minDist must be in [0, 0.99], got ${minDist}`);
  }
  if (!Number.isInteger(seed)) throw new ProjectionError('seed', `seed must be an integer, got ${seed}`);
  const { nEpochs } = options;
  if (nEpochs !== undefined && !(Number.isInteger(nEpochs) && nEpochs >= 1)) {
    throw new ProjectionError('nEpochs', `nEpochs must be an integer ≥ 1, got ${nEpochs}`);
  }
  if (vectors.length !== rows.length) {
    throw new ProjectionError('rows', `rows has ${rows.length} lists for ${vectors.length} sets of vectors`);
  }
  let dimension = -1;
  vectors.forEach((block, set) => {
    if (dimension === -1) dimension = block.dimension;
    else if (block.dimension !== dimension) {
      throw new ProjectionError(
        'vectors',
        `set ${set} has dimension ${block.dimension}, set 0 has ${dimension}`,
      );
    }
    const setRows = rows[set]!;
    for (let i = 0; i < setRows.length; i++) {
      const row = setRows[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= block.present.length) {
        throw new ProjectionError(
          'rows',
          `set ${set}: row ${row} is not one of its ${block.present.length} rows`,
        );
      }
      if (block.present[row] !== 1) throw new ProjectionError('rows', `set ${set}: row ${row} has no vector`);
    }
  });
  return Math.max(dimension, 0);
}

export function projectEmbeddings(options: ProjectionOptions): Projection {
  const dimension = validate(options);
  const { vectors, rows, nComponents, nNeighbors, minDist } = options;
  const sets: Projection['sets'] = [];
  let n = 0;
  for (const setRows of rows) {
    sets.push({ start: n, count: setRows.length });
    n += setRows.length;
  }
  const coordinates = new Float32Array(n * nComponents);
  if (n <= 1 || dimension === 0) return { nComponents, coordinates, sets };

  const points = new Float32Array(n * dimension);
  rows.forEach((setRows, set) => {
    const data = vectors[set]!.data;
    const start = sets[set]!.start;
    for (let i = 0; i < setRows.length; i++) {
      const from = setRows[i]! * dimension;
      points.set(data.subarray(from, from + dimension), (start + i) * dimension);
    }
  });

  const random = seededRandom(options.seed);
  const reduced = dimension > PCA_THRESHOLD;
  // Reduced: the search runs on PCA_COMPONENTS scores, and the layout starts from the first ones.
  const scores = reduced
    ? principalComponents(points, n, dimension, PCA_COMPONENTS, random, pcaPowerIterations(dimension))
    : principalComponents(Float32Array.from(points), n, dimension, nComponents, random);
  const scoresWidth = reduced ? PCA_COMPONENTS : nComponents;

  const k = Math.min(nNeighbors, n);
  const graph = reduced
    ? fuzzySimplicialSet(nearestNeighbors(scores, n, PCA_COMPONENTS, k), n)
    : fuzzySimplicialSet(nearestNeighbors(points, n, dimension, k), n);
  initialLayout(coordinates, n, nComponents, n <= nComponents ? undefined : scores, scoresWidth, random);
  const { a, b } = findAbParams(minDist);
  optimizeLayout(graph, coordinates, n, {
    nComponents,
    nEpochs: options.nEpochs ?? defaultEpochs(n),
    a,
    b,
    random,
    onEpoch: options.onEpoch,
  });
  centre(coordinates, n, nComponents);
  return { nComponents, coordinates, sets };
}

/** The layout's start: the leading principal components, or uniform at random; each axis scaled to [0, 10]. */
function initialLayout(
  out: Float32Array,
  n: number,
  nComponents: number,
  components: Float32Array | undefined,
  componentsWidth: number,
  random: ReturnType<typeof seededRandom>,
): void {
  for (let c = 0; c < nComponents; c++) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const value = components ? components[i * componentsWidth + c]! : random.next();
      out[i * nComponents + c] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const scale = max > min ? 10 / (max - min) : 0;
    for (let i = 0; i < n; i++) out[i * nComponents + c] = (out[i * nComponents + c]! - min) * scale;
  }
}

function centre(coordinates: Float32Array, n: number, nComponents: number): void {
  for (let c = 0; c < nComponents; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += coordinates[i * nComponents + c]!;
    const mean = sum / n;
    for (let i = 0; i < n; i++) coordinates[i * nComponents + c]! -= mean;
  }
}
