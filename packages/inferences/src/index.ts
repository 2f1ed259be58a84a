/** @fawkes/inferences: inference sets and the metric engine (see README.md). */
export { InferencesError, type InferencesProblem, type InferencesProblemCode } from './inferences/errors.js';
export {
  type EmbeddingColumn,
  type EmbeddingRole,
  GENERATED_NAME_PREFIX,
  Inferences,
  type InferencesData,
  type Retrievals,
  type ScalarColumn,
  type ScalarRole,
} from './inferences/inferences.js';
export { localOffsetMicros } from './inferences/timestamps.js';
export {
  type EmbeddingColumnNames,
  type EmbeddingColumnNamesJson,
  isRetrieval,
  type RetrievalEmbeddingColumnNames,
  Schema,
  type SchemaInit,
  type SchemaJson,
} from './schema/schema.js';
