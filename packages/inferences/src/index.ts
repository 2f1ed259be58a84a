/** @fawkes/inferences: inference sets and the metric engine (see README.md). */
export { InferencesError, type InferencesProblem, type InferencesProblemCode } from './inferences/errors.js';
export {
  type EmbeddingColumnNames,
  type EmbeddingColumnNamesJson,
  isRetrieval,
  type RetrievalEmbeddingColumnNames,
  Schema,
  type SchemaInit,
  type SchemaJson,
} from './schema/schema.js';
