import { describe, expect, it } from 'vitest';
import { buildKdTree, kthNeighborDistanceSquared } from './kd-tree.js';
import { gaussian, seededRandom } from './random.js';
import { boruvkaSpanningTree, primSpanningTree } from './spanning-tree.js';

const total = (weights: Float64Array) => weights.reduce((sum, w) => sum + w, 0);

function cloud(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  // Three blobs and a sprinkle of duplicates, so that ties and zero distances occur.
  const points = Float32Array.from(
    { length: n * dim },
    (_, i) => gaussian(random) + (Math.floor(i / dim) % 3) * 4,
  );
  for (let p = 0; p < 20; p++) points.copyWithin(p * dim, (n - 1 - p) * dim, (n - p) * dim);
  return points;
}

describe('the mutual reachability spanning tree', () => {
  for (const [dim, minSamples] of [
    [2, 1],
    [3, 1],
    [3, 5],
    [2, 10],
  ] as const) {
    it(`Borůvka over the k-d tree weighs what Prim's finds (${dim}-D, min_samples ${minSamples})`, () => {
      const n = 600;
      const points = cloud(n, dim, dim * 10 + minSamples);
      const core =
        minSamples === 1
          ? new Float64Array(n)
          : kthNeighborDistanceSquared(buildKdTree(points, n, dim), n, minSamples);
      const fast = boruvkaSpanningTree(points, n, dim, core);
      const reference = primSpanningTree(points, n, dim, core);
      expect(fast.weight).toHaveLength(n - 1);
      expect(total(fast.weight)).toBeCloseTo(total(reference.weight), 6);
      expect(Array.from(fast.weight).sort()).toEqual(Array.from(reference.weight).sort());
    });
  }

  it('finds the k-th neighbour distance as a brute-force search does', () => {
    const n = 300;
    const points = cloud(n, 3, 9);
    const fast = kthNeighborDistanceSquared(buildKdTree(points, n, 3), n, 4);
    for (let p = 0; p < n; p++) {
      const all: number[] = [];
      for (let q = 0; q < n; q++) {
        if (q === p) continue;
        let d = 0;
        for (let c = 0; c < 3; c++) d += (points[p * 3 + c]! - points[q * 3 + c]!) ** 2;
        all.push(d);
      }
      all.sort((a, b) => a - b);
      expect(fast[p]).toBe(all[3]);
    }
  });
});
