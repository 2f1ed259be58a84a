import { InferencesError, type InferencesProblem } from '../inferences/errors.js';
import { readSchemaJson } from './json.js';

/** The columns of one embedding: its vectors, and optionally the text or link each vector stands for. */
export interface EmbeddingColumnNames {
  readonly vectorColumnName: string;
  readonly rawDataColumnName?: string | undefined;
  readonly linkToDataColumnName?: string | undefined;
}

/**
 * A prompt embedding that also names the corpus documents retrieved for each query: a list of
 * document ids per row, and a parallel list of scores.
 */
export interface RetrievalEmbeddingColumnNames extends EmbeddingColumnNames {
  readonly contextRetrievalIdsColumnName?: string | undefined;
  readonly contextRetrievalScoresColumnName?: string | undefined;
}

/** What `new Schema(...)` takes: Phoenix's Schema fields in camelCase, every one optional. */
export interface SchemaInit {
  predictionIdColumnName?: string | undefined;
  /** Another name for `predictionIdColumnName` (Phoenix's `id_column_name`). */
  idColumnName?: string | undefined;
  timestampColumnName?: string | undefined;
  featureColumnNames?: readonly string[] | undefined;
  tagColumnNames?: readonly string[] | undefined;
  predictionLabelColumnName?: string | undefined;
  predictionScoreColumnName?: string | undefined;
  actualLabelColumnName?: string | undefined;
  actualScoreColumnName?: string | undefined;
  embeddingFeatureColumnNames?: Readonly<Record<string, EmbeddingColumnNames>> | undefined;
  promptColumnNames?: RetrievalEmbeddingColumnNames | undefined;
  /** A text column, or an embedding. */
  responseColumnNames?: string | EmbeddingColumnNames | undefined;
  /** A corpus's documents; moved into `promptColumnNames`, as Phoenix does. */
  documentColumnNames?: EmbeddingColumnNames | undefined;
  excludedColumnNames?: readonly string[] | undefined;
}

/** Phoenix's JSON form of a Schema (`Schema.to_json()`): snake_case, every field present, null when unset. */
export interface SchemaJson {
  prediction_id_column_name: string | null;
  id_column_name: null;
  timestamp_column_name: string | null;
  feature_column_names: string[] | null;
  tag_column_names: string[] | null;
  prediction_label_column_name: string | null;
  prediction_score_column_name: string | null;
  actual_label_column_name: string | null;
  actual_score_column_name: string | null;
  prompt_column_names: EmbeddingColumnNamesJson | null;
  response_column_names: string | EmbeddingColumnNamesJson | null;
  document_column_names: null;
  embedding_feature_column_names: Record<string, EmbeddingColumnNamesJson> | null;
  excluded_column_names: string[] | null;
}

export interface EmbeddingColumnNamesJson {
  vector_column_name: string;
  raw_data_column_name: string | null;
  link_to_data_column_name: string | null;
  context_retrieval_ids_column_name?: string | null;
  context_retrieval_scores_column_name?: string | null;
}

const SINGLE_COLUMN_FIELDS = [
  'predictionIdColumnName',
  'timestampColumnName',
  'predictionLabelColumnName',
  'predictionScoreColumnName',
  'actualLabelColumnName',
  'actualScoreColumnName',
] as const;
export type SingleColumnField = (typeof SINGLE_COLUMN_FIELDS)[number];

/**
 * Which columns of an inference set are what (Phoenix's `Schema`). Immutable: `with(...)` makes a
 * changed copy. `idColumnName` and `documentColumnNames` are folded into `predictionIdColumnName`
 * and `promptColumnNames` at construction, as Phoenix does.
 */
export class Schema {
  static readonly singleColumnFields: readonly SingleColumnField[] = SINGLE_COLUMN_FIELDS;

  readonly predictionIdColumnName: string | undefined;
  readonly timestampColumnName: string | undefined;
  readonly featureColumnNames: readonly string[] | undefined;
  readonly tagColumnNames: readonly string[] | undefined;
  readonly predictionLabelColumnName: string | undefined;
  readonly predictionScoreColumnName: string | undefined;
  readonly actualLabelColumnName: string | undefined;
  readonly actualScoreColumnName: string | undefined;
  readonly embeddingFeatureColumnNames: Readonly<Record<string, EmbeddingColumnNames>> | undefined;
  readonly promptColumnNames: RetrievalEmbeddingColumnNames | undefined;
  readonly responseColumnNames: string | EmbeddingColumnNames | undefined;
  readonly excludedColumnNames: readonly string[] | undefined;

  constructor(init: SchemaInit = {}) {
    const problems = checkSchemaInit(init);
    if (problems.length > 0) throw new InferencesError(problems, 'schema');
    this.predictionIdColumnName = init.idColumnName ?? init.predictionIdColumnName;
    this.timestampColumnName = init.timestampColumnName;
    this.featureColumnNames = freezeList(init.featureColumnNames);
    this.tagColumnNames = freezeList(init.tagColumnNames);
    this.predictionLabelColumnName = init.predictionLabelColumnName;
    this.predictionScoreColumnName = init.predictionScoreColumnName;
    this.actualLabelColumnName = init.actualLabelColumnName;
    this.actualScoreColumnName = init.actualScoreColumnName;
    this.embeddingFeatureColumnNames =
      init.embeddingFeatureColumnNames === undefined
        ? undefined
        : Object.freeze(
            Object.fromEntries(
              Object.entries(init.embeddingFeatureColumnNames).map(([name, columns]) => [
                name,
                freezeEmbedding(columns),
              ]),
            ),
          );
    const prompt = init.documentColumnNames ?? init.promptColumnNames;
    this.promptColumnNames = prompt === undefined ? undefined : freezeEmbedding(prompt);
    const response = init.responseColumnNames;
    this.responseColumnNames =
      response === undefined || typeof response === 'string' ? response : freezeEmbedding(response);
    this.excludedColumnNames = freezeList(init.excludedColumnNames);
    Object.freeze(this);
  }

  /** Reads Phoenix's snake_case JSON (`Schema.to_json()`) or our camelCase form, as text or as an object. */
  static fromJSON(input: string | object): Schema {
    return new Schema(readSchemaJson(input));
  }

  /** A copy with some fields changed (`undefined` clears a field). */
  with(changes: SchemaInit): Schema {
    return new Schema({ ...this.toInit(), ...changes });
  }

  /** The fields as `new Schema(...)` takes them. */
  toInit(): SchemaInit {
    return {
      predictionIdColumnName: this.predictionIdColumnName,
      timestampColumnName: this.timestampColumnName,
      featureColumnNames: this.featureColumnNames,
      tagColumnNames: this.tagColumnNames,
      predictionLabelColumnName: this.predictionLabelColumnName,
      predictionScoreColumnName: this.predictionScoreColumnName,
      actualLabelColumnName: this.actualLabelColumnName,
      actualScoreColumnName: this.actualScoreColumnName,
      embeddingFeatureColumnNames: this.embeddingFeatureColumnNames,
      promptColumnNames: this.promptColumnNames,
      responseColumnNames: this.responseColumnNames,
      excludedColumnNames: this.excludedColumnNames,
    };
  }

  /** Phoenix's snake_case JSON form (what `JSON.stringify(schema)` writes). */
  toJSON(): SchemaJson {
    const features = this.embeddingFeatureColumnNames;
    const response = this.responseColumnNames;
    return {
      prediction_id_column_name: this.predictionIdColumnName ?? null,
      id_column_name: null,
      timestamp_column_name: this.timestampColumnName ?? null,
      feature_column_names: this.featureColumnNames ? [...this.featureColumnNames] : null,
      tag_column_names: this.tagColumnNames ? [...this.tagColumnNames] : null,
      prediction_label_column_name: this.predictionLabelColumnName ?? null,
      prediction_score_column_name: this.predictionScoreColumnName ?? null,
      actual_label_column_name: this.actualLabelColumnName ?? null,
      actual_score_column_name: this.actualScoreColumnName ?? null,
      prompt_column_names: this.promptColumnNames ? embeddingToJson(this.promptColumnNames) : null,
      response_column_names:
        response === undefined ? null : typeof response === 'string' ? response : embeddingToJson(response),
      document_column_names: null,
      embedding_feature_column_names: features
        ? Object.fromEntries(
            Object.entries(features).map(([name, columns]) => [name, embeddingToJson(columns)]),
          )
        : null,
      excluded_column_names: this.excludedColumnNames ? [...this.excludedColumnNames] : null,
    };
  }
}

/** True when the prompt names retrieved documents (Phoenix's RetrievalEmbeddingColumnNames). */
export function isRetrieval(columns: RetrievalEmbeddingColumnNames): boolean {
  return (
    columns.contextRetrievalIdsColumnName !== undefined ||
    columns.contextRetrievalScoresColumnName !== undefined
  );
}

function embeddingToJson(columns: RetrievalEmbeddingColumnNames): EmbeddingColumnNamesJson {
  const json: EmbeddingColumnNamesJson = {
    vector_column_name: columns.vectorColumnName,
    raw_data_column_name: columns.rawDataColumnName ?? null,
    link_to_data_column_name: columns.linkToDataColumnName ?? null,
  };
  if (isRetrieval(columns)) {
    json.context_retrieval_ids_column_name = columns.contextRetrievalIdsColumnName ?? null;
    json.context_retrieval_scores_column_name = columns.contextRetrievalScoresColumnName ?? null;
  }
  return json;
}

function freezeList(list: readonly string[] | undefined): readonly string[] | undefined {
  return list === undefined ? undefined : Object.freeze([...list]);
}

function freezeEmbedding(columns: RetrievalEmbeddingColumnNames): RetrievalEmbeddingColumnNames {
  const frozen: { -readonly [K in keyof RetrievalEmbeddingColumnNames]: RetrievalEmbeddingColumnNames[K] } = {
    vectorColumnName: columns.vectorColumnName,
  };
  if (columns.rawDataColumnName !== undefined) frozen.rawDataColumnName = columns.rawDataColumnName;
  if (columns.linkToDataColumnName !== undefined) frozen.linkToDataColumnName = columns.linkToDataColumnName;
  if (columns.contextRetrievalIdsColumnName !== undefined)
    frozen.contextRetrievalIdsColumnName = columns.contextRetrievalIdsColumnName;
  if (columns.contextRetrievalScoresColumnName !== undefined)
    frozen.contextRetrievalScoresColumnName = columns.contextRetrievalScoresColumnName;
  return Object.freeze(frozen);
}

const EMBEDDING_KEYS = ['vectorColumnName', 'rawDataColumnName', 'linkToDataColumnName'] as const;
const RETRIEVAL_KEYS = [
  ...EMBEDDING_KEYS,
  'contextRetrievalIdsColumnName',
  'contextRetrievalScoresColumnName',
];

/** The checks of `new Schema(...)` (for callers outside TypeScript, and for JSON read into an init). */
function checkSchemaInit(init: SchemaInit): InferencesProblem[] {
  const problems: InferencesProblem[] = [];
  const wrongType = (field: string, expected: string, value: unknown) =>
    problems.push({
      code: 'schema_wrong_type',
      field,
      message: `Schema field ${field} must be ${expected}, not ${describe(value)}`,
    });
  if (typeof init !== 'object' || init === null) {
    wrongType('schema', 'an object', init);
    return problems;
  }
  const known = new Set<string>([
    ...SINGLE_COLUMN_FIELDS,
    'idColumnName',
    'featureColumnNames',
    'tagColumnNames',
    'embeddingFeatureColumnNames',
    'promptColumnNames',
    'responseColumnNames',
    'documentColumnNames',
    'excludedColumnNames',
  ]);
  for (const key of Object.keys(init)) {
    if (!known.has(key)) {
      problems.push({ code: 'schema_unknown_field', field: key, message: `Schema has no field ${key}` });
    }
  }
  const columnName = (field: string, value: unknown) => {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      wrongType(field, 'a column name (a non-empty string)', value);
    }
  };
  const columnList = (field: string, value: unknown) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) return wrongType(field, 'a list of column names', value);
    for (const [i, item] of value.entries()) columnName(`${field}[${i}]`, item);
  };
  const embedding = (field: string, value: unknown, keys: readonly string[]) => {
    if (value === undefined) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return wrongType(field, 'an object with a vectorColumnName', value);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!keys.includes(key)) {
        problems.push({
          code: 'schema_unknown_field',
          field: `${field}.${key}`,
          message: `Schema field ${field} has no field ${key}`,
        });
      }
    }
    if (record.vectorColumnName === undefined) {
      wrongType(`${field}.vectorColumnName`, 'a column name (a non-empty string)', undefined);
    }
    for (const key of keys) columnName(`${field}.${key}`, record[key]);
  };

  for (const field of [...SINGLE_COLUMN_FIELDS, 'idColumnName'] as const) columnName(field, init[field]);
  columnList('featureColumnNames', init.featureColumnNames);
  columnList('tagColumnNames', init.tagColumnNames);
  columnList('excludedColumnNames', init.excludedColumnNames);
  const features = init.embeddingFeatureColumnNames as unknown;
  if (features !== undefined) {
    if (typeof features !== 'object' || features === null || Array.isArray(features)) {
      wrongType('embeddingFeatureColumnNames', 'an object of embedding names to columns', features);
    } else {
      for (const [name, columns] of Object.entries(features)) {
        embedding(`embeddingFeatureColumnNames.${name}`, columns, EMBEDDING_KEYS);
      }
    }
  }
  embedding('promptColumnNames', init.promptColumnNames, RETRIEVAL_KEYS);
  embedding('documentColumnNames', init.documentColumnNames, EMBEDDING_KEYS);
  const response = init.responseColumnNames as unknown;
  if (typeof response === 'string' || response === undefined) columnName('responseColumnNames', response);
  else embedding('responseColumnNames', response, EMBEDDING_KEYS);

  const conflict = (a: string, b: string, same: boolean) => {
    if (!same) {
      problems.push({
        code: 'schema_conflict',
        field: a,
        message: `Schema fields ${a} and ${b} are both set, to different values: set one of them`,
      });
    }
  };
  if (init.idColumnName !== undefined && init.predictionIdColumnName !== undefined) {
    conflict('idColumnName', 'predictionIdColumnName', init.idColumnName === init.predictionIdColumnName);
  }
  if (init.documentColumnNames !== undefined && init.promptColumnNames !== undefined) {
    conflict('documentColumnNames', 'promptColumnNames', false);
  }
  return problems;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return value === '' ? 'an empty string' : `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}
