import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schema } from '../schema/schema.js';
import { InferencesError } from './errors.js';
import { GENERATED_NAME_PREFIX, Inferences } from './inferences.js';
import { localOffsetMicros } from './timestamps.js';

const fixtures = new URL('../../../../../shared/fixtures/inferences/', import.meta.url).pathname;
const fixtureSchema = (set: string, role: string) =>
  Schema.fromJSON(
    (JSON.parse(readFileSync(join(fixtures, set, 'schema.json'), 'utf8')) as Record<string, object>)[role]!,
  );
const expected = (set: string) =>
  JSON.parse(readFileSync(join(fixtures, set, 'expected.json'), 'utf8')) as {
    time_ranges: Record<string, { start: string; stop: string }>;
  };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fawkes-inferences-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Inferences from the fixtures', () => {
  it('reads the tabular set: sorted timestamps with their microseconds, Phoenix time range, typed columns', async () => {
    const path = join(fixtures, 'tabular/primary.parquet');
    const set = await Inferences.fromParquet(path, fixtureSchema('tabular', 'primary'), 'primary');
    expect(set.name).toBe('primary');
    expect(set.rowCount).toBe(2000);
    const raw = pl
      .readParquet(path)
      .sort('timestamp')
      .getColumn('timestamp')
      .cast(pl.Datetime('us'))
      .cast(pl.Int64)
      .cast(pl.Float64);
    const rawMicros = raw.toArray() as number[];
    expect(Array.from(set.timestamps.slice(0, 5))).toEqual(rawMicros.slice(0, 5).map((us) => us / 1000));
    expect(set.timestamps[0]! % 1).not.toBe(0);
    for (let i = 1; i < set.rowCount; i++)
      expect(set.timestamps[i]!).toBeGreaterThanOrEqual(set.timestamps[i - 1]!);
    const range = expected('tabular').time_ranges.primary!;
    expect(set.timeRange).toEqual({ start: Date.parse(range.start), end: Date.parse(range.stop) });
    expect(set.scalarColumns.map((column) => [column.name, column.role])).toEqual([
      ['prediction_label', 'prediction_label'],
      ['prediction_score', 'prediction_score'],
      ['actual_label', 'actual_label'],
      ['actual_score', 'actual_score'],
      ['age', 'feature'],
      ['income', 'feature'],
      ['state', 'feature'],
      ['channel', 'feature'],
      ['tenure_years', 'feature'],
      ['region', 'tag'],
    ]);
    const income = set.scalar('income')!.values;
    expect(income.kind === 'numeric' && income.dtype).toBe('float');
    expect(income.kind === 'numeric' && income.values.some(Number.isNaN)).toBe(true);
    const age = set.scalar('age')!.values;
    expect(age.kind === 'numeric' && age.dtype).toBe('int');
    const channel = set.scalar('channel')!.values;
    expect(channel.kind === 'categorical' && channel.values.includes(null)).toBe(true);
    expect(set.dataframe.getColumn('timestamp').dtype.toString()).toBe('DataType(Datetime(us,UTC))');
  });

  it('reads the nlp set: numeric ids as strings, the embedding as one Float32 block', async () => {
    const path = join(fixtures, 'nlp/reference.parquet');
    const set = await Inferences.fromParquet(path, fixtureSchema('nlp', 'reference'));
    expect(set.name.startsWith(GENERATED_NAME_PREFIX)).toBe(true);
    expect(set.hasGeneratedName).toBe(true);
    const sorted = pl.readParquet(path).sort('timestamp');
    expect(set.predictionIds.slice(0, 3)).toEqual(
      sorted.getColumn('prediction_id').head(3).cast(pl.String).toArray(),
    );
    const embedding = set.embedding('text_embedding')!;
    expect(embedding).toMatchObject({
      role: 'feature',
      vectorColumnName: 'text_vector',
      rawDataColumnName: 'text',
    });
    expect(embedding.vectors.dimension).toBe(128);
    expect(embedding.vectors.data).toBeInstanceOf(Float32Array);
    expect(embedding.vectors.data.length).toBe(1000 * 128);
    expect(embedding.vectors.present.every((flag) => flag === 1)).toBe(true);
    const row7 = sorted.getColumn('text_vector').slice(7, 1).explode().toArray() as number[];
    expect(Array.from(embedding.vectors.data.subarray(7 * 128, 8 * 128))).toEqual(row7);
    expect(set.text('text')![7]).toBe(sorted.getColumn('text').get(7));
  });

  it('reads the rag set (retrievals, a text response) and its corpus (no timestamps: now for every row)', async () => {
    const primary = await Inferences.fromParquet(
      join(fixtures, 'rag/primary.parquet'),
      fixtureSchema('rag', 'primary'),
    );
    expect(
      primary.embeddings.map((embedding) => [embedding.name, embedding.role, embedding.vectors.dimension]),
    ).toEqual([['prompt', 'prompt', primary.embedding('prompt')!.vectors.dimension]]);
    expect(primary.retrievals!.documentIds[0]!.length).toBeGreaterThan(0);
    expect(primary.retrievals!.scores[0]!.length).toBe(primary.retrievals!.documentIds[0]!.length);
    expect(typeof primary.text('answer')![0]).toBe('string');
    expect(primary.scalarColumns.map((column) => column.name)).toEqual(['user_feedback']);

    const before = Date.now();
    const corpus = await Inferences.fromParquet(
      join(fixtures, 'rag/corpus.parquet'),
      fixtureSchema('rag', 'corpus'),
    );
    const after = Date.now();
    expect(corpus.schema.timestampColumnName).toBe('timestamp');
    expect(corpus.timestamps[0]).toBeGreaterThanOrEqual(before);
    expect(corpus.timestamps[0]).toBeLessThanOrEqual(after);
    expect(corpus.timestamps.every((t) => t === corpus.timestamps[0])).toBe(true);
    expect(corpus.embedding('prompt')!.rawDataColumnName).toBe('text');
    expect(corpus.scalarColumns).toEqual([]);
  });
});

describe('Inferences from records', () => {
  it('discovers features in the data order, generates uuid4 ids, reads Unix seconds, sorts stably', () => {
    const set = new Inferences(
      [
        { t: 30.5, b: 'x', a: 1, prediction_id: 'ignored', label: 'cat' },
        { t: 10, b: 'y', a: 2, prediction_id: 'ignored', label: 'dog' },
        { t: 10, b: 'z', a: 3, prediction_id: 'ignored', label: 'cat' },
      ],
      { timestampColumnName: 't', predictionLabelColumnName: 'label' },
    );
    expect(set.schema.featureColumnNames).toEqual(['b', 'a']);
    expect(set.schema.predictionIdColumnName).toBe('prediction_id');
    expect(set.predictionIds.every((id) => /^[0-9a-f-]{36}$/.test(id!) && id!.charAt(14) === '4')).toBe(true);
    expect(Array.from(set.timestamps)).toEqual([10_000, 10_000, 30_500]);
    const b = set.scalar('b')!.values;
    expect(b.kind === 'categorical' && b.values).toEqual(['y', 'z', 'x']);
  });

  it('reads ISO strings: with an offset as that instant, without one in the machine zone (its offset now)', () => {
    const set = new Inferences(
      [
        { t: '2026-03-01T10:00:00.123456+02:00', x: 1 },
        { t: '2026-03-01T10:00:00.5', x: 2 },
      ],
      { timestampColumnName: 't' },
    );
    const aware = Date.UTC(2026, 2, 1, 8, 0, 0) + 123.456;
    const naive = (Date.UTC(2026, 2, 1, 10, 0, 0, 500) * 1000 - localOffsetMicros()) / 1000;
    expect(Array.from(set.timestamps).sort()).toEqual([aware, naive].sort());
  });

  it('reads JS Dates as instants, and a naive DataFrame datetime in the machine zone', () => {
    const instant = Date.UTC(2026, 0, 5, 12, 0);
    const fromRecords = new Inferences([{ t: new Date(instant), x: 1 }], { timestampColumnName: 't' });
    expect(fromRecords.timestamps[0]).toBe(instant);
    const naive = pl.DataFrame([
      pl.Series('t', [new Date(instant)]).cast(pl.Datetime('us')),
      pl.Series('x', [1]),
    ]);
    const fromFrame = new Inferences(naive, { timestampColumnName: 't' });
    expect(fromFrame.timestamps[0]).toBe(instant - localOffsetMicros() / 1000);
    const aware = pl.DataFrame([
      pl.Series('t', [new Date(instant)]).cast(pl.Datetime('us', 'Asia/Tokyo')),
      pl.Series('x', [1]),
    ]);
    expect(new Inferences(aware, { timestampColumnName: 't' }).timestamps[0]).toBe(instant);
  });

  it('applies exclusions: an embedding feature name drops the whole embedding; unknown names warn', () => {
    const set = new Inferences(
      [
        { ts: 1, v: [1, 2], text: 'a', keep: 1, drop: 2, label: 'x' },
        { ts: 2, v: [3, 4], text: 'b', keep: 3, drop: 4, label: 'y' },
      ],
      {
        timestampColumnName: 'ts',
        predictionLabelColumnName: 'label',
        embeddingFeatureColumnNames: { words: { vectorColumnName: 'v', rawDataColumnName: 'text' } },
        excludedColumnNames: ['words', 'drop', 'label', 'nowhere'],
      },
    );
    expect(set.embeddings).toEqual([]);
    expect(set.schema.embeddingFeatureColumnNames).toBeUndefined();
    expect(set.schema.predictionLabelColumnName).toBeUndefined();
    expect(set.schema.featureColumnNames).toEqual(['keep']);
    expect(set.dataframe.columns.sort()).toEqual(['keep', 'prediction_id', 'ts']);
    expect(set.warnings).toEqual([
      'these excluded columns and embedding features are not in the data: nowhere',
    ]);
  });

  it("warns that an embedding's own column cannot be excluded, and keeps the embedding", () => {
    const set = new Inferences(
      [
        { ts: 1, v: [1, 2], text: 'a' },
        { ts: 2, v: [3, 4], text: 'b' },
      ],
      {
        timestampColumnName: 'ts',
        embeddingFeatureColumnNames: { words: { vectorColumnName: 'v', rawDataColumnName: 'text' } },
        excludedColumnNames: ['text'],
      },
    );
    expect(set.embedding('words')!.rawDataColumnName).toBe('text');
    expect(set.text('text')).toEqual(['a', 'b']);
    expect(set.warnings).toEqual([
      'excluding the embedding column "text" has no effect; exclude the embedding feature "words" instead',
    ]);
  });

  it('holds vectors with nulls in one block with a presence mask; a list feature is an embedding', () => {
    const set = new Inferences(
      [
        { ts: 1, v: [1, 2, 3], other: [1, 1] },
        { ts: 2, v: null, other: [2, 2] },
        { ts: 3, v: [7, 8, 9], other: null },
      ],
      { timestampColumnName: 'ts', embeddingFeatureColumnNames: { e: { vectorColumnName: 'v' } } },
    );
    const e = set.embedding('e')!.vectors;
    expect(e.dimension).toBe(3);
    expect(Array.from(e.present)).toEqual([1, 0, 1]);
    expect(Array.from(e.data.subarray(6, 9))).toEqual([7, 8, 9]);
    expect(set.embedding('other')!.vectors.dimension).toBe(2);
    expect(set.schema.featureColumnNames).toEqual(['other']);
  });
});

describe('validation', () => {
  function problems(run: () => unknown) {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InferencesError);
      return (error as InferencesError).errors.map(({ code, column, row, field }) => ({
        code,
        column,
        row,
        field,
      }));
    }
    throw new Error('expected an InferencesError');
  }

  it('lists every problem at once, each naming its column and the first bad row', () => {
    const rows = [
      {
        id: [1],
        ts: 1,
        ragged: [1, 2],
        short: [1],
        words: ['a', 'b'],
        holes: [1, 2],
        score: 'high',
        p: [0, 1],
      },
      {
        id: [2],
        ts: 2,
        ragged: [1, 2, 3],
        short: [2],
        words: ['c', 'd'],
        holes: [1, null],
        score: 'low',
        p: [0, 1],
      },
    ];
    const found = problems(
      () =>
        new Inferences(rows, {
          predictionIdColumnName: 'id',
          timestampColumnName: 'ts',
          predictionScoreColumnName: 'score',
          featureColumnNames: ['missing_feature'],
          embeddingFeatureColumnNames: {
            ragged: { vectorColumnName: 'ragged' },
            short: { vectorColumnName: 'short', rawDataColumnName: 'no_text' },
            words: { vectorColumnName: 'words' },
            holes: { vectorColumnName: 'holes' },
            prompt: { vectorColumnName: 'p' },
          },
          promptColumnNames: { vectorColumnName: 'p', contextRetrievalIdsColumnName: 'no_ids' },
          excludedColumnNames: ['ts'],
        }),
    );
    expect(found).toEqual([
      { code: 'wrong_column_type', column: 'id', row: undefined, field: 'predictionIdColumnName' },
      { code: 'wrong_column_type', column: 'score', row: undefined, field: 'predictionScoreColumnName' },
      { code: 'missing_column', column: 'missing_feature', row: undefined, field: 'featureColumnNames' },
      {
        code: 'missing_column',
        column: 'no_text',
        row: undefined,
        field: 'embeddingFeatureColumnNames.short.rawDataColumnName',
      },
      {
        code: 'missing_column',
        column: 'no_ids',
        row: undefined,
        field: 'promptColumnNames.contextRetrievalIdsColumnName',
      },
      { code: 'excluded_required_column', column: 'ts', row: undefined, field: 'excludedColumnNames' },
      {
        code: 'reserved_embedding_name',
        column: undefined,
        row: undefined,
        field: 'embeddingFeatureColumnNames.prompt',
      },
      {
        code: 'vector_size_mismatch',
        column: 'ragged',
        row: 1,
        field: 'embeddingFeatureColumnNames.ragged.vectorColumnName',
      },
      {
        code: 'vector_too_short',
        column: 'short',
        row: 0,
        field: 'embeddingFeatureColumnNames.short.vectorColumnName',
      },
      {
        code: 'vector_wrong_value_type',
        column: 'words',
        row: 0,
        field: 'embeddingFeatureColumnNames.words.vectorColumnName',
      },
      {
        code: 'vector_wrong_value_type',
        column: 'holes',
        row: 1,
        field: 'embeddingFeatureColumnNames.holes.vectorColumnName',
      },
    ]);
  });

  it('names a bad timestamp and its row, and a vector column that is not a list', () => {
    expect(
      problems(
        () =>
          new Inferences(
            [
              { ts: '2026-01-01T00:00:00Z', v: 'x' },
              { ts: 'yesterday', v: 'y' },
            ],
            { timestampColumnName: 'ts', embeddingFeatureColumnNames: { e: { vectorColumnName: 'v' } } },
          ),
      ),
    ).toEqual([
      {
        code: 'vector_wrong_type',
        column: 'v',
        row: 0,
        field: 'embeddingFeatureColumnNames.e.vectorColumnName',
      },
      { code: 'invalid_timestamp', column: 'ts', row: 1, field: 'timestampColumnName' },
    ]);
    const error = (() => {
      try {
        new Inferences([{ ts: 1 }, { ts: null }], { timestampColumnName: 'ts' });
      } catch (caught) {
        return caught as InferencesError;
      }
    })()!;
    expect(error.message).toBe(
      'invalid inferences (1 problem):\n- the timestamp column "ts" has a null at row 1',
    );
  });

  it('refuses data that is not a table', () => {
    expect(problems(() => new Inferences('rows' as never, {}))).toEqual([
      { code: 'unsupported_data', column: undefined, row: undefined, field: undefined },
    ]);
  });
});

describe('Inferences from files', () => {
  it('reads CSV and JSON lines', async () => {
    const csv = join(dir, 'set.csv');
    await writeFile(csv, 'id,ts,color,size\n1,2026-01-01T00:00:00Z,red,3\n2,2026-01-01T00:01:00Z,blue,\n');
    const fromCsv = await Inferences.fromCsv(csv, {
      predictionIdColumnName: 'id',
      timestampColumnName: 'ts',
    });
    expect(fromCsv.predictionIds).toEqual(['1', '2']);
    expect(fromCsv.schema.featureColumnNames).toEqual(['color', 'size']);
    expect(Array.from(fromCsv.timestamps)).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 1)]);
    const jsonl = join(dir, 'set.jsonl');
    await writeFile(jsonl, '{"ts": 5, "v": [0.5, 1.5]}\n{"ts": 4, "v": [2.5, 3.5]}\n');
    const fromJsonl = await Inferences.fromJsonl(jsonl, {
      timestampColumnName: 'ts',
      embeddingFeatureColumnNames: { e: { vectorColumnName: 'v' } },
    });
    expect(Array.from(fromJsonl.embedding('e')!.vectors.data)).toEqual([2.5, 3.5, 0.5, 1.5]);
  });

  it('says which file it cannot read', async () => {
    await expect(Inferences.fromParquet(join(dir, 'nope.parquet'), {})).rejects.toThrow(
      /cannot read the parquet file/,
    );
  });
});
