import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../test-support/projection-helpers.js';
import { ClusteringError, clusterPoints } from './hdbscan.js';
import { gaussian, seededRandom } from './random.js';

const defaults = { minClusterSize: 10, minSamples: 1, clusterSelectionEpsilon: 0 };

/** Blobs in 2-D or 3-D around the given centres, `sigma` wide; points listed blob after blob. */
function blobs(centres: number[][], perBlob: number[], sigma: number | number[], seed = 1) {
  const random = seededRandom(seed);
  const dim = centres[0]!.length;
  const coordinates: number[] = [];
  const truth: number[] = [];
  centres.forEach((centre, c) => {
    for (let i = 0; i < perBlob[c]!; i++) {
      const width = typeof sigma === 'number' ? sigma : sigma[c]!;
      for (let d = 0; d < dim; d++) coordinates.push(centre[d]! + gaussian(random) * width);
      truth.push(c);
    }
  });
  return { coordinates: Float32Array.from(coordinates), truth, dim };
}

describe('clusterPoints', () => {
  it('finds Gaussian blobs of different sizes and densities in 3-D exactly', () => {
    const { coordinates, truth, dim } = blobs(
      [
        [0, 0, 0],
        [10, 0, 0],
        [0, 10, 0],
        [0, 0, 10],
        [10, 10, 10],
      ],
      [200, 120, 60, 30, 300],
      [0.8, 0.5, 1, 0.6, 1.2],
    );
    const labels = clusterPoints(coordinates, dim, defaults);
    expect(adjustedRandIndex(labels, truth)).toBe(1);
    expect(new Set(labels).size).toBe(5);
  });

  it('finds 2-D blobs with min_samples 5, and numbers clusters by their first point', () => {
    const { coordinates, truth, dim } = blobs(
      [
        [5, 5],
        [-5, 5],
        [0, -6],
      ],
      [80, 80, 80],
      0.7,
      7,
    );
    const labels = clusterPoints(coordinates, dim, { ...defaults, minSamples: 5 });
    expect(adjustedRandIndex(labels, truth)).toBeGreaterThanOrEqual(0.99);
    expect(labels[0]).toBe(0);
    expect(labels[80]).toBe(1);
    expect(labels[160]).toBe(2);
  });

  it('leaves far-away stragglers as noise (−1)', () => {
    const { coordinates, dim } = blobs(
      [
        [0, 0, 0],
        [8, 8, 8],
      ],
      [100, 100],
      0.5,
      3,
    );
    const withNoise = Float32Array.from([...coordinates, 100, 100, 100, -100, 50, 0, 60, -90, 20]);
    const labels = clusterPoints(withNoise, dim, defaults);
    expect(Array.from(labels.slice(200))).toEqual([-1, -1, -1]);
    expect(new Set(labels.slice(0, 200)).size).toBe(2);
  });

  it('merges clusters split below cluster_selection_epsilon', () => {
    const { coordinates, dim } = blobs(
      [
        [0, 0],
        [1.5, 0],
        [20, 0],
      ],
      [60, 60, 60],
      0.15,
      5,
    );
    const split = clusterPoints(coordinates, dim, defaults);
    expect(new Set(split).size).toBe(3);
    const merged = clusterPoints(coordinates, dim, { ...defaults, clusterSelectionEpsilon: 3 });
    expect(new Set(merged).size).toBe(2);
    expect(merged[0]).toBe(merged[60]);
    expect(merged[0]).not.toBe(merged[120]);
  });

  it('gives noise when no group reaches min_cluster_size, and handles 0 and 1 points', () => {
    expect(Array.from(clusterPoints(new Float32Array(0), 3, defaults))).toEqual([]);
    expect(Array.from(clusterPoints(Float32Array.from([1, 2, 3]), 3, defaults))).toEqual([-1]);
    const few = Float32Array.from({ length: 5 * 2 }, (_, i) => i);
    expect(Array.from(clusterPoints(few, 2, defaults))).toEqual([-1, -1, -1, -1, -1]);
  });

  it('copes with duplicate points (zero distances)', () => {
    const { coordinates, truth, dim } = blobs(
      [
        [0, 0],
        [10, 10],
      ],
      [50, 50],
      0.5,
    );
    const doubled = Float32Array.from([...coordinates, ...coordinates]);
    const labels = clusterPoints(doubled, dim, defaults);
    expect(adjustedRandIndex(labels, [...truth, ...truth])).toBe(1);
  });

  it('names the bad parameter', () => {
    const points = new Float32Array(30);
    const bad = (options: Partial<typeof defaults>, nComponents = 3) => {
      try {
        clusterPoints(points, nComponents, { ...defaults, ...options });
      } catch (error) {
        return error instanceof ClusteringError ? error.parameter : 'other';
      }
      return 'none';
    };
    expect(bad({ minClusterSize: 1 })).toBe('minClusterSize');
    expect(bad({ minSamples: 0 })).toBe('minSamples');
    expect(bad({ minSamples: 1.5 })).toBe('minSamples');
    expect(bad({ clusterSelectionEpsilon: -1 })).toBe('clusterSelectionEpsilon');
    expect(bad({}, 4)).toBe('coordinates');
    expect(() => clusterPoints(Float32Array.from([0, Number.NaN, 0]), 3, defaults)).toThrow(/finite/);
  });
});
