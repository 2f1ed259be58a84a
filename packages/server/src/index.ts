export {
  type EmbeddingColumn,
  type EmbeddingColumnNames,
  type EmbeddingColumnNamesJson,
  type EmbeddingRole,
  Inferences,
  type InferencesData,
  InferencesError,
  type InferencesProblem,
  type InferencesProblemCode,
  type RetrievalEmbeddingColumnNames,
  type Retrievals,
  type ScalarColumn,
  type ScalarRole,
  Schema,
  type SchemaInit,
  type SchemaJson,
} from '@fawkes/inferences';
export { SpanDataError } from './app/dataframe-spans.js';
export { InlineFrame } from './app/inline-frame.js';
export { jsonRowsFromDataframe as dataframeRows } from './app/json-dataframe.js';
export {
  activeSession,
  closeApp,
  type LaunchAppOptions,
  LaunchError,
  launchApp,
} from './app/launch-app.js';
export { DatasetLoadError } from './app/load-trace-dataset.js';
export { type CloseOptions, Session, type ViewOptions } from './app/session.js';
export {
  EvaluationsError,
  type SpanEvaluation,
  SpanEvaluations,
  type SpanEvaluationsOptions,
} from './app/span-evaluations.js';
export { SpansDataframeError, type SpansDataframeOptions } from './app/span-reader.js';
export { SPAN_COLUMNS } from './app/spans-dataframe.js';
export {
  type DatasetFormat,
  type SaveOptions,
  TraceDataset,
  TraceDatasetError,
  type TraceDatasetOptions,
} from './app/trace-dataset.js';
export { ConfigError, type ConfigFlags, resolveConfig, type ServerConfig } from './server/config.js';
export { createServer, type FawkesServer, PortInUseError } from './server/create-server.js';
export { DEFAULT_UMAP_PARAMETERS, type UmapParameters } from './server/umap-parameters.js';
export { FAWKES_VERSION, PHOENIX_COMPATIBLE_VERSION } from './version.js';
