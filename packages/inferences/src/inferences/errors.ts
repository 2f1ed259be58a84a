/** What can be wrong with a Schema or with the data it describes; `code` says which rule was broken. */
export type InferencesProblemCode =
  /** Schema.fromJSON: a field that Phoenix's Schema does not have. */
  | 'schema_unknown_field'
  /** A Schema field of the wrong type (a number where a column name goes, say). */
  | 'schema_wrong_type'
  /** Two Schema fields that say the same thing differently (`id_column_name` and `prediction_id_column_name`). */
  | 'schema_conflict'
  /** Schema.fromJSON was given text that is not JSON. */
  | 'schema_invalid_json'
  /** A column that the Schema names is not in the data. */
  | 'missing_column'
  /** A column of a type its role cannot take (a list as a prediction id, text as a score). */
  | 'wrong_column_type'
  /** The timestamp or prediction id column is in `excludedColumnNames`. */
  | 'excluded_required_column'
  /** An embedding feature named `prompt` or `response` while the Schema also sets that field. */
  | 'reserved_embedding_name'
  /** A vector that is not a list. */
  | 'vector_wrong_type'
  /** A vector holding something else than numbers (text, booleans, nulls). */
  | 'vector_wrong_value_type'
  /** Vectors of different lengths in one column, or in the same embedding of two sets. */
  | 'vector_size_mismatch'
  /** Vectors of length 0 or 1. */
  | 'vector_too_short'
  /** A timestamp that cannot be read (null, or text that is not ISO 8601). */
  | 'invalid_timestamp'
  /** Data that is neither a DataFrame nor an array of records, or records polars cannot type. */
  | 'unsupported_data';

/** One problem, readable by a person (`message`) and by a program (the other fields). */
export interface InferencesProblem {
  code: InferencesProblemCode;
  message: string;
  /** The Schema field involved, in camelCase (`timestampColumnName`, `embeddingFeatureColumnNames.text`). */
  field?: string;
  column?: string;
  /** The first bad row (0-based, in the order of the data as given). */
  row?: number;
}

/** Thrown when a Schema or an inference set is invalid; `.errors` lists every problem found. */
export class InferencesError extends Error {
  readonly errors: readonly InferencesProblem[];

  constructor(errors: readonly InferencesProblem[], subject = 'inferences') {
    const lines = errors.map((problem) => `- ${problem.message}`).join('\n');
    super(`invalid ${subject} (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${lines}`);
    this.name = 'InferencesError';
    this.errors = Object.freeze([...errors]);
  }
}
