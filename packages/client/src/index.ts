export type { Synced, SyncFlag, SyncOption } from './annotation-writer.js';
export type { AnnotationFields } from './annotations.js';
export { createClient, type FawkesClient } from './client.js';
export { type ClientOptions, DEFAULT_BASE_URL } from './config.js';
export {
  ApiError,
  FawkesClientError,
  InvalidArgumentError,
  MissingDependencyError,
  NetworkError,
  NotFoundError,
  type RejectedSpan,
  SpanCreationError,
  type ValidationDetail,
} from './errors.js';
export type { FrameAnnotationOptions } from './frames/annotation-rows.js';
export type { DataFrameInput, Row } from './frames/input.js';
export type { operations, paths } from './generated/openapi.js';
export type {
  DataQuality,
  DataQualityOptions,
  DimensionSummary,
  DimensionTimeSeriesMetric,
  DimensionTimeSeriesOptions,
  DriftMetric,
  DriftOptions,
  EmbeddingDriftOptions,
  EmbeddingMetric,
  EmbeddingSummary,
  EmbeddingTimeSeriesOptions,
  GranularityOptions,
  Inferences,
  InferencesDimension,
  InferencesEmbedding,
  InferencesInfo,
  InferencesSetName,
  InferencesSummary,
  PerformanceMetric,
  PerformanceOptions,
  Segment,
  TimeRangeOptions,
  TimeSeriesPoint,
} from './resources/inferences.js';
export type { ListProjectsOptions, Projects } from './resources/projects.js';
export type {
  GetSessionAnnotationsOptions,
  InsertedSessionAnnotation,
  ListSessionsOptions,
  LogSessionAnnotationsOptions,
  Session,
  SessionAnnotation,
  SessionAnnotationInput,
  Sessions,
  SessionTurn,
} from './resources/sessions.js';
export type {
  DocumentAnnotationInput,
  GetSpanAnnotationsOptions,
  GetSpansDataframeOptions,
  GetSpansOptions,
  InsertedDocumentAnnotation,
  InsertedSpanAnnotation,
  LogDocumentAnnotationsOptions,
  LogSpanAnnotationsOptions,
  LogSpansResult,
  SpanAnnotation,
  SpanAnnotationInput,
  SpanKind,
  SpanQuery,
  Spans,
} from './resources/spans.js';
export type {
  GetTraceAnnotationsOptions,
  GetTracesOptions,
  InsertedTraceAnnotation,
  LogTraceAnnotationsOptions,
  TraceAnnotation,
  TraceAnnotationInput,
  Traces,
} from './resources/traces.js';
export type * from './types.js';
