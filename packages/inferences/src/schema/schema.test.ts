import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InferencesError } from '../inferences/errors.js';
import { Schema } from './schema.js';

const fixtures = new URL('../../../../../shared/fixtures/inferences/', import.meta.url);
const fixtureSchemas = (set: string) =>
  JSON.parse(readFileSync(new URL(`${set}/schema.json`, fixtures), 'utf8')) as Record<string, object>;

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InferencesError);
    return (error as InferencesError).errors;
  }
  throw new Error('expected an InferencesError');
}

describe('Schema', () => {
  it('reads every fixture schema in snake_case and writes it back unchanged', () => {
    for (const set of ['tabular', 'nlp', 'rag']) {
      for (const [role, json] of Object.entries(fixtureSchemas(set))) {
        const schema = Schema.fromJSON(JSON.stringify(json));
        expect(schema.toJSON(), `${set}/${role}`).toEqual(json);
        expect(JSON.parse(JSON.stringify(schema))).toEqual(json);
      }
    }
  });

  it('reads the retrieval prompt and the text response of the rag fixture', () => {
    const schema = Schema.fromJSON(fixtureSchemas('rag').primary!);
    expect(schema.promptColumnNames).toEqual({
      vectorColumnName: 'embedding',
      rawDataColumnName: 'query',
      contextRetrievalIdsColumnName: 'retrieved_document_ids',
      contextRetrievalScoresColumnName: 'relevance_scores',
    });
    expect(schema.responseColumnNames).toBe('answer');
    expect(schema.predictionIdColumnName).toBe('id');
  });

  it('reads the camelCase form, and round-trips through toInit', () => {
    const schema = Schema.fromJSON({
      idColumnName: 'id',
      timestampColumnName: 'ts',
      featureColumnNames: ['a', 'b'],
      embeddingFeatureColumnNames: { text: { vectorColumnName: 'v', rawDataColumnName: 'text' } },
      responseColumnNames: { vectorColumnName: 'rv' },
    });
    expect(schema.predictionIdColumnName).toBe('id');
    expect(schema.embeddingFeatureColumnNames).toEqual({
      text: { vectorColumnName: 'v', rawDataColumnName: 'text' },
    });
    expect(new Schema(schema.toInit())).toEqual(schema);
    expect(Schema.fromJSON(JSON.stringify(schema))).toEqual(schema);
  });

  it('moves documentColumnNames into promptColumnNames, as Phoenix does', () => {
    const schema = new Schema({ idColumnName: 'id', documentColumnNames: { vectorColumnName: 'embedding' } });
    expect(schema.promptColumnNames).toEqual({ vectorColumnName: 'embedding' });
    expect(schema.toJSON().document_column_names).toBeNull();
    expect(schema.toJSON().prompt_column_names).toEqual({
      vector_column_name: 'embedding',
      raw_data_column_name: null,
      link_to_data_column_name: null,
    });
  });

  it('is immutable; with() makes a changed copy', () => {
    const schema = new Schema({ featureColumnNames: ['a'] });
    expect(Object.isFrozen(schema)).toBe(true);
    expect(Object.isFrozen(schema.featureColumnNames)).toBe(true);
    expect(() => {
      (schema as { timestampColumnName: string | undefined }).timestampColumnName = 'x';
    }).toThrow(TypeError);
    const changed = schema.with({ timestampColumnName: 'ts' });
    expect(changed.timestampColumnName).toBe('ts');
    expect(changed.featureColumnNames).toEqual(['a']);
    expect(schema.timestampColumnName).toBeUndefined();
  });

  it('lists every unknown field and wrong type at once', () => {
    const problems = problemsOf(() =>
      Schema.fromJSON({
        timestamp_column: 'ts',
        feature_column_names: 'age',
        prediction_label_column_name: 3,
        embedding_feature_column_names: { text: { vector_column_name: 'v', raw_text: 'x' }, image: {} },
        prompt_column_names: { vectorColumnName: ['v'] },
      }),
    );
    expect(problems.map((problem) => [problem.code, problem.field])).toEqual([
      ['schema_unknown_field', 'timestamp_column'],
      ['schema_unknown_field', 'embeddingFeatureColumnNames.text.raw_text'],
    ]);
    const typeProblems = problemsOf(() =>
      Schema.fromJSON({
        feature_column_names: 'age',
        prediction_label_column_name: 3,
        embedding_feature_column_names: { image: {} },
        prompt_column_names: { vectorColumnName: ['v'] },
        tag_column_names: ['a', ''],
      }),
    );
    expect(typeProblems.map((problem) => problem.field)).toEqual([
      'predictionLabelColumnName',
      'featureColumnNames',
      'tagColumnNames[1]',
      'embeddingFeatureColumnNames.image.vectorColumnName',
      'promptColumnNames.vectorColumnName',
    ]);
    expect(typeProblems[0]!.message).toBe(
      'Schema field predictionLabelColumnName must be a column name (a non-empty string), not the number 3',
    );
  });

  it('refuses text that is not JSON, and fields that contradict each other', () => {
    expect(problemsOf(() => Schema.fromJSON('{'))[0]!.code).toBe('schema_invalid_json');
    expect(problemsOf(() => Schema.fromJSON('[]'))[0]!.code).toBe('schema_wrong_type');
    expect(
      problemsOf(() => new Schema({ idColumnName: 'a', predictionIdColumnName: 'b' })).map((p) => p.code),
    ).toEqual(['schema_conflict']);
    expect(
      problemsOf(() => Schema.fromJSON({ timestamp_column_name: 'a', timestampColumnName: 'b' }))[0]!.code,
    ).toBe('schema_conflict');
  });
});
