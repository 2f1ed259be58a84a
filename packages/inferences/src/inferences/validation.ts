import type pl from 'nodejs-polars';
import type { EmbeddingColumnNames, RetrievalEmbeddingColumnNames, Schema } from '../schema/schema.js';
import { type ColumnKind, columnKind, describeDtype, isNumericKind, listInner } from './dtypes.js';
import type { InferencesProblem } from './errors.js';
import { VectorScans, vectorProblems } from './vectors.js';

const RESERVED_EMBEDDING_NAMES = ['prompt', 'response'] as const;

interface ColumnUse {
  column: string;
  field: string;
  /** What the column must hold, for the message; undefined = anything scalar. */
  accepts: (kind: ColumnKind, dtype: pl.DataType) => boolean;
  expected: string;
}

const scalar = (kind: ColumnKind) => kind !== 'list' && kind !== 'other';
const textLike = scalar;
const numeric = (kind: ColumnKind) => isNumericKind(kind) || kind === 'null';
const idLike = (kind: ColumnKind) => isNumericKind(kind) || kind === 'string' || kind === 'null';
const featureLike = (kind: ColumnKind) => kind !== 'other';
const listOf = (inner: (kind: ColumnKind) => boolean) => (kind: ColumnKind, dtype: pl.DataType) => {
  if (kind === 'null') return true;
  if (kind !== 'list') return false;
  const element = listInner(dtype);
  return element !== undefined && (inner(columnKind(element)) || columnKind(element) === 'null');
};

/**
 * Phoenix's checks of an inference set against its Schema (`validate_dataset_inputs`), all of
 * them at once rather than stopping at the first failing group: missing columns, column types,
 * excluded timestamp / id, reserved embedding names, vectors. The timestamps themselves are read
 * (and their problems reported) by `readTimestamps`.
 */
export function validateInferences(
  data: pl.DataFrame,
  schema: Schema,
  scans = new VectorScans(data),
): InferencesProblem[] {
  const problems: InferencesProblem[] = [];
  const columns = new Map(data.getColumns().map((series) => [series.name, series]));
  const uses = columnUses(schema);

  for (const use of uses) {
    const series = columns.get(use.column);
    if (!series) {
      problems.push({
        code: 'missing_column',
        field: use.field,
        column: use.column,
        message: `the column "${use.column}" (${use.field}) is not in the data`,
      });
    } else if (!use.accepts(columnKind(series.dtype), series.dtype)) {
      problems.push({
        code: 'wrong_column_type',
        field: use.field,
        column: use.column,
        message: `the column "${use.column}" (${use.field}) must hold ${use.expected}, not ${describeDtype(series.dtype)}`,
      });
    }
  }

  const excluded = new Set(schema.excludedColumnNames ?? []);
  for (const field of ['timestampColumnName', 'predictionIdColumnName'] as const) {
    const column = schema[field];
    if (column !== undefined && excluded.has(column)) {
      const role = field === 'timestampColumnName' ? 'timestamp' : 'prediction id';
      problems.push({
        code: 'excluded_required_column',
        field: 'excludedColumnNames',
        column,
        message: `the column "${column}" cannot be excluded: it is the ${role} column`,
      });
    }
  }

  for (const name of Object.keys(schema.embeddingFeatureColumnNames ?? {})) {
    const field = name === 'prompt' ? 'promptColumnNames' : 'responseColumnNames';
    if ((RESERVED_EMBEDDING_NAMES as readonly string[]).includes(name) && schema[field] !== undefined) {
      problems.push({
        code: 'reserved_embedding_name',
        field: `embeddingFeatureColumnNames.${name}`,
        message: `the embedding feature name "${name}" is reserved when ${field} is set`,
      });
    }
  }

  for (const { what, field, column } of vectorColumns(schema, columns)) {
    const series = columns.get(column);
    if (series) problems.push(...vectorProblems(scans.get(column), what, field));
  }
  return problems;
}

function columnUses(schema: Schema): ColumnUse[] {
  const uses: ColumnUse[] = [];
  const use = (
    column: string | undefined,
    field: string,
    accepts: ColumnUse['accepts'],
    expected: string,
  ) => {
    if (column !== undefined) uses.push({ column, field, accepts, expected });
  };
  const embedding = (columns: RetrievalEmbeddingColumnNames, field: string) => {
    use(columns.vectorColumnName, `${field}.vectorColumnName`, () => true, 'vectors');
    use(columns.rawDataColumnName, `${field}.rawDataColumnName`, textLike, 'text');
    use(columns.linkToDataColumnName, `${field}.linkToDataColumnName`, textLike, 'text (links)');
    use(
      columns.contextRetrievalIdsColumnName,
      `${field}.contextRetrievalIdsColumnName`,
      listOf((kind) => kind === 'string' || kind === 'int'),
      'lists of document ids',
    );
    use(
      columns.contextRetrievalScoresColumnName,
      `${field}.contextRetrievalScoresColumnName`,
      listOf(isNumericKind),
      'lists of numbers',
    );
  };
  const excluded = new Set(schema.excludedColumnNames ?? []);
  use(schema.predictionIdColumnName, 'predictionIdColumnName', idLike, 'numbers or strings');
  use(schema.timestampColumnName, 'timestampColumnName', () => true, 'timestamps');
  for (const field of ['predictionLabelColumnName', 'actualLabelColumnName'] as const) {
    if (!excluded.has(schema[field] ?? ''))
      use(schema[field], field, scalar, 'labels (strings, numbers or booleans)');
  }
  for (const field of ['predictionScoreColumnName', 'actualScoreColumnName'] as const) {
    if (!excluded.has(schema[field] ?? '')) use(schema[field], field, numeric, 'numbers');
  }
  for (const field of ['featureColumnNames', 'tagColumnNames'] as const) {
    for (const column of schema[field] ?? []) {
      if (!excluded.has(column)) use(column, field, featureLike, 'scalars or vectors');
    }
  }
  for (const [name, columns] of Object.entries(schema.embeddingFeatureColumnNames ?? {})) {
    if (!excluded.has(name)) embedding(columns, `embeddingFeatureColumnNames.${name}`);
  }
  if (schema.promptColumnNames) embedding(schema.promptColumnNames, 'promptColumnNames');
  const response = schema.responseColumnNames;
  if (typeof response === 'string') use(response, 'responseColumnNames', textLike, 'text');
  else if (response) embedding(response, 'responseColumnNames');
  return uses;
}

/** Every column read as vectors: embedding features, prompt / response embeddings, list-valued features and tags. */
function vectorColumns(
  schema: Schema,
  columns: ReadonlyMap<string, pl.Series>,
): { what: string; field: string; column: string }[] {
  const excluded = new Set(schema.excludedColumnNames ?? []);
  const found: { what: string; field: string; column: string }[] = [];
  const add = (what: string, field: string, columns: EmbeddingColumnNames) =>
    found.push({ what, field, column: columns.vectorColumnName });
  for (const [name, embedding] of Object.entries(schema.embeddingFeatureColumnNames ?? {})) {
    if (!excluded.has(name))
      add(`embedding feature "${name}"`, `embeddingFeatureColumnNames.${name}.vectorColumnName`, embedding);
  }
  if (schema.promptColumnNames)
    add('the prompt', 'promptColumnNames.vectorColumnName', schema.promptColumnNames);
  const response = schema.responseColumnNames;
  if (response && typeof response !== 'string')
    add('the response', 'responseColumnNames.vectorColumnName', response);
  for (const field of ['featureColumnNames', 'tagColumnNames'] as const) {
    for (const column of schema[field] ?? []) {
      const series = columns.get(column);
      if (!excluded.has(column) && series && columnKind(series.dtype) === 'list') {
        found.push({
          what: `the vector ${field === 'featureColumnNames' ? 'feature' : 'tag'} "${column}"`,
          field,
          column,
        });
      }
    }
  }
  return found;
}
