/**
 * bench/inferences/umap-libraries.ts — issue #18 A.1: our projection and clustering
 * (packages/inferences/src/projection) against npm's libraries on the same data. Cases: six
 * Gaussian clusters in 768 dimensions, 2 × 500 and 2 × 5,000 points (umap.ts's data), and the nlp
 * fixture's two windows (the rows Phoenix samples, umap_reference.json; its clusters are the
 * generating partition, the moved topic split by set). Per case: our projectEmbeddings and
 * umap-js's UMAP.fit (3 components, n_neighbors 30, min_dist 0, seeded), each timed, each's
 * trustworthiness (k = 10, original space; 1,000 sampled points above 2 × 500), and the adjusted
 * Rand index of our clusterPoints (min_cluster_size 10, min_samples 1) on each's coordinates
 * against the reference partition; then hdbscan-ts on our coordinates (ARI against the same
 * partition, and against our clusters), where its n × n distance matrix fits (≤ 2,000 points).
 *
 *   npx tsc -b packages/inferences && node --import tsx bench/inferences/umap-libraries.ts
 *   BENCH_LIBRARY_CASES=blobs-500,nlp-default node --import tsx bench/inferences/umap-libraries.ts
 */
import { loadavg } from 'node:os';
import { HDBSCAN } from 'hdbscan-ts';
import { UMAP } from 'umap-js';
import type { EmbeddingVectors } from '../../packages/inferences/dist/metrics/types.js';
import {
  clusterPoints,
  projectEmbeddings,
  trustworthiness,
} from '../../packages/inferences/dist/projection/index.js';
import {
  adjustedRandIndex,
  gaussianBlobs,
  readNlpSet,
  readUmapReference,
} from '../../packages/inferences/test-support/projection-helpers.ts';
import { random } from './dataset.js';

const CASES = (process.env.BENCH_LIBRARY_CASES ?? 'blobs-500,blobs-5000,nlp-default,nlp-whole').split(',');
const HDBSCAN_TS_MAX_POINTS = 2_000;
const COMPONENTS = 3 as const;
const UMAP_OPTIONS = { nComponents: COMPONENTS, nNeighbors: 30, minDist: 0 };
const CLUSTERING = { minClusterSize: 10, minSamples: 1, clusterSelectionEpsilon: 0 };

interface Case {
  label: string;
  vectors: EmbeddingVectors[];
  rows: number[][];
  /** The reference partition of the gathered points (sets in order). */
  truth: (number | string)[];
}

function blobs(perSet: number): Case {
  const { vectors, labels } = gaussianBlobs({
    clusters: 6,
    perCluster: (2 * perSet) / 6,
    dimension: 768,
    spread: 1,
    seed: 42,
  });
  const rows = [
    Array.from({ length: perSet }, (_, i) => 2 * i),
    Array.from({ length: perSet }, (_, i) => 2 * i + 1),
  ];
  return {
    label: `Gaussian 2 × ${perSet.toLocaleString()} × 768`,
    vectors: [vectors, vectors],
    rows,
    truth: rows.flat().map((row) => labels[row]!),
  };
}

function nlp(window: 'phoenix_default_window' | 'whole_primary_range'): Case {
  const { sampled_rows } = readUmapReference().text_embedding[window];
  const sets = { primary: readNlpSet('primary'), reference: readNlpSet('reference') };
  // As project.test.ts: the topic of the text, the moved topic ("account") split by set.
  const truth = (['primary', 'reference'] as const).flatMap((set) =>
    sampled_rows[set].map((row) => {
      const topic = sets[set].texts[row]!.replace(/ \d+$/, '');
      return topic === 'account question' ? `${topic} (${set})` : topic;
    }),
  );
  return {
    label: `nlp fixture, ${window} (${sampled_rows.primary.length} + ${sampled_rows.reference.length} × 128)`,
    vectors: [sets.primary.vectors, sets.reference.vectors],
    rows: [sampled_rows.primary, sampled_rows.reference],
    truth,
  };
}

function makeCase(name: string): Case {
  if (name === 'blobs-500') return blobs(500);
  if (name === 'blobs-5000') return blobs(5000);
  if (name === 'nlp-default') return nlp('phoenix_default_window');
  if (name === 'nlp-whole') return nlp('whole_primary_range');
  throw new Error(`unknown case ${name} (blobs-500, blobs-5000, nlp-default, nlp-whole)`);
}

function gather({ vectors, rows }: Case): Float32Array {
  const dimension = vectors[0]!.dimension;
  const out = new Float32Array(rows.reduce((sum, r) => sum + r.length, 0) * dimension);
  let at = 0;
  rows.forEach((setRows, set) => {
    for (const row of setRows) {
      out.set(vectors[set]!.data.subarray(row * dimension, (row + 1) * dimension), at * dimension);
      at++;
    }
  });
  return out;
}

function timed<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, value };
}

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const clusterCount = (labels: ArrayLike<number>) => new Set(Array.from(labels).filter((l) => l >= 0)).size;

console.log(`load average before ${loadavg()[0]!.toFixed(2)}`);

// A sanity check first: three unit cubes of 100 points, 10 apart along x, in 3 dimensions.
{
  const next = random(1);
  const cubes = Array.from({ length: 300 }, (_, i) => [Math.floor(i / 100) * 10 + next(), next(), next()]);
  const truth = cubes.map((_, i) => Math.floor(i / 100));
  const ourCubes = clusterPoints(Float32Array.from(cubes.flat()), COMPONENTS, CLUSTERING);
  const line = [
    `sanity, three cubes of 100 points 10 apart: clusterPoints ARI ${adjustedRandIndex(ourCubes, truth).toFixed(3)}`,
  ];
  for (const minSamples of [1, 5, 10]) {
    const labels = new HDBSCAN({ minClusterSize: 10, minSamples }).fit(cubes);
    const noise = labels.filter((l) => l < 0).length;
    line.push(
      `hdbscan-ts (min_samples ${minSamples}) ARI ${adjustedRandIndex(labels, truth).toFixed(3)}, ${clusterCount(labels)} clusters, ${noise} noise`,
    );
  }
  console.log(line.join('; '));
}
const table: string[] = [
  '| data | library | projection time | trustworthiness | ARI of our clusterPoints vs reference | hdbscan-ts on our coordinates: time, ARI vs reference, ARI vs ours |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const name of CASES) {
  const data = makeCase(name);
  const dimension = data.vectors[0]!.dimension;
  const original = gather(data);
  const n = original.length / dimension;
  const quality = (coordinates: Float32Array) =>
    trustworthiness(original, dimension, coordinates, COMPONENTS, {
      k: 10,
      ...(n > 1000 ? { sample: 1000, seed: 0 } : {}),
    });

  const ours = timed(
    () => projectEmbeddings({ vectors: data.vectors, rows: data.rows, ...UMAP_OPTIONS, seed: 0 }).coordinates,
  );
  const ourLabels = clusterPoints(ours.value, COMPONENTS, CLUSTERING);

  const points = Array.from({ length: n }, (_, i) =>
    Array.from(original.subarray(i * dimension, (i + 1) * dimension)),
  );
  const theirs = timed(() => new UMAP({ ...UMAP_OPTIONS, random: random(0) }).fit(points));
  const theirCoordinates = Float32Array.from(theirs.value.flat());
  const theirLabels = clusterPoints(theirCoordinates, COMPONENTS, CLUSTERING);

  let hdbscanTs = `not run (n × n matrix of ${n.toLocaleString()}² distances)`;
  if (n <= HDBSCAN_TS_MAX_POINTS) {
    const ourPoints = Array.from({ length: n }, (_, i) =>
      Array.from(ours.value.subarray(i * COMPONENTS, (i + 1) * COMPONENTS)),
    );
    // hdbscan-ts counts a point's neighbours without the point itself: its 1 is Python's min_samples 2.
    const fitted = timed(() => new HDBSCAN({ minClusterSize: 10, minSamples: 1 }).fit(ourPoints));
    hdbscanTs = `${seconds(fitted.ms)}, ${adjustedRandIndex(fitted.value, data.truth).toFixed(3)} (${clusterCount(fitted.value)} clusters), ${adjustedRandIndex(fitted.value, ourLabels).toFixed(3)}`;
  }
  const rows = [
    `| ${data.label} | ours (projectEmbeddings) | ${seconds(ours.ms)} | ${quality(ours.value).toFixed(3)} | ${adjustedRandIndex(ourLabels, data.truth).toFixed(3)} (${clusterCount(ourLabels)} clusters) | ${hdbscanTs} |`,
    `| ${data.label} | umap-js 1.4 (UMAP.fit) | ${seconds(theirs.ms)} | ${quality(theirCoordinates).toFixed(3)} | ${adjustedRandIndex(theirLabels, data.truth).toFixed(3)} (${clusterCount(theirLabels)} clusters; vs ours ${adjustedRandIndex(theirLabels, ourLabels).toFixed(3)}) | – |`,
  ];
  for (const row of rows) console.log(row);
  table.push(...rows);
}
console.log(`load average after ${loadavg()[0]!.toFixed(2)}\n`);
console.log(table.join('\n'));
