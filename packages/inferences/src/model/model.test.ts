import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InferencesError } from '../inferences/errors.js';
import { Inferences } from '../inferences/inferences.js';
import { Schema } from '../schema/schema.js';
import { MissingInferencesError, UnknownDimensionError, UnknownEmbeddingError } from './errors.js';
import { InferenceModel } from './model.js';

const fixtures = new URL('../../../../../shared/fixtures/inferences/', import.meta.url).pathname;

interface Expected {
  time_ranges: Record<string, { start: string; stop: string }>;
  count_time_series_hourly: Record<string, { timestamp: string; value: number }[]>;
  dimensions: Record<
    string,
    {
      role: string;
      data_type: string;
      segments?: { bin: Record<string, unknown> }[];
      primary?: { count: number; percentEmpty: number; cardinality: number | null };
      reference?: { count: number; percentEmpty: number; cardinality: number | null };
    }
  >;
  embeddings: Record<string, { vector_column: string; role: string }>;
}

async function loadFixture(set: string): Promise<{ model: InferenceModel; expected: Expected }> {
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
  return { model: new InferenceModel(sets as { primary: Inferences }), expected };
}

const models: Record<string, { model: InferenceModel; expected: Expected }> = {};
beforeAll(async () => {
  for (const set of ['tabular', 'nlp', 'rag']) models[set] = await loadFixture(set);
});

describe('InferenceModel over the fixtures', () => {
  it('knows the time range of each set as Phoenix derives it', () => {
    for (const { model, expected } of Object.values(models)) {
      for (const [role, range] of Object.entries(expected.time_ranges)) {
        expect(model.timeRange(role as 'primary')).toEqual({
          start: Date.parse(range.start),
          end: Date.parse(range.stop),
        });
      }
    }
  });

  it('types every dimension as Phoenix does (role, continuous / discrete)', () => {
    for (const { model, expected } of Object.values(models)) {
      const phoenix = Object.entries(expected.dimensions).map(([name, d]) => [name, d.role, d.data_type]);
      const ours = model.dimensions.map((d) => [d.name, d.role.toUpperCase(), d.shape.toUpperCase()]);
      expect(ours.sort()).toEqual(phoenix.sort());
    }
    const { model } = models.tabular!;
    expect(model.dimension('income')).toMatchObject({
      type: 'feature',
      dataType: 'numeric',
      shape: 'continuous',
    });
    expect(model.dimension('region')).toMatchObject({
      type: 'tag',
      dataType: 'categorical',
      sets: ['primary', 'reference'],
    });
    expect(model.dimension('prediction_score').type).toBe('prediction');
    expect(model.dimension('actual_label').type).toBe('actual');
  });

  it('gives the categories and min / max over both sets that the segments are drawn with', () => {
    const { model, expected } = models.tabular!;
    const stateBins = expected.dimensions.state!.segments!.flatMap((s) =>
      s.bin.type === 'nominal' ? [s.bin.name] : [],
    );
    expect(model.categories('state')).toEqual([...stateBins].sort());
    const incomeBins = expected.dimensions.income!.segments!.filter((s) => s.bin.type === 'interval');
    const starts = incomeBins.map((s) => s.bin.start as number);
    const ends = incomeBins.map((s) => s.bin.end as number);
    expect(model.minMax('income')).toEqual({ min: Math.min(...starts), max: Math.max(...ends) });
    expect(model.categories('income')).toEqual([]);
    expect(model.minMax('state')).toEqual({ min: null, max: null });
  });

  it('knows the embeddings, their vector length and the corpus vectors of the prompt', () => {
    const nlp = models.nlp!.model;
    expect(nlp.embeddings).toEqual([
      {
        name: 'text_embedding',
        role: 'feature',
        vectorColumnName: 'text_vector',
        rawDataColumnName: 'text',
        linkToDataColumnName: undefined,
        dimension: 128,
        sets: ['primary', 'reference'],
      },
    ]);
    const rag = models.rag!.model;
    expect(rag.embedding('prompt')).toMatchObject({
      role: 'prompt',
      vectorColumnName: 'embedding',
      sets: ['primary'],
    });
    expect(rag.corpusVectors('prompt')!.data.length).toBe(300 * rag.embedding('prompt').dimension);
    expect(rag.sets.map((s) => [s.role, s.displayName, s.rowCount])).toEqual([
      ['primary', 'primary', 500],
      ['corpus', 'corpus', 300],
    ]);
  });

  it('finds the rows of a time range by binary search', () => {
    const { model } = models.tabular!;
    const { start, end } = model.timeRange('primary');
    expect(model.rowSpan('primary')).toEqual({ start: 0, end: 2000 });
    expect(model.rowSpan('primary', { start, end })).toEqual({ start: 0, end: 2000 });
    const middle = model.primary.timestamps[1000]!;
    const span = model.rowSpan('primary', { start: middle, end });
    expect(model.primary.timestamps[span.start]).toBe(middle);
    expect(model.primary.timestamps[span.start - 1]!).toBeLessThan(middle);
    expect(model.rowSpan('primary', { start: end, end: end + 1 })).toEqual({ start: 2000, end: 2000 });
  });

  it("counts Phoenix's rows in every hourly window through the row spans (timestamps to the microsecond)", () => {
    let windows = 0;
    for (const { model, expected } of Object.values(models)) {
      for (const [role, points] of Object.entries(expected.count_time_series_hourly)) {
        for (const point of points) {
          const end = Date.parse(point.timestamp);
          const span = model.rowSpan(role as 'primary', { start: end - 3_600_000, end });
          expect(span.end - span.start, `${role} ${point.timestamp}`).toBe(point.value);
          windows++;
        }
      }
    }
    expect(windows).toBeGreaterThan(500);
  });

  it("holds each column's values and nulls as Phoenix counts them (count, % empty, cardinality)", () => {
    for (const { model, expected } of Object.values(models)) {
      for (const [name, phoenix] of Object.entries(expected.dimensions)) {
        for (const role of ['primary', 'reference'] as const) {
          const quality = phoenix[role];
          const values = model.values(name, role);
          if (!quality || !values) continue;
          const isNull = (value: unknown) => value === null || Number.isNaN(value);
          const nulls = Array.from(values.values as ArrayLike<unknown>).filter(isNull).length;
          expect(values.values.length, `${name} ${role}`).toBe(quality.count);
          expect((nulls / values.values.length) * 100, `${name} ${role}`).toBeCloseTo(
            quality.percentEmpty,
            9,
          );
          if (quality.cardinality !== null) {
            const distinct = new Set(
              Array.from(values.values as ArrayLike<unknown>).filter((v) => !isNull(v)),
            );
            expect(distinct.size, `${name} ${role}`).toBe(quality.cardinality);
          }
        }
      }
    }
  });

  it('throws typed errors for unknown names and missing sets', () => {
    const { model } = models.rag!;
    expect(() => model.dimension('nope')).toThrow(UnknownDimensionError);
    expect(() => model.dimension('nope')).toThrow('no dimension named "nope"; the names are user_feedback');
    expect(() => model.embedding('text_embedding')).toThrow(UnknownEmbeddingError);
    expect(() => model.set('reference')).toThrow(MissingInferencesError);
  });
});

describe('InferenceModel across sets', () => {
  it('names a singular role by the primary column and reads each set its own', () => {
    const primary = new Inferences([{ t: 1, pred: 'a', x: 1 }], {
      timestampColumnName: 't',
      predictionLabelColumnName: 'pred',
    });
    const reference = new Inferences([{ t: 1, label: 'b', x: 2, y: 'z' }], {
      timestampColumnName: 't',
      predictionLabelColumnName: 'label',
      tagColumnNames: ['x'],
    });
    const model = new InferenceModel({ primary, reference });
    expect(model.dimension('pred').columns).toEqual({ primary: 'pred', reference: 'label' });
    expect(model.categories('pred')).toEqual(['a', 'b']);
    expect(model.dimension('x')).toMatchObject({
      role: 'feature',
      shape: 'continuous',
      sets: ['primary', 'reference'],
    });
    expect(model.dimension('y')).toMatchObject({ sets: ['reference'], shape: 'discrete' });
  });

  it('refuses an embedding whose vectors differ in length between the sets', () => {
    const schema = {
      timestampColumnName: 't',
      embeddingFeatureColumnNames: { e: { vectorColumnName: 'v' } },
    };
    const primary = new Inferences([{ t: 1, v: [1, 2] }], schema);
    const reference = new Inferences([{ t: 1, v: [1, 2, 3] }], schema);
    expect(() => new InferenceModel({ primary, reference })).toThrow(InferencesError);
  });
});
