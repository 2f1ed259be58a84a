import { describe, expect, it } from 'vitest';
import { summarizeClusters } from './clusters.js';

describe('summarizeClusters', () => {
  const labels = Int32Array.from([0, 0, 1, -1, 0, 1, 1, 2]);

  it('gives size, members, counts per set and the drift ratio; noise belongs to no cluster', () => {
    const clusters = summarizeClusters(labels, [
      { role: 'primary', start: 0, count: 4 },
      { role: 'reference', start: 4, count: 4 },
    ]);
    expect(clusters.map((c) => c.id)).toEqual(['0', '1', '2']);
    expect(clusters[0]).toMatchObject({ size: 3, counts: { primary: 2, reference: 1, corpus: 0 } });
    expect(Array.from(clusters[0]!.points)).toEqual([0, 1, 4]);
    expect(clusters[0]!.driftRatio).toBeCloseTo(1 / 3, 12);
    expect(clusters[1]!.driftRatio).toBeCloseTo(-1 / 3, 12);
    expect(clusters[2]!.driftRatio).toBe(-1);
    expect(clusters.every((c) => c.primaryToCorpusRatio === null)).toBe(true);
  });

  it('gives null drift without a reference, and the primary-to-corpus ratio with a corpus', () => {
    const clusters = summarizeClusters(labels, [
      { role: 'primary', start: 0, count: 6 },
      { role: 'corpus', start: 6, count: 2 },
    ]);
    expect(clusters.map((c) => c.driftRatio)).toEqual([null, null, null]);
    expect(clusters[0]!.primaryToCorpusRatio).toBe(1);
    expect(clusters[1]!.primaryToCorpusRatio).toBeCloseTo(1 / 3, 12);
    expect(clusters[2]!.primaryToCorpusRatio).toBe(-1);
  });

  it('refuses sets outside the points', () => {
    expect(() => summarizeClusters(labels, [{ role: 'primary', start: 4, count: 5 }])).toThrow(/outside/);
  });
});
