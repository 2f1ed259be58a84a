import { type Static, type TLiteral, type TSchema, Type } from 'typebox';
import {
  UI_SESSION_SORTS,
  UI_SPAN_SORTS,
  type UiAnnotation,
  type UiAnnotationChip,
  type UiAnnotationList,
  type UiLiveChange,
  type UiProjectStats,
  type UiProjectsResponse,
  type UiSession,
  type UiSessionPage,
  type UiSessionRow,
  type UiSessionTurn,
  type UiSpanDetail,
  type UiSpanEvent,
  type UiSpanPage,
  type UiSpanRow,
  type UiTrace,
} from './wire.js';

/**
 * TypeBox schemas of the `/v1/ui/...` routes: what /openapi.json shows of them, and (querystring,
 * params) what params.ts reads a request by. The wire types (wire.ts, imported by packages/ui) are
 * checked against them at compile time, so the two cannot drift apart.
 *
 * Responses are written with JSON.stringify, as the REST API's are (rest-api.ts): the response
 * schemas are documentation and do not slow the big reads (span tables, traces of 10,000 spans).
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const Json = Type.Record(Type.String(), Type.Unknown());

const OneOf = <const T extends readonly string[]>(
  values: T,
  options: { default: T[number]; description: string },
) => Type.Union(values.map((value) => Type.Literal(value)) as TLiteral<T[number]>[], options);

// ---------------------------------------------------------------------------------------------
// Requests

const TimeRangeQuery = {
  start_time: Type.Optional(
    Instant('Inclusive lower bound (ISO 8601; a time without offset is UTC). Must be before end_time.'),
  ),
  end_time: Type.Optional(Instant('Exclusive upper bound (ISO 8601; a time without offset is UTC).')),
};
const PageQuery = {
  filter: Type.Optional(Type.String({ description: 'A condition in the query language' })),
  order: OneOf(['asc', 'desc'] as const, { default: 'desc', description: 'Sort direction' }),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Rows per page' }),
};

export const TimeRangeQuerySchema = Type.Object(TimeRangeQuery);

export const SpanTableQuerySchema = Type.Object({
  root_spans_only: Type.Boolean({ default: false, description: 'Only root spans (the traces table)' }),
  sort: OneOf(UI_SPAN_SORTS, { default: 'start_time', description: 'Sort column' }),
  ...PageQuery,
  ...TimeRangeQuery,
});

export const SessionTableQuerySchema = Type.Object({
  sort: OneOf(UI_SESSION_SORTS, { default: 'start_time', description: 'Sort column' }),
  ...PageQuery,
  ...TimeRangeQuery,
});

export const ProjectParamsSchema = Type.Object({
  project: Type.String({ description: 'The project: its name or GlobalID' }),
});
export const TraceParamsSchema = Type.Object({
  traceId: Type.String({ description: 'OTel trace id (hex)' }),
});
export const SessionParamsSchema = Type.Object({
  session: Type.String({ description: 'The session: its session_id or GlobalID' }),
});
export const AnnotationTargetParamsSchema = Type.Object({
  kind: Type.Union([Type.Literal('span'), Type.Literal('trace'), Type.Literal('session')], {
    description: 'What the annotations are attached to',
  }),
  target: Type.String({ description: 'span_id, trace_id or session_id' }),
});

// ---------------------------------------------------------------------------------------------
// Responses

const AnnotatorKind = Type.Union([Type.Literal('LLM'), Type.Literal('CODE'), Type.Literal('HUMAN')]);
const StatusCode = Type.Union([Type.Literal('OK'), Type.Literal('ERROR'), Type.Literal('UNSET')]);

const ProjectStats = Type.Object(
  {
    id: Type.String({ description: 'GlobalID `Project:<rowid>`' }),
    name: Type.String(),
    description: Nullable(Type.String()),
    trace_count: Type.Integer(),
    span_count: Type.Integer(),
    session_count: Type.Integer(),
    latency_ms_p50: Nullable(Type.Number({ description: 'Trace latency percentile, null without traces' })),
    latency_ms_p99: Nullable(Type.Number()),
    token_count_prompt: Type.Integer({ description: "Summed over root spans' cumulative counts" }),
    token_count_completion: Type.Integer(),
    token_count_total: Type.Integer(),
    last_activity: Nullable(Instant('End of the latest trace')),
    created_at: Instant(),
  },
  { title: 'UiProjectStats' },
);

export const ProjectsResponseSchema = Type.Object(
  { data: Type.Array(ProjectStats) },
  { title: 'UiProjects' },
);
export const ProjectStatsSchema = ProjectStats;

const Annotation = Type.Object(
  {
    id: Type.String({ description: 'GlobalID of the annotation' }),
    target_kind: Type.Union([Type.Literal('span'), Type.Literal('trace'), Type.Literal('session')]),
    target: Type.String({ description: 'span_id, trace_id or session_id' }),
    name: Type.String(),
    label: Nullable(Type.String()),
    score: Nullable(Type.Number()),
    explanation: Nullable(Type.String()),
    metadata: Json,
    annotator_kind: AnnotatorKind,
    identifier: Type.String(),
    source: Type.Union([Type.Literal('API'), Type.Literal('APP')]),
    created_at: Instant(),
    updated_at: Instant(),
  },
  { title: 'UiAnnotation' },
);

const AnnotationChip = Type.Object(
  {
    name: Type.String(),
    label: Nullable(Type.String()),
    score: Nullable(Type.Number()),
    annotator_kind: AnnotatorKind,
  },
  { title: 'UiAnnotationChip' },
);

const Costs = {
  cost_prompt: Nullable(Type.Number({ description: 'US dollars; null when no price matched' })),
  cost_completion: Nullable(Type.Number()),
  cost_total: Nullable(Type.Number()),
};
const Tokens = {
  token_count_prompt: Type.Integer(),
  token_count_completion: Type.Integer(),
  token_count_total: Type.Integer(),
};

const SpanRow = Type.Object(
  {
    span_id: Type.String(),
    trace_id: Type.String(),
    parent_id: Nullable(Type.String()),
    name: Type.String(),
    span_kind: Type.String(),
    status_code: StatusCode,
    status_message: Type.String(),
    start_time: Instant(),
    end_time: Instant(),
    latency_ms: Type.Number(),
    ...Tokens,
    ...Costs,
    model_name: Nullable(Type.String({ description: 'llm.model_name; for a trace, its distinct models' })),
    session_id: Nullable(Type.String()),
    user_id: Nullable(Type.String()),
    input: Nullable(Type.String({ description: 'A preview' })),
    output: Nullable(Type.String({ description: 'A preview' })),
    annotations: Type.Array(AnnotationChip),
    note_count: Type.Integer(),
  },
  { title: 'UiSpanRow' },
);

export const SpanPageSchema = Type.Object(
  { data: Type.Array(SpanRow), next_cursor: Nullable(Type.String()) },
  { title: 'UiSpanPage' },
);

const SpanEvent = Type.Object(
  { name: Type.String(), timestamp: Instant(), attributes: Json },
  { title: 'UiSpanEvent' },
);

const SpanDetail = Type.Object(
  {
    span_id: Type.String(),
    parent_id: Nullable(Type.String()),
    name: Type.String(),
    span_kind: Type.String(),
    status_code: StatusCode,
    status_message: Type.String(),
    start_time: Instant(),
    end_time: Instant(),
    start_us: Type.Number({ description: 'Microseconds since the epoch' }),
    end_us: Type.Number(),
    latency_ms: Type.Number(),
    attributes: Json,
    events: Type.Array(SpanEvent),
    token_count_prompt: Type.Integer(),
    token_count_completion: Type.Integer(),
    cumulative_token_count_prompt: Type.Integer(),
    cumulative_token_count_completion: Type.Integer(),
    cumulative_error_count: Type.Integer(),
  },
  { title: 'UiSpanDetail' },
);

export const TraceSchema = Type.Object(
  {
    id: Type.String(),
    trace_id: Type.String(),
    project_id: Type.String(),
    project_name: Type.String(),
    session_id: Nullable(Type.String()),
    start_time: Instant(),
    end_time: Instant(),
    start_us: Type.Number(),
    end_us: Type.Number(),
    latency_ms: Type.Number(),
    spans: Type.Array(SpanDetail, { description: 'In start order; at most span_limit of them' }),
    span_count: Type.Integer(),
    truncated: Type.Boolean(),
    trace_annotations: Type.Array(Annotation),
    span_annotations: Type.Array(Annotation),
  },
  { title: 'UiTrace' },
);

const SessionFields = {
  id: Type.String(),
  session_id: Type.String(),
  project_id: Type.String(),
  start_time: Instant(),
  end_time: Instant(),
  num_traces: Type.Integer(),
  ...Tokens,
  ...Costs,
  error_count: Type.Integer(),
  latency_ms_p50: Nullable(Type.Number()),
  latency_ms_p99: Nullable(Type.Number()),
  first_input: Nullable(Type.String()),
  last_output: Nullable(Type.String()),
};

const SessionRow = Type.Object(
  { ...SessionFields, annotations: Type.Array(AnnotationChip) },
  { title: 'UiSessionRow' },
);

export const SessionPageSchema = Type.Object(
  { data: Type.Array(SessionRow), next_cursor: Nullable(Type.String()) },
  { title: 'UiSessionPage' },
);

const SessionTurn = Type.Object(
  {
    trace_id: Type.String(),
    start_time: Instant(),
    end_time: Instant(),
    latency_ms: Type.Number(),
    root_span_id: Nullable(Type.String()),
    root_name: Nullable(Type.String()),
    status_code: Nullable(StatusCode),
    input: Nullable(Type.String()),
    input_mime_type: Nullable(Type.String()),
    output: Nullable(Type.String()),
    output_mime_type: Nullable(Type.String()),
    user_id: Nullable(Type.String()),
    ...Tokens,
    ...Costs,
    annotations: Type.Array(AnnotationChip),
  },
  { title: 'UiSessionTurn' },
);

export const SessionSchema = Type.Object(
  {
    ...SessionFields,
    project_name: Type.String(),
    turns: Type.Array(SessionTurn),
    truncated: Type.Boolean({ description: 'True when the session has more traces than the turns listed' }),
    annotations: Type.Array(Annotation),
  },
  { title: 'UiSession' },
);

export const AnnotationListSchema = Type.Object(
  { data: Type.Array(Annotation) },
  { title: 'UiAnnotationList' },
);

export const LiveChangeSchema = Type.Object(
  {
    projects: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    new_traces: Type.Integer(),
    new_sessions: Type.Integer(),
    new_spans: Type.Integer(),
    structure_changed: Type.Boolean(),
  },
  { title: 'UiLiveChange' },
);

// ---------------------------------------------------------------------------------------------
// The wire types and the schemas must not drift apart.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<Static<typeof ProjectStats>, UiProjectStats>,
  Same<Static<typeof ProjectsResponseSchema>, UiProjectsResponse>,
  Same<Static<typeof Annotation>, UiAnnotation>,
  Same<Static<typeof AnnotationChip>, UiAnnotationChip>,
  Same<Static<typeof SpanRow>, UiSpanRow>,
  Same<Static<typeof SpanPageSchema>, UiSpanPage>,
  Same<Static<typeof SpanEvent>, UiSpanEvent>,
  Same<Static<typeof SpanDetail>, UiSpanDetail>,
  Same<Static<typeof TraceSchema>, UiTrace>,
  Same<Static<typeof SessionRow>, UiSessionRow>,
  Same<Static<typeof SessionPageSchema>, UiSessionPage>,
  Same<Static<typeof SessionTurn>, UiSessionTurn>,
  Same<Static<typeof SessionSchema>, UiSession>,
  Same<Static<typeof AnnotationListSchema>, UiAnnotationList>,
  Same<Static<typeof LiveChangeSchema>, UiLiveChange>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void checks;
