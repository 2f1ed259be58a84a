/**
 * Every value that Phoenix's own metric code computes for the fixtures (see
 * ../shared/fixtures/inferences/README.md), recomputed by the metric engine from the sets as
 * loaded by Inferences.fromParquet. Relative tolerance 1e-9; 1e-6 for distances between float32
 * vectors' centroids (Phoenix averages them in float32).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FixtureName, loadFixture } from '../../test-support/fixtures.js';
import type { InferenceModel } from '../model/model.js';
import { histogram, referenceBinning, segments } from './binning.js';
import { DATA_QUALITY_FIELDS, dataQuality } from './data-quality.js';
import { drift } from './divergence.js';
import { accuracy } from './performance.js';
import { timeSeries } from './time-series.js';
import type { DimensionValues, TimeRange } from './types.js';
import { centroid, euclideanDistance } from './vectors.js';

type Point = { timestamp: string; value: number | null };
type Quality = Record<string, number | null>;
interface ExpectedDimension {
  role: string;
  data_type: 'CONTINUOUS' | 'DISCRETE';
  primary: Quality;
  reference: Quality | null;
  drift?: { psi: number; klDivergence: number; jsDistance: number };
  quantile_bins?: [number | null, number | null][];
  psi_time_series?: Point[];
  count_time_series_daily: Point[];
  segments?: { bin: Record<string, unknown>; primary: number; reference: number }[];
}
interface Expected {
  time_ranges: Record<string, { start: string; stop: string }>;
  dimensions: Record<string, ExpectedDimension>;
  embeddings: Record<
    string,
    {
      euclideanDistance?: number;
      euclidean_time_series?: Point[];
      queryDistance?: number;
      query_distance_time_series?: Point[];
    }
  >;
  count_time_series_hourly: Record<string, Point[]>;
  accuracy: Record<string, number | null>;
}

const FIXTURES: FixtureName[] = ['tabular', 'nlp', 'rag'];
const loaded: Partial<Record<FixtureName, { model: InferenceModel; expected: Expected }>> = {};
beforeAll(async () => {
  for (const name of FIXTURES) loaded[name] = await loadFixture<Expected>(name);
}, 120_000);

/** `expected` to a relative tolerance (null and 0 exactly). */
function close(actual: number | null, expected: number | null, tolerance = 1e-9): void {
  if (expected === null || actual === null) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

function closeSeries(
  actual: { timestamp: number; value: number | null }[],
  expected: Point[],
  tolerance = 1e-9,
) {
  expect(actual.map((p) => new Date(p.timestamp).toISOString())).toEqual(
    expected.map((p) => new Date(p.timestamp).toISOString()),
  );
  for (const [i, p] of actual.entries()) close(p.value, expected[i]!.value, tolerance);
}

const DAILY = { evaluationWindowMinutes: 1440, samplingIntervalMinutes: 1440 };
const HOURLY = { evaluationWindowMinutes: 60, samplingIntervalMinutes: 60 };
const ROLLING = { evaluationWindowMinutes: 2880, samplingIntervalMinutes: 1440 };

describe.each(FIXTURES)('the %s fixture, as Phoenix computes it', (name) => {
  const fixture = () => loaded[name]!;
  const values = (dimension: string, role: 'primary' | 'reference') =>
    fixture().model.values(dimension, role) as DimensionValues;
  const sets = () => Object.keys(fixture().expected.time_ranges) as ('primary' | 'reference')[];

  it('data quality of every dimension in every set', () => {
    const { model, expected } = fixture();
    let checked = 0;
    for (const [dimension, want] of Object.entries(expected.dimensions)) {
      for (const role of sets()) {
        const wanted = want[role];
        if (!wanted) continue;
        const got = dataQuality(values(dimension, role), model.rowSpan(role));
        for (const field of DATA_QUALITY_FIELDS) {
          close(got[field], wanted[field] ?? null);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('drift (PSI, KL divergence, JS distance), quantile bins and segments of every dimension', () => {
    const { model, expected } = fixture();
    for (const [dimension, want] of Object.entries(expected.dimensions)) {
      if (!want.drift) continue;
      const shape = want.data_type === 'CONTINUOUS' ? 'continuous' : 'discrete';
      const binning = referenceBinning(shape, values(dimension, 'reference'), model.rowSpan('reference'));
      if (want.quantile_bins) {
        expect(binning.kind).toBe('quantile');
        const breaks = binning.kind === 'quantile' ? binning.breaks : [];
        expect(
          breaks
            .slice(0, -1)
            .map((left, i) => [left, breaks[i + 1]!].map((x) => (Number.isFinite(x) ? x : null))),
        ).toEqual(want.quantile_bins);
      }
      const primary = histogram(binning, values(dimension, 'primary'), model.rowSpan('primary'));
      const reference = histogram(binning, values(dimension, 'reference'), model.rowSpan('reference'));
      close(drift('psi', primary, reference), want.drift.psi);
      close(drift('klDivergence', primary, reference), want.drift.klDivergence);
      close(drift('jsDistance', primary, reference), want.drift.jsDistance);
      const key = (bin: Record<string, unknown>) => JSON.stringify(bin, Object.keys(bin).sort());
      const got = new Map(
        segments(binning, primary, reference, model.minMax(dimension)).map((s) => [key(s.bin), s]),
      );
      expect([...got.keys()].sort()).toEqual(want.segments!.map((s) => key(s.bin)).sort());
      for (const s of want.segments!) {
        expect(got.get(key(s.bin))).toMatchObject({ primary: s.primary, reference: s.reference });
      }
    }
  });

  it('PSI over time: a 2-day window every day, back from the primary stop', () => {
    const { model, expected } = fixture();
    for (const [dimension, want] of Object.entries(expected.dimensions)) {
      if (!want.psi_time_series) continue;
      const shape = want.data_type === 'CONTINUOUS' ? 'continuous' : 'discrete';
      const refValues = values(dimension, 'reference');
      const binning = referenceBinning(shape, refValues, model.rowSpan('reference'));
      const reference = histogram(binning, refValues, model.rowSpan('reference'));
      const series = timeSeries(model.timeRange('primary'), ROLLING, (window: TimeRange) =>
        drift(
          'psi',
          histogram(binning, values(dimension, 'primary'), model.rowSpan('primary', window)),
          reference,
        ),
      );
      closeSeries(series, want.psi_time_series);
    }
  });

  it('row counts per day and per hour', () => {
    const { model, expected } = fixture();
    const count = (role: 'primary' | 'reference') => (window: TimeRange) => {
      const span = model.rowSpan(role, window);
      return span.end - span.start;
    };
    for (const want of Object.values(expected.dimensions)) {
      closeSeries(
        timeSeries(model.timeRange('primary'), DAILY, count('primary')),
        want.count_time_series_daily,
      );
    }
    for (const [role, want] of Object.entries(expected.count_time_series_hourly)) {
      const r = role as 'primary' | 'reference';
      closeSeries(timeSeries(model.timeRange(r), HOURLY, count(r)), want);
    }
  });

  it('embedding drift: Euclidean distance to the reference centroid, query distance to the corpus centroid', () => {
    const { model, expected } = fixture();
    for (const [embedding, want] of Object.entries(expected.embeddings)) {
      const name = model.embeddings.find(
        (e) => e.name === embedding || e.vectorColumnName === embedding,
      )!.name;
      const primary = model.vectors(name, 'primary')!;
      const target =
        want.queryDistance !== undefined ? model.corpusVectors(name)! : model.vectors(name, 'reference')!;
      const targetCentroid = centroid(target, { start: 0, end: target.present.length });
      const distance = (window?: TimeRange) =>
        euclideanDistance(centroid(primary, model.rowSpan('primary', window)), targetCentroid);
      const total = want.queryDistance ?? want.euclideanDistance!;
      close(distance(), total, 1e-6);
      const series = timeSeries(model.timeRange('primary'), ROLLING, distance);
      closeSeries(series, (want.query_distance_time_series ?? want.euclidean_time_series)!, 1e-6);
    }
  });

  it('accuracy of the predicted labels', () => {
    const { model, expected } = fixture();
    for (const [role, want] of Object.entries(expected.accuracy)) {
      const r = role as 'primary' | 'reference';
      const actual = model.dimensions.find((d) => d.role === 'actual_label');
      const predicted = model.dimensions.find((d) => d.role === 'prediction_label');
      const value =
        actual && predicted
          ? accuracy(values(actual.name, r), values(predicted.name, r), model.rowSpan(r))
          : Number.NaN;
      close(Number.isNaN(value) ? null : value, want);
    }
  });
});
