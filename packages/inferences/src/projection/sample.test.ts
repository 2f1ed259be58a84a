import { describe, expect, it } from 'vitest';
import { readNlpSet, readUmapReference } from '../../test-support/projection-helpers.js';
import { sampleRows, WINDOW_MS, windowRows } from './sample.js';

const all = (n: number) => new Uint8Array(n).fill(1);

describe('sampleRows', () => {
  it('takes a window that fits in nSamples whole and in order, and shuffles a larger set', () => {
    const sampled = sampleRows({
      primary: { present: all(100), span: { start: 40, end: 70 } },
      reference: { present: all(1000) },
      nSamples: 50,
      seed: 0,
    });
    expect(Array.from(sampled.primary)).toEqual(Array.from({ length: 30 }, (_, i) => 40 + i));
    const reference = Array.from(sampled.reference!);
    expect(reference).toHaveLength(50);
    expect(new Set(reference).size).toBe(50);
    expect(reference).not.toEqual([...reference].sort((a, b) => a - b));
    expect(sampled.corpus).toBeUndefined();
  });

  it('is reproducible with a seed, and differs with another', () => {
    const options = { primary: { present: all(1000), span: { start: 0, end: 1000 } }, nSamples: 10 };
    const a = sampleRows({ ...options, seed: 7 }).primary;
    expect(Array.from(sampleRows({ ...options, seed: 7 }).primary)).toEqual(Array.from(a));
    expect(Array.from(sampleRows({ ...options, seed: 8 }).primary)).not.toEqual(Array.from(a));
  });

  it('skips rows without a vector (still nSamples from a larger set) and takes every corpus row with one', () => {
    const present = all(200);
    for (let row = 0; row < 200; row += 2) present[row] = 0;
    const sampled = sampleRows({
      primary: { present, span: { start: 0, end: 200 } },
      reference: { present: Uint8Array.from([0, 1, 1, 0]) },
      corpus: { present: Uint8Array.from([1, 0, 1, 1]) },
      nSamples: 60,
      seed: 1,
    });
    expect(sampled.primary).toHaveLength(60);
    expect(Array.from(sampled.primary).every((row) => row % 2 === 1)).toBe(true);
    expect(Array.from(sampled.reference!)).toEqual([1, 2]);
    expect(Array.from(sampled.corpus!)).toEqual([0, 2, 3]);
  });

  it('gives an empty sample for an empty window, and refuses bad parameters', () => {
    expect(
      sampleRows({ primary: { present: all(5), span: { start: 3, end: 3 } }, nSamples: 5, seed: 0 }).primary,
    ).toHaveLength(0);
    expect(() =>
      sampleRows({ primary: { present: all(5), span: { start: 0, end: 5 } }, nSamples: 0, seed: 0 }),
    ).toThrow(/nSamples/);
    expect(() =>
      sampleRows({ primary: { present: all(5), span: { start: 0, end: 5 } }, nSamples: 5, seed: 0.5 }),
    ).toThrow(/seed/);
  });
});

describe('windowRows', () => {
  it('finds the rows of the 2 days ending at the chosen instant (end excluded)', () => {
    const day = 86_400_000;
    const timestamps = Float64Array.from([0, day, 2 * day, 3 * day, 3 * day, 4 * day]);
    expect(windowRows(timestamps, 4 * day)).toEqual({ start: 2, end: 5 });
    expect(windowRows(timestamps, 4 * day + 1)).toEqual({ start: 3, end: 6 });
    expect(windowRows(timestamps, 100 * day)).toEqual({ start: 6, end: 6 });
    expect(WINDOW_MS).toBe(2 * day);
  });

  it("gives the primary rows of Phoenix's default window on the nlp fixture (294 rows, taken whole)", () => {
    const { timestamps, vectors } = readNlpSet('primary');
    // Phoenix's default end: the primary stop, last timestamp + 1 minute floored to the minute.
    const end = Math.floor((timestamps.at(-1)! + 60_000) / 60_000) * 60_000;
    const span = windowRows(timestamps, end);
    const sampled = sampleRows({ primary: { present: vectors.present, span }, nSamples: 500, seed: 0 });
    const expected = readUmapReference().text_embedding.phoenix_default_window.sampled_rows.primary;
    expect(Array.from(sampled.primary)).toEqual(expected);
  });
});
