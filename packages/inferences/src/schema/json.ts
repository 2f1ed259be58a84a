import { InferencesError, type InferencesProblem } from '../inferences/errors.js';
import type { SchemaInit } from './schema.js';

const TOP_LEVEL: Readonly<Record<string, keyof SchemaInit>> = {
  prediction_id_column_name: 'predictionIdColumnName',
  id_column_name: 'idColumnName',
  timestamp_column_name: 'timestampColumnName',
  feature_column_names: 'featureColumnNames',
  tag_column_names: 'tagColumnNames',
  prediction_label_column_name: 'predictionLabelColumnName',
  prediction_score_column_name: 'predictionScoreColumnName',
  actual_label_column_name: 'actualLabelColumnName',
  actual_score_column_name: 'actualScoreColumnName',
  embedding_feature_column_names: 'embeddingFeatureColumnNames',
  prompt_column_names: 'promptColumnNames',
  response_column_names: 'responseColumnNames',
  document_column_names: 'documentColumnNames',
  excluded_column_names: 'excludedColumnNames',
};

const EMBEDDING: Readonly<Record<string, string>> = {
  vector_column_name: 'vectorColumnName',
  raw_data_column_name: 'rawDataColumnName',
  link_to_data_column_name: 'linkToDataColumnName',
  context_retrieval_ids_column_name: 'contextRetrievalIdsColumnName',
  context_retrieval_scores_column_name: 'contextRetrievalScoresColumnName',
};

const EMBEDDING_FIELDS = new Set(['embeddingFeatureColumnNames', 'promptColumnNames', 'documentColumnNames']);

/**
 * Turns a Schema's JSON (Phoenix's snake_case or our camelCase, keys of either form, null = unset)
 * into what `new Schema(...)` takes; the types are checked there.
 */
export function readSchemaJson(input: string | object): SchemaInit {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      throw new InferencesError(
        [{ code: 'schema_invalid_json', message: `Schema JSON does not parse: ${(error as Error).message}` }],
        'schema',
      );
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InferencesError(
      [{ code: 'schema_wrong_type', field: 'schema', message: 'a Schema JSON must be an object' }],
      'schema',
    );
  }
  const problems: InferencesProblem[] = [];
  const init: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const field = camelName(key, TOP_LEVEL, problems, '');
    if (field === undefined || value === null) continue;
    if (field in init) {
      problems.push({
        code: 'schema_conflict',
        field,
        message: `Schema field ${field} is given twice (in snake_case and in camelCase)`,
      });
      continue;
    }
    if (field === 'embeddingFeatureColumnNames' && isRecord(value)) {
      init[field] = Object.fromEntries(
        Object.entries(value).map(([name, columns]) => [
          name,
          embeddingFromJson(columns, `${field}.${name}`, problems),
        ]),
      );
    } else if ((EMBEDDING_FIELDS.has(field) || field === 'responseColumnNames') && isRecord(value)) {
      init[field] = embeddingFromJson(value, field, problems);
    } else {
      init[field] = value;
    }
  }
  if (problems.length > 0) throw new InferencesError(problems, 'schema');
  return init as SchemaInit;
}

function embeddingFromJson(value: unknown, field: string, problems: InferencesProblem[]): unknown {
  if (!isRecord(value)) return value;
  const columns: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = camelName(key, EMBEDDING, problems, `${field}.`);
    if (name !== undefined && item !== null) columns[name] = item;
  }
  return columns;
}

/** The camelCase name of a key written in either form; undefined (and a problem) for an unknown key. */
function camelName(
  key: string,
  names: Readonly<Record<string, string>>,
  problems: InferencesProblem[],
  prefix: string,
): string | undefined {
  const fromSnake = names[key];
  if (fromSnake !== undefined) return fromSnake;
  if (Object.values(names).includes(key)) return key;
  problems.push({
    code: 'schema_unknown_field',
    field: `${prefix}${key}`,
    message: `Schema${prefix ? ` field ${prefix.slice(0, -1)}` : ''} has no field ${key}`,
  });
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
