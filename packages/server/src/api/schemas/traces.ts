import { Type } from 'typebox';
import { Data, DateTime, Nullable, Paginated } from './common.js';

export const TraceSpanSchema = Type.Object(
  {
    id: Type.String(),
    span_id: Type.String(),
    parent_id: Nullable(Type.String()),
    name: Type.String(),
    span_kind: Type.String(),
    status_code: Type.String(),
    start_time: DateTime(),
    end_time: DateTime(),
  },
  { title: 'TraceSpanData' },
);

export const TraceSchema = Type.Object(
  {
    id: Type.String(),
    trace_id: Type.String(),
    project_id: Type.String(),
    start_time: DateTime(),
    end_time: DateTime(),
    token_count_prompt: Type.Integer(),
    token_count_completion: Type.Integer(),
    token_count_total: Type.Integer(),
    spans: Nullable(Type.Array(TraceSpanSchema)),
  },
  { title: 'TraceData' },
);

export const ListTracesQuery = Type.Object({
  start_time: Type.Optional(DateTime('Inclusive lower bound on trace start time (ISO 8601)')),
  end_time: Type.Optional(DateTime('Exclusive upper bound on trace start time (ISO 8601)')),
  sort: Type.Enum(['start_time', 'latency_ms'], { default: 'start_time', description: 'Sort field' }),
  order: Type.Enum(['asc', 'desc'], { default: 'desc', description: 'Sort direction' }),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'Maximum number of traces to return',
  }),
  cursor: Type.Optional(Type.String({ description: 'Pagination cursor (Trace GlobalID)' })),
  include_spans: Type.Boolean({
    default: false,
    description: 'If true, include span details for each trace.',
  }),
  session_identifier: Type.Optional(
    Type.Array(Type.String(), {
      description: 'Only traces of these sessions: each a session_id string or a session GlobalID.',
    }),
  ),
});

export const TracesPage = Paginated(TraceSchema, 'GetTracesResponseBody');

export const TraceIdentifierParams = Type.Object({
  trace_identifier: Type.String({
    description: 'The trace identifier: either a relay GlobalID or OpenTelemetry trace_id',
  }),
});

export const TransferTracesBody = Type.Object(
  {
    trace_identifiers: Type.Array(Type.String(), {
      description:
        'The traces to transfer: each a trace GlobalID or an OpenTelemetry trace_id. Must be non-empty, and all traces must currently belong to the same source project.',
    }),
    destination_project_identifier: Type.String({
      description: 'The destination project: either project ID (GlobalID) or project name.',
    }),
  },
  { title: 'TransferTracesRequestBody' },
);

export const TransferTracesResponse = Data(
  Type.Object({ transferred_trace_count: Type.Integer(), destination_project_id: Type.String() }),
  'TransferTracesResponseBody',
);
