import { describe, expect, it } from 'vitest';
import { histogram, referenceBinning, segments } from './binning.js';
import { dataQuality } from './data-quality.js';
import { drift } from './divergence.js';
import { coerceToNumber, quantileOfSorted } from './numeric.js';
import {
  accuracy,
  aucInputs,
  classScores,
  macroAverage,
  meanAbsoluteError,
  rocAuc,
  rootMeanSquaredError,
} from './performance.js';
import { seriesWindows } from './time-series.js';
import type { DimensionValues } from './types.js';
import { centroid, centroidInSlices, euclideanDistance } from './vectors.js';

const numbers = (values: number[], dtype: 'int' | 'float' = 'float'): DimensionValues => ({
  kind: 'numeric',
  dtype,
  values: Float64Array.from(values),
});
const strings = (values: (string | null)[]): DimensionValues => ({ kind: 'categorical', values });
const all = (v: DimensionValues) => ({ start: 0, end: v.values.length });

describe('data quality', () => {
  it('gives null, never NaN, where there is nothing to compute', () => {
    const empty = numbers([]);
    expect(dataQuality(empty, all(empty))).toEqual({
      count: 0,
      cardinality: null,
      percentEmpty: null,
      mean: null,
      sum: 0,
      min: null,
      max: null,
      p01: null,
      p25: null,
      p50: null,
      p75: null,
      p99: null,
    });
    const nulls = numbers([Number.NaN, Number.NaN], 'int');
    expect(dataQuality(nulls, all(nulls))).toMatchObject({
      count: 2,
      cardinality: 0,
      percentEmpty: 100,
      mean: null,
    });
  });

  it('coerces strings to numbers as pandas does, and counts distinct strings', () => {
    const v = strings(['1', ' 2.5 ', 'x', null, '1e1', '']);
    expect(dataQuality(v, all(v))).toMatchObject({
      count: 6,
      cardinality: 5,
      mean: 13.5 / 3,
      sum: 13.5,
      min: 1,
      max: 10,
    });
    expect(coerceToNumber('-inf')).toBe(-Infinity);
    expect(coerceToNumber('0x10')).toBeNaN();
  });

  it('interpolates quantiles linearly, as numpy, ties included', () => {
    const sorted = Float64Array.from([1, 2, 2, 2, 10]);
    expect(quantileOfSorted(sorted, 0.5)).toBe(2);
    expect(quantileOfSorted(sorted, 0.9)).toBeCloseTo(6.8, 12);
    expect(quantileOfSorted(Float64Array.from([3]), 0.99)).toBe(3);
  });
});

describe('drift', () => {
  it('is 0 for identical distributions and grows with the shift', () => {
    const reference = numbers(Array.from({ length: 100 }, (_, i) => i));
    const binning = referenceBinning('continuous', reference, all(reference));
    const same = histogram(binning, reference, all(reference));
    expect(drift('psi', same, same)).toBeCloseTo(0, 12);
    const shifted = numbers(Array.from({ length: 100 }, (_, i) => i + 50));
    const moved = histogram(binning, shifted, all(shifted));
    expect(drift('psi', moved, same)).toBeGreaterThan(1);
    expect(drift('jsDistance', moved, same)).toBeLessThanOrEqual(1);
  });

  it('keeps the minimum and makes two bins when the reference has fewer than three distinct values', () => {
    const reference = numbers([5, 5, 5]);
    expect(referenceBinning('continuous', reference, all(reference))).toEqual({
      kind: 'quantile',
      breaks: [-Infinity, 5, Infinity],
    });
  });

  it('is NaN with no rows on either side, and puts nulls in a bin of their own', () => {
    const binning = referenceBinning('discrete', strings([]), { start: 0, end: 0 });
    const empty = histogram(binning, strings([]), { start: 0, end: 0 });
    expect(drift('psi', empty, empty)).toBeNaN();
    const v = strings(['a', null, 'a']);
    const h = histogram(binning, v, all(v));
    expect(segments(binning, h, new Map(), { min: null, max: null })).toEqual([
      { bin: { type: 'nominal', name: 'a' }, primary: 2, reference: 0 },
      { bin: { type: 'missing' }, primary: 1, reference: 0 },
    ]);
  });
});

describe('embedding distances', () => {
  it('skips null vectors, and gives NaN for an empty window', () => {
    const vectors = {
      dimension: 2,
      data: Float32Array.from([0, 0, 9, 9, 3, 4]),
      present: Uint8Array.from([1, 0, 1]),
    };
    const c = centroid(vectors, { start: 0, end: 3 });
    expect([...c!]).toEqual([1.5, 2]);
    expect(euclideanDistance(c, Float64Array.from([1.5, 2]))).toBe(0);
    expect(euclideanDistance(centroid(vectors, { start: 1, end: 2 }), c)).toBeNaN();
  });

  it('sums eight rows a pass and the rest one by one, and gives the same centroid slice by slice', () => {
    const rows = 37;
    const dimension = 5;
    const data = Float32Array.from({ length: rows * dimension }, (_, i) => ((i * 7919) % 101) / 10);
    const present = Uint8Array.from({ length: rows }, (_, i) => (i % 6 === 4 ? 0 : 1));
    const vectors = { dimension, data, present };
    const span = { start: 3, end: 34 };
    const expected = new Float64Array(dimension);
    let n = 0;
    for (let row = span.start; row < span.end; row++) {
      if (!present[row]) continue;
      n++;
      for (let d = 0; d < dimension; d++) expected[d]! += data[row * dimension + d]!;
    }
    for (let d = 0; d < dimension; d++) expected[d]! /= n;
    const whole = centroid(vectors, span)!;
    for (let d = 0; d < dimension; d++) expect(whole[d]).toBeCloseTo(expected[d]!, 12);
    for (const chunkRows of [1, 4, 10, 31, 100]) {
      const slices = centroidInSlices(vectors, span, chunkRows);
      let step = slices.next();
      let pauses = 0;
      while (!step.done) {
        pauses++;
        step = slices.next();
      }
      expect(pauses).toBe(Math.ceil((span.end - span.start) / chunkRows) - 1);
      for (let d = 0; d < dimension; d++) expect(step.value![d]).toBeCloseTo(expected[d]!, 12);
    }
    expect(centroidInSlices(vectors, { start: 4, end: 5 }, 10).next()).toEqual({ done: true, value: null });
  });
});

describe('performance', () => {
  const actual = strings(['a', 'a', 'b', 'b', null]);
  const predicted = strings(['a', 'b', 'b', 'b', 'a']);
  it('accuracy drops rows where either label is missing', () => {
    expect(accuracy(actual, predicted, all(actual))).toBe(0.75);
    expect(accuracy(strings([null]), strings(['a']), { start: 0, end: 1 })).toBeNaN();
  });

  it('precision, recall and F1 per class and macro-averaged, as sklearn', () => {
    const scores = classScores(actual, predicted, all(actual));
    expect(scores).toEqual([
      { label: 'a', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
      { label: 'b', precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
    ]);
    expect(macroAverage(scores, 'f1')).toBeCloseTo((2 / 3 + 0.8) / 2, 15);
  });

  it('MAE, RMSE and ROC AUC (ties count half)', () => {
    const a = Float64Array.from([1, 0, Number.NaN]);
    const p = Float64Array.from([0.5, 0.5, 1]);
    expect(meanAbsoluteError(a, p, { start: 0, end: 3 })).toBe(0.5);
    expect(rootMeanSquaredError(a, p, { start: 0, end: 3 })).toBe(0.5);
    expect(rocAuc([true, false, true, false], [0.9, 0.1, 0.4, 0.4])).toBe(0.875);
    expect(rocAuc([true, true], [0.1, 0.2])).toBeNaN();
    const inputs = aucInputs(strings(['no', 'yes', null]), Float64Array.from([0.2, 0.8, 0.5]), {
      start: 0,
      end: 3,
    });
    expect(inputs).toEqual({ truth: [false, true], scores: [0.2, 0.8] });
  });
});

describe('time series windows', () => {
  it('are laid back from the end while after the start, each [t − window, t)', () => {
    const minute = 60_000;
    const windows = seriesWindows(
      { start: 0, end: 150 * minute },
      { evaluationWindowMinutes: 120, samplingIntervalMinutes: 60 },
    );
    expect(windows.map((w) => w.timestamp / minute)).toEqual([30, 90, 150]);
    expect(windows[0]!.window).toEqual({ start: -90 * minute, end: 30 * minute });
  });
});
