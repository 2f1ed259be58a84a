import { Type } from 'typebox';
import { Data, DateTime, Nullable, Paginated } from './common.js';
import { SpanSchema } from './spans.js';

export const SessionTraceSchema = Type.Object(
  { id: Type.String(), trace_id: Type.String(), start_time: DateTime(), end_time: DateTime() },
  { title: 'SessionTraceData' },
);

export const SessionSchema = Type.Object(
  {
    id: Type.String(),
    session_id: Type.String(),
    project_id: Type.String(),
    start_time: DateTime(),
    end_time: DateTime(),
    traces: Type.Array(SessionTraceSchema, { description: 'The session’s traces, by start time.' }),
    token_count_prompt: Type.Integer({ description: 'Prompt tokens of the session’s LLM spans.' }),
    token_count_completion: Type.Integer({ description: 'Completion tokens of the session’s LLM spans.' }),
    token_count_total: Type.Integer(),
    num_traces: Type.Integer({ description: 'Fawkes: how many traces the session has.' }),
    error_count: Type.Integer({ description: 'Fawkes: how many of its spans have status ERROR.' }),
    first_input: Nullable(Type.String({ description: 'Fawkes: input.value of the earliest root span.' })),
    last_output: Nullable(Type.String({ description: 'Fawkes: output.value of the latest root span.' })),
  },
  { title: 'SessionData' },
);

export const SessionIdentifierParams = Type.Object({
  session_identifier: Type.String({
    description: 'The session identifier: either a GlobalID or user-provided session_id string.',
  }),
});

export const ListSessionsQuery = Type.Object({
  cursor: Type.Optional(Type.String({ description: 'Cursor for pagination (session ID)' })),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'The max number of sessions to return at a time.',
  }),
  order: Type.Enum(['asc', 'desc'], { default: 'asc', description: "Sort order by ID: 'asc' or 'desc'." }),
});

export const SessionBody = Data(SessionSchema, 'GetSessionResponseBody');
export const SessionsPage = Paginated(SessionSchema, 'GetSessionsResponseBody');

export const DeleteSessionsBody = Type.Object(
  {
    session_identifiers: Type.Array(Type.String(), {
      description:
        'Sessions to delete: all GlobalIDs or all user-provided session_id strings (not mixed). Unknown ones are skipped.',
    }),
  },
  { title: 'DeleteSessionsRequestBody' },
);

const TurnIo = Nullable(
  Type.Object({ value: Type.String(), mime_type: Nullable(Type.String()) }, { title: 'SessionTurnIO' }),
);

export const SessionTurnsBody = Data(
  Type.Array(
    Type.Object(
      {
        trace_id: Type.String(),
        start_time: DateTime(),
        end_time: DateTime(),
        input: TurnIo,
        output: TurnIo,
        root_span: Nullable(SpanSchema),
      },
      { title: 'SessionTurn' },
    ),
  ),
  'GetSessionTurnsResponseBody',
);
