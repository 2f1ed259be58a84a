import { beforeAll, describe, expect, it } from 'vitest';
import {
  adjustedRandIndex,
  gaussianBlobs,
  readNlpSet,
  readUmapReference,
} from '../../test-support/projection-helpers.js';
import type { EmbeddingVectors } from '../metrics/types.js';
import { summarizeClusters } from './clusters.js';
import { clusterPoints } from './hdbscan.js';
import { type Projection, ProjectionError, projectEmbeddings } from './project.js';
import { trustworthiness } from './quality.js';
import { findAbParams } from './umap.js';

const phoenix = { nComponents: 3 as const, nNeighbors: 30, minDist: 0, seed: 0 };
const hdbscanDefaults = { minClusterSize: 10, minSamples: 1, clusterSelectionEpsilon: 0 };

function gather(vectors: readonly EmbeddingVectors[], rows: readonly (readonly number[])[]): Float32Array {
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

describe('projectEmbeddings on the nlp fixture (the rows Phoenix samples)', () => {
  const reference = readUmapReference();
  const sets = { primary: readNlpSet('primary'), reference: readNlpSet('reference') };
  const vectors = [sets.primary.vectors, sets.reference.vectors];
  // The generating partition: the topic of the text, the moved topic ("account") split by set.
  const truthOf = (window: 'phoenix_default_window' | 'whole_primary_range') => {
    const { sampled_rows } = reference.text_embedding[window];
    return (['primary', 'reference'] as const).flatMap((set) =>
      sampled_rows[set].map((row) => {
        const topic = sets[set].texts[row]!.replace(/ \d+$/, '');
        return topic === 'account question' ? `${topic} (${set})` : topic;
      }),
    );
  };
  const projections = new Map<string, Projection>();
  beforeAll(() => {
    for (const window of ['phoenix_default_window', 'whole_primary_range'] as const) {
      const { sampled_rows } = reference.text_embedding[window];
      projections.set(
        window,
        projectEmbeddings({ vectors, rows: [sampled_rows.primary, sampled_rows.reference], ...phoenix }),
      );
    }
  });

  for (const window of ['phoenix_default_window', 'whole_primary_range'] as const) {
    it(`finds Phoenix's partition (${window}): ARI ≥ 0.95, one cluster purely primary, one purely reference`, () => {
      const projection = projections.get(window)!;
      const labels = clusterPoints(projection.coordinates, 3, hdbscanDefaults);
      expect(adjustedRandIndex(labels, truthOf(window))).toBeGreaterThanOrEqual(0.95);
      const clusters = summarizeClusters(labels, [
        { role: 'primary', ...projection.sets[0]! },
        { role: 'reference', ...projection.sets[1]! },
      ]);
      const expected = reference.text_embedding[window].clusters;
      expect(clusters.length).toBe(expected.length);
      const key = (c: { size: number; driftRatio: number | null }) => `${c.size}:${c.driftRatio?.toFixed(6)}`;
      expect(clusters.map(key).sort()).toEqual(expected.map(key).sort());
      expect(clusters.filter((c) => c.driftRatio === 1)).toHaveLength(1);
      expect(clusters.filter((c) => c.driftRatio === -1)).toHaveLength(1);
    });

    it(`keeps neighbourhoods (${window}): trustworthiness (k = 10) ≥ 0.92 in the original space`, () => {
      const { sampled_rows } = reference.text_embedding[window];
      const original = gather(vectors, [sampled_rows.primary, sampled_rows.reference]);
      const score = trustworthiness(original, 128, projections.get(window)!.coordinates, 3, { k: 10 });
      expect(score).toBeGreaterThanOrEqual(0.92);
    });
  }

  it('is mean-centred, and lays the sets out in order', () => {
    const projection = projections.get('phoenix_default_window')!;
    const { sampled_rows } = reference.text_embedding.phoenix_default_window;
    expect(projection.sets).toEqual([
      { start: 0, count: sampled_rows.primary.length },
      { start: sampled_rows.primary.length, count: sampled_rows.reference.length },
    ]);
    const n = projection.coordinates.length / 3;
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += projection.coordinates[i * 3 + c]!;
      expect(Math.abs(sum / n)).toBeLessThan(1e-4);
    }
  });
});

describe('projectEmbeddings', () => {
  const blobs = gaussianBlobs({ clusters: 4, perCluster: 60, dimension: 768, spread: 1.2, seed: 3 });
  const rows = [Array.from({ length: 120 }, (_, i) => i), Array.from({ length: 120 }, (_, i) => 120 + i)];
  const run = (overrides: Partial<Parameters<typeof projectEmbeddings>[0]> = {}) =>
    projectEmbeddings({
      vectors: [blobs.vectors, blobs.vectors],
      rows,
      ...phoenix,
      nNeighbors: 15,
      ...overrides,
    });

  it('reduces wide vectors first and still separates the blobs, reproducibly for a seed', () => {
    const first = run({ nComponents: 2 });
    const labels = clusterPoints(first.coordinates, 2, hdbscanDefaults);
    expect(adjustedRandIndex(labels, blobs.labels)).toBeGreaterThanOrEqual(0.95);
    const original = gather([blobs.vectors], [Array.from({ length: 240 }, (_, i) => i)]);
    expect(trustworthiness(original, 768, first.coordinates, 2, { k: 10 })).toBeGreaterThanOrEqual(0.9);
    expect(Array.from(run({ nComponents: 2 }).coordinates)).toEqual(Array.from(first.coordinates));
    expect(Array.from(run({ nComponents: 2, seed: 1 }).coordinates)).not.toEqual(
      Array.from(first.coordinates),
    );
  });

  it('reports every epoch', () => {
    const seen: [number, number][] = [];
    run({ rows: [rows[0]!.slice(0, 20), []], onEpoch: (done, total) => seen.push([done, total]) });
    expect(seen).toHaveLength(500);
    expect(seen[0]).toEqual([1, 500]);
    expect(seen.at(-1)).toEqual([500, 500]);
  });

  it('handles tiny inputs: none, one, and no more rows than components (random start)', () => {
    expect(run({ rows: [[], []] }).coordinates).toHaveLength(0);
    expect(Array.from(run({ rows: [[5], []] }).coordinates)).toEqual([0, 0, 0]);
    const three = run({ rows: [[1, 2], [3]] });
    expect(three.coordinates).toHaveLength(9);
    expect(three.coordinates.every(Number.isFinite)).toBe(true);
  });

  it('names the bad parameter', () => {
    const parameterOf = (overrides: Record<string, unknown>) => {
      try {
        run(overrides as Partial<Parameters<typeof projectEmbeddings>[0]>);
      } catch (error) {
        return error instanceof ProjectionError ? error.parameter : String(error);
      }
      return 'none';
    };
    expect(parameterOf({ nComponents: 4 })).toBe('nComponents');
    expect(parameterOf({ nNeighbors: 1 })).toBe('nNeighbors');
    expect(parameterOf({ minDist: 1 })).toBe('minDist');
    expect(parameterOf({ seed: 0.5 })).toBe('seed');
    expect(parameterOf({ rows: [[0]] })).toBe('rows');
    expect(parameterOf({ rows: [[240], []] })).toBe('rows');
    const missing = { ...blobs.vectors, present: new Uint8Array(240) };
    expect(parameterOf({ vectors: [missing, blobs.vectors] })).toBe('rows');
    expect(
      parameterOf({
        vectors: [blobs.vectors, { dimension: 2, data: new Float32Array(4), present: new Uint8Array(2) }],
      }),
    ).toBe('vectors');
  });
});

describe('findAbParams', () => {
  it("fits umap-learn's curve (min_dist 0.1: a ≈ 1.577, b ≈ 0.895)", () => {
    const { a, b } = findAbParams(0.1);
    expect(a).toBeCloseTo(1.577, 2);
    expect(b).toBeCloseTo(0.895, 2);
  });
});
