/**
 * bench/inferences/umap.ts — issue #18 D: the point cloud's speed and quality. Six Gaussian
 * clusters in 768 dimensions (centres ~N(0, 1) per coordinate, unit noise), a primary and a
 * reference set of N points each (both drawn from all six clusters), N = 500 and 5,000. Each size
 * runs in a fresh child process, which times: loading the module and the first projectEmbeddings
 * call (3 components, n_neighbors 30, min_dist 0: Phoenix's defaults), a second call, the first
 * clusterPoints (min_cluster_size 10, min_samples 1) and a re-clustering with other settings
 * (min_cluster_size 20, min_samples 5, epsilon 0.5); then trustworthiness (k = 10, in the original
 * 768 dimensions; on 1,000 sampled points above 2 × 500) and the adjusted Rand index against the
 * generating clusters. Targets: 2 × 500 ≤ 1.5 s with the first call, 2 × 5,000 ≤ 10 s,
 * re-clustering ≤ 200 ms, trustworthiness ≥ 0.92.
 *
 *   npx tsc -b packages/inferences && node --import tsx bench/inferences/umap.ts
 *   BENCH_UMAP_SIZES=500 node --import tsx bench/inferences/umap.ts     # a quick look
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

const SIZES = (process.env.BENCH_UMAP_SIZES ?? '500,5000').split(',').map(Number);
const DIMENSION = 768;

interface ChildResult {
  perSet: number;
  importMs: number;
  firstProjectionMs: number;
  secondProjectionMs: number;
  clusteringMs: number;
  reclusteringMs: number;
  clusters: number;
  reclusters: number;
  trustworthiness: number;
  ari: number;
}

async function child(perSet: number): Promise<ChildResult> {
  const started = performance.now();
  const projection = await import('../../packages/inferences/dist/projection/index.js');
  const importMs = performance.now() - started;
  // The helpers load nodejs-polars (for the fixture), which the projection does not need: not timed.
  const helpers = await import('../../packages/inferences/test-support/projection-helpers.ts');
  // Data generation is not timed.
  const { vectors, labels } = helpers.gaussianBlobs({
    clusters: 6,
    perCluster: (2 * perSet) / 6,
    dimension: DIMENSION,
    spread: 1,
    seed: 42,
  });
  const n = labels.length;
  const rows = [
    Array.from({ length: perSet }, (_, i) => 2 * i),
    Array.from({ length: perSet }, (_, i) => 2 * i + 1),
  ];
  const truth = [...rows[0]!, ...rows[1]!].map((row) => labels[row]!);
  const options = {
    vectors: [vectors, vectors],
    rows,
    nComponents: 3 as const,
    nNeighbors: 30,
    minDist: 0,
    seed: 0,
  };

  let t = performance.now();
  const first = projection.projectEmbeddings(options);
  const firstProjectionMs = importMs + (performance.now() - t);
  t = performance.now();
  projection.projectEmbeddings({ ...options, seed: 1 });
  const secondProjectionMs = performance.now() - t;

  t = performance.now();
  const clustered = projection.clusterPoints(first.coordinates, 3, {
    minClusterSize: 10,
    minSamples: 1,
    clusterSelectionEpsilon: 0,
  });
  const clusteringMs = performance.now() - t;
  t = performance.now();
  const reclustered = projection.clusterPoints(first.coordinates, 3, {
    minClusterSize: 20,
    minSamples: 5,
    clusterSelectionEpsilon: 0.5,
  });
  const reclusteringMs = performance.now() - t;

  const original = new Float32Array(n * DIMENSION);
  [...rows[0]!, ...rows[1]!].forEach((row, at) => {
    original.set(vectors.data.subarray(row * DIMENSION, (row + 1) * DIMENSION), at * DIMENSION);
  });
  const trustworthiness = projection.trustworthiness(original, DIMENSION, first.coordinates, 3, {
    k: 10,
    ...(n > 1000 ? { sample: 1000, seed: 0 } : {}),
  });
  return {
    perSet,
    importMs,
    firstProjectionMs,
    secondProjectionMs,
    clusteringMs,
    reclusteringMs,
    clusters: new Set(clustered.filter((l) => l >= 0)).size,
    reclusters: new Set(reclustered.filter((l) => l >= 0)).size,
    trustworthiness,
    ari: helpers.adjustedRandIndex(clustered, truth),
  };
}

// Phoenix's figures on this machine (issue #18 D): umap-learn + fast_hdbscan.
const ANCHOR: Record<number, { first: string; later: string; trust: string; clustering: string }> = {
  500: { first: '27.5 s (+ 9.1 s imports)', later: '1.7 s', trust: '0.940', clustering: '20 ms' },
  5000: { first: '11.9 s', later: '11.9 s', trust: '0.925', clustering: '0.4 s' },
};

if (process.argv[2] === '--child') {
  const result = await child(Number(process.argv[3]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(
    '| points | first call (fresh process) | later call | trustworthiness | ARI | clustering | re-clustering | Phoenix: first / later / trust / clustering |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const perSet of SIZES) {
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', String(perSet)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const r = JSON.parse(output.trim().split('\n').at(-1)!) as ChildResult;
    const anchor = ANCHOR[perSet];
    console.log(
      `| 2 × ${perSet} | ${s(r.firstProjectionMs)} (import ${s(r.importMs)}) | ${s(r.secondProjectionMs)} | ${r.trustworthiness.toFixed(3)} | ${r.ari.toFixed(3)} (${r.clusters} clusters) | ${s(r.clusteringMs)} | ${s(r.reclusteringMs)} (${r.reclusters} clusters) | ${anchor ? `${anchor.first} / ${anchor.later} / ${anchor.trust} / ${anchor.clustering}` : '–'} |`,
    );
  }
  console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
}
