import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Inferences } from '../inferences/inferences.js';
import { Schema } from '../schema/schema.js';
import { MissingInferencesError, UnknownMetricError } from './errors.js';
import { InferenceModel } from './model.js';

const fixtures = new URL('../../../../../shared/fixtures/inferences/', import.meta.url).pathname;
type Figures = Record<string, number | null>;
type Point = { timestamp: string; value: number | null };
interface Expected {
  dimensions: Record<
    string,
    {
      primary: Figures;
      reference?: Figures;
      drift?: Figures;
      psi_time_series?: Point[];
      count_time_series_daily?: Point[];
      segments?: { bin: Record<string, unknown>; primary: number; reference: number }[];
    }
  >;
  embeddings: Record<string, Record<string, number | Point[] | string>>;
  accuracy: Record<string, number | null>;
}

const models: Record<string, { model: InferenceModel; expected: Expected }> = {};
beforeAll(async () => {
  for (const set of ['tabular', 'nlp', 'rag']) {
    const schemas = JSON.parse(readFileSync(join(fixtures, set, 'schema.json'), 'utf8')) as Record<
      string,
      object
    >;
    const sets: Record<string, Inferences> = {};
    for (const [role, schema] of Object.entries(schemas)) {
      sets[role] = await Inferences.fromParquet(
        join(fixtures, set, `${role}.parquet`),
        Schema.fromJSON(schema),
      );
    }
    const expected = JSON.parse(readFileSync(join(fixtures, set, 'expected.json'), 'utf8')) as Expected;
    models[set] = { model: new InferenceModel(sets as { primary: Inferences }), expected };
  }
});

function close(actual: number | null, expected: number | null, label: string, tolerance = 1e-9) {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), label).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

const points = (series: { timestamp: number; value: number | null }[]) =>
  series.map((p) => ({ timestamp: new Date(p.timestamp).toISOString(), value: p.value }));
const comparePoints = (
  ours: { timestamp: number; value: number | null }[],
  theirs: Point[],
  label: string,
  tol?: number,
) => {
  expect(points(ours).map((p) => p.timestamp)).toEqual(
    theirs.map((p) => new Date(p.timestamp).toISOString()),
  );
  for (const [i, p] of ours.entries())
    close(p.value, theirs[i]!.value, `${label} @${theirs[i]!.timestamp}`, tol);
};

describe('InferenceModel metrics against the fixtures', () => {
  it('gives data quality and drift of every dimension', () => {
    for (const [set, { model, expected }] of Object.entries(models)) {
      for (const [name, figures] of Object.entries(expected.dimensions)) {
        for (const role of ['primary', 'reference'] as const) {
          const theirs = figures[role];
          if (!theirs || !model[role]) continue;
          const ours = model.dataQuality(name, { inferences: role }) as unknown as Figures;
          for (const [field, value] of Object.entries(theirs))
            close(ours[field]!, value, `${set} ${name} ${role} ${field}`);
        }
        for (const [metric, value] of Object.entries(figures.drift ?? {})) {
          close(model.drift(name, metric), value, `${set} ${name} ${metric}`);
        }
      }
    }
    expect(models.tabular!.model.drift('income', 'kl_divergence')).toBe(
      models.tabular!.model.drift('income', 'klDivergence'),
    );
  });

  it('gives the PSI series (2-day window, daily) and the daily counts', () => {
    const granularity = { evaluationWindowMinutes: 2880, samplingIntervalMinutes: 1440 };
    const daily = { evaluationWindowMinutes: 1440, samplingIntervalMinutes: 1440 };
    for (const [set, { model, expected }] of Object.entries(models)) {
      for (const [name, figures] of Object.entries(expected.dimensions)) {
        if (figures.psi_time_series) {
          comparePoints(
            model.timeSeries(name, 'psi', { granularity }),
            figures.psi_time_series,
            `${set} ${name} psi`,
          );
        }
        if (figures.count_time_series_daily) {
          comparePoints(
            model.timeSeries(name, 'count', { granularity: daily }),
            figures.count_time_series_daily,
            `${set} ${name} count`,
          );
        }
      }
    }
  });

  it('gives the segments of the dimension page (as a set keyed by bin)', () => {
    for (const [set, { model, expected }] of Object.entries(models)) {
      if (!model.reference) continue;
      for (const [name, figures] of Object.entries(expected.dimensions)) {
        if (!figures.segments) continue;
        const key = (s: { bin: Record<string, unknown> }) => JSON.stringify(s.bin, Object.keys(s.bin).sort());
        const ours = new Map(model.segments(name).map((s) => [key(s), [s.primary, s.reference]]));
        const theirs = new Map(figures.segments.map((s) => [key(s), [s.primary, s.reference]]));
        expect(ours, `${set} ${name}`).toEqual(theirs);
      }
    }
  });

  it('gives embedding drift and query distance, and their series', () => {
    const granularity = { evaluationWindowMinutes: 2880, samplingIntervalMinutes: 1440 };
    const nlp = models.nlp!;
    const text = nlp.expected.embeddings.text_embedding!;
    close(
      nlp.model.embeddingDrift('text_embedding', 'euclidean_distance'),
      text.euclideanDistance as number,
      'nlp',
      1e-6,
    );
    comparePoints(
      nlp.model.embeddingDriftTimeSeries('text_embedding', 'euclideanDistance', { granularity }),
      text.euclidean_time_series as Point[],
      'nlp series',
      1e-6,
    );
    const rag = models.rag!;
    const query = rag.expected.embeddings.embedding!;
    close(rag.model.embeddingDrift('prompt', 'query_distance'), query.queryDistance as number, 'rag', 1e-6);
    comparePoints(
      rag.model.embeddingDriftTimeSeries('prompt', 'queryDistance', { granularity }),
      query.query_distance_time_series as Point[],
      'rag series',
      1e-6,
    );
    expect(() => rag.model.embeddingDrift('prompt', 'euclideanDistance')).toThrow(MissingInferencesError);
  });

  it('gives accuracy per set, null without labels, and refuses unknown metrics', () => {
    for (const [set, { model, expected }] of Object.entries(models)) {
      for (const role of ['primary', 'reference'] as const) {
        if (!model[role]) continue;
        close(
          model.performance('accuracy', { inferences: role }),
          expected.accuracy[role] ?? null,
          `${set} ${role}`,
        );
      }
    }
    const { model } = models.tabular!;
    expect(model.performance('f1')).toBeGreaterThan(0);
    const auc = model.performance('auc')!;
    expect(auc).toBeGreaterThan(0);
    expect(auc).toBeLessThan(1);
    expect(() => model.performance('brier')).toThrow(UnknownMetricError);
    expect(() => model.drift('income', 'wasserstein')).toThrow(UnknownMetricError);
  });
});
