import { Type } from 'typebox';
import { DateTime, Nullable, Paginated } from './common.js';

export const SpanContextSchema = Type.Object(
  {
    trace_id: Type.String({ description: 'OpenTelemetry trace ID' }),
    span_id: Type.String({ description: 'OpenTelemetry span ID' }),
  },
  { title: 'SpanContext' },
);

export const SpanEventSchema = Type.Object(
  {
    name: Type.String(),
    timestamp: DateTime('When the event occurred (must be timezone-aware)'),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { title: 'SpanEvent' },
);

export const SpanSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ description: 'Span Global ID, distinct from the OpenTelemetry span ID' }),
    ),
    name: Type.String(),
    context: SpanContextSchema,
    span_kind: Type.String(),
    parent_id: Type.Optional(Nullable(Type.String())),
    start_time: DateTime('Start time of the span (must be timezone-aware)'),
    end_time: DateTime('End time of the span (must be timezone-aware)'),
    status_code: Type.String(),
    status_message: Type.Optional(Type.String()),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    events: Type.Optional(Type.Array(SpanEventSchema)),
  },
  { title: 'Span' },
);

const OtlpAnyValue = Type.Object(
  {
    array_value: Type.Optional(Type.Unknown()),
    bool_value: Type.Optional(Type.Boolean()),
    bytes_value: Type.Optional(Type.String()),
    double_value: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    int_value: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    string_value: Type.Optional(Type.String()),
  },
  { title: 'OtlpAnyValue' },
);
const OtlpKeyValue = Type.Object({ key: Type.String(), value: OtlpAnyValue }, { title: 'OtlpKeyValue' });

export const OtlpSpanSchema = Type.Object(
  {
    trace_id: Type.String(),
    span_id: Type.String(),
    parent_span_id: Nullable(Type.String()),
    name: Type.String(),
    kind: Type.String(),
    start_time_unix_nano: Type.String({ pattern: '^[0-9]+$' }),
    end_time_unix_nano: Type.String({ pattern: '^[0-9]+$' }),
    attributes: Type.Array(OtlpKeyValue),
    events: Nullable(
      Type.Array(
        Type.Object({
          name: Nullable(Type.String()),
          attributes: Type.Array(OtlpKeyValue),
          time_unix_nano: Nullable(Type.String()),
        }),
      ),
    ),
    status: Type.Object({ code: Type.Integer(), message: Nullable(Type.String()) }),
  },
  { title: 'OtlpSpan' },
);

const filters = {
  filter: Type.Optional(
    Type.String({
      description:
        "Fawkes: a filter in Phoenix's query language, e.g. `span_kind == 'LLM' and llm.token_count.total > 1000` (an invalid one is a 422 with its position).",
    }),
  ),
  cursor: Type.Optional(Type.String({ description: 'Pagination cursor (Span GlobalID)' })),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'Maximum number of spans to return',
  }),
  start_time: Type.Optional(DateTime('Inclusive lower bound on the span start time')),
  end_time: Type.Optional(DateTime('Exclusive upper bound on the span start time')),
  trace_id: Type.Optional(Type.Array(Type.String(), { description: 'Filter by one or more trace IDs' })),
  span_id: Type.Optional(Type.Array(Type.String(), { description: 'Filter by one or more span IDs' })),
  parent_id: Type.Optional(
    Type.String({ description: 'Filter by parent span ID. Use "null" to get root spans only.' }),
  ),
  name: Type.Optional(Type.Array(Type.String(), { description: 'Filter by span name(s)' })),
  status_code: Type.Optional(
    Type.Array(Type.String(), { description: 'Filter by status code(s). Values: OK, ERROR, UNSET' }),
  ),
  attribute: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'Filter spans by `key:value`. Key is a dot-path (e.g. `user.id`, `metadata.tier`). Value is JSON-parsed: `k:12345` is int, `k:true` is bool, otherwise string; JSON-quote it (`k:"12345"`) to match a string that looks like a number. Repeat the parameter to AND filters.',
    }),
  ),
};

export const OtlpSpansQuery = Type.Object(filters);
export const SpansQuery = Type.Object({
  ...filters,
  span_kind: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'Filter by span kind(s). Values: LLM, CHAIN, TOOL, RETRIEVER, EMBEDDING, AGENT, RERANKER, GUARDRAIL, EVALUATOR, PROMPT, UNKNOWN',
    }),
  ),
});

export const SpansPage = Paginated(SpanSchema, 'SpansResponseBody');
export const OtlpSpansPage = Paginated(OtlpSpanSchema, 'OtlpSpansResponseBody');

export const CreateSpansBody = Type.Object(
  { data: Type.Array(SpanSchema) },
  { title: 'CreateSpansRequestBody' },
);
export const CreateSpansResponse = Type.Object(
  { total_received: Type.Integer(), total_queued: Type.Integer() },
  { title: 'CreateSpansResponseBody' },
);

export const SpanIdentifierParams = Type.Object({
  span_identifier: Type.String({
    description: 'The span identifier: either a relay GlobalID or OpenTelemetry span_id',
  }),
});
