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
  type ValidationDetail,
} from './errors.js';
export type { FrameAnnotationOptions } from './frames/annotation-rows.js';
export type { DataFrameInput, Row } from './frames/input.js';
export type { paths } from './generated/openapi.js';
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
export {
  type DocumentAnnotationInput,
  type GetSpanAnnotationsOptions,
  type GetSpansDataframeOptions,
  type GetSpansOptions,
  type InsertedDocumentAnnotation,
  type InsertedSpanAnnotation,
  type LogDocumentAnnotationsOptions,
  type LogSpanAnnotationsOptions,
  type LogSpansResult,
  type SpanAnnotation,
  type SpanAnnotationInput,
  SpanCreationError,
  type SpanKind,
  type SpanQuery,
  type Spans,
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
