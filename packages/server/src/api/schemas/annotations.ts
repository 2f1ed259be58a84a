import { type TSchema, Type } from 'typebox';
import { Data, DateTime, Nullable, Paginated } from './common.js';

export const AnnotatorKindSchema = Type.Enum(['LLM', 'CODE', 'HUMAN'], {
  description: 'The kind of annotator used for the annotation',
});

export const AnnotationResultSchema = Type.Object(
  {
    label: Type.Optional(Nullable(Type.String({ description: 'The label assigned by the annotation' }))),
    score: Type.Optional(Nullable(Type.Number({ description: 'The score assigned by the annotation' }))),
    explanation: Type.Optional(
      Nullable(Type.String({ description: 'Explanation of the annotation result' })),
    ),
  },
  { title: 'AnnotationResult' },
);

const annotationFields = {
  name: Type.String({ minLength: 1, description: 'The name of the annotation' }),
  annotator_kind: AnnotatorKindSchema,
  result: Type.Optional(Nullable(AnnotationResultSchema)),
  metadata: Type.Optional(
    Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'Metadata for the annotation' })),
  ),
  identifier: Type.Optional(
    Type.String({
      default: '',
      description:
        'The identifier of the annotation. If provided, the annotation will be updated if it already exists.',
    }),
  ),
};

const SpanId = Type.String({ description: 'OpenTelemetry Span ID (hex format w/o 0x prefix)' });
const TraceId = Type.String({ description: 'OpenTelemetry Trace ID (hex format w/o 0x prefix)' });
const SessionId = Type.String({ description: 'Session ID' });

export const SpanAnnotationData = Type.Object(
  { ...annotationFields, span_id: SpanId },
  { title: 'SpanAnnotationData' },
);
export const TraceAnnotationData = Type.Object(
  { ...annotationFields, trace_id: TraceId },
  { title: 'TraceAnnotationData' },
);
export const SessionAnnotationData = Type.Object(
  { ...annotationFields, session_id: SessionId },
  { title: 'SessionAnnotationData' },
);
export const DocumentAnnotationData = Type.Object(
  {
    ...annotationFields,
    span_id: SpanId,
    document_position: Type.Integer({
      description: 'A 0 based index of the document. E.x. the first document during retrieval is 0',
    }),
  },
  { title: 'SpanDocumentAnnotationData' },
);

export const annotateBody = <T extends TSchema>(item: T, title: string) =>
  Type.Object({ data: Type.Array(item) }, { title });

export const insertedIds = (title: string) =>
  Type.Object({ data: Type.Array(Type.Object({ id: Type.String() })) }, { title });

export const SyncQuery = Type.Object({
  sync: Type.Boolean({ default: false, description: 'If true, fulfill request synchronously.' }),
});

const stored = {
  id: Type.String(),
  created_at: DateTime(),
  updated_at: DateTime(),
  source: Type.Enum(['API', 'APP']),
  user_id: Nullable(Type.String()),
  name: Type.String(),
  annotator_kind: AnnotatorKindSchema,
  result: Nullable(AnnotationResultSchema),
  metadata: Nullable(Type.Record(Type.String(), Type.Unknown())),
  identifier: Type.String(),
};

export const SpanAnnotationsPage = Paginated(
  Type.Object({ ...stored, span_id: SpanId }, { title: 'SpanAnnotation' }),
  'SpanAnnotationsResponseBody',
);
export const TraceAnnotationsPage = Paginated(
  Type.Object({ ...stored, trace_id: TraceId }, { title: 'TraceAnnotation' }),
  'TraceAnnotationsResponseBody',
);
export const SessionAnnotationsPage = Paginated(
  Type.Object({ ...stored, session_id: SessionId }, { title: 'SessionAnnotation' }),
  'SessionAnnotationsResponseBody',
);

const NonEmpty = Type.String({ minLength: 1 });

/** `GET /v1/projects/{project}/{kind}_annotations`: the target ids parameter is named per kind. */
export const listAnnotationsQuery = (targets: 'span_ids' | 'trace_ids' | 'session_ids') =>
  Type.Object({
    [targets]: Type.Optional(
      Type.Array(Type.String(), { description: `Optional list of ${targets} to fetch annotations for.` }),
    ),
    identifier: Type.Optional(
      Type.Array(NonEmpty, { description: 'Optional list of annotation identifiers.' }),
    ),
    include_annotation_names: Type.Optional(
      Type.Array(Type.String(), { description: 'Only annotations with these names (allowlist).' }),
    ),
    exclude_annotation_names: Type.Optional(
      Type.Array(Type.String(), { description: 'Annotation names to exclude from results.' }),
    ),
    cursor: Type.Optional(Type.String({ description: 'A cursor for pagination' })),
    limit: Type.Integer({
      exclusiveMinimum: 0,
      maximum: 10000,
      default: 10,
      description: 'The maximum number of annotations to return in a single request',
    }),
  }) as TSchema;

export const DeleteAnnotationsQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, description: 'Only annotations of this name.' })),
  identifier: Type.Optional(
    Type.String({ minLength: 1, description: 'Only annotations with this identifier.' }),
  ),
  annotator_kind: Type.Optional(AnnotatorKindSchema),
  start_time: Type.Optional(DateTime('Inclusive lower bound on `created_at` (>=). Naive datetimes are UTC.')),
  end_time: Type.Optional(DateTime('Exclusive upper bound on `created_at` (<). Naive datetimes are UTC.')),
  delete_all: Type.Boolean({
    default: false,
    description:
      'Authorizes the request without a bounded [start_time, end_time) window; the other filters still narrow it.',
  }),
});

const noteFields = (target: string, description: string) =>
  Type.Object(
    {
      [target]: Type.String({ minLength: 1, description }),
      note: Type.String({ minLength: 1, description: 'The note text' }),
      identifier: Type.Optional(
        Type.String({
          default: '',
          description:
            'When non-empty, the note is upserted on (target, name=note, identifier); when empty, each call adds a new note.',
        }),
      ),
    },
    { title: `${target === 'session_id' ? 'Session' : target === 'trace_id' ? 'Trace' : 'Span'}NoteData` },
  );

export const SpanNoteBody = Data(noteFields('span_id', 'OpenTelemetry Span ID'), 'CreateSpanNoteRequestBody');
export const TraceNoteBody = Data(
  noteFields('trace_id', 'OpenTelemetry Trace ID'),
  'CreateTraceNoteRequestBody',
);
export const SessionNoteBody = Data(noteFields('session_id', 'Session ID'), 'CreateSessionNoteRequestBody');
export const InsertedNote = Data(Type.Object({ id: Type.String() }), 'CreateNoteResponseBody');
