/** @fawkes/inferences: inference sets and the metric engine (see README.md). */
export {
  CLUSTER_ID_COLUMN,
  DATASET_NAME_COLUMN,
  type ExportCluster,
  ExportEventIdError,
  type ExportSets,
  exportClusters,
  exportRows,
} from './exports/export-rows.js';
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
export * from './metrics/index.js';
export {
  EMBEDDING_METRICS,
  type EmbeddingMetric,
  embeddingBaselinesInSlices,
  type SeriesOptions,
  valuesIn,
} from './model/analysis.js';
export type {
  DimensionDataType,
  DimensionType,
  ModelDimension,
  ModelEmbedding,
  ModelRole,
} from './model/dimensions.js';
export {
  InferenceModelError,
  InvalidParameterError,
  MissingInferencesError,
  UnknownDimensionError,
  UnknownEmbeddingError,
  UnknownMetricError,
} from './model/errors.js';
export { checkGranularity, uiGranularity, wholeRangeGranularity } from './model/granularity.js';
export {
  InferenceModel,
  type InferenceModelSets,
  type InferencesSummary,
  type SetRole,
} from './model/model.js';
export {
  type DimensionHeading,
  type DimensionSummary,
  dimensionRow,
  type EmbeddingSummary,
  embeddingRowInSlices,
  type ModelSummary,
} from './model/summary.js';
export * from './point-cloud/index.js';
export * from './projection/index.js';
export {
  type EmbeddingColumnNames,
  type EmbeddingColumnNamesJson,
  isRetrieval,
  type RetrievalEmbeddingColumnNames,
  Schema,
  type SchemaInit,
  type SchemaJson,
} from './schema/schema.js';
