import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { HttpError } from '../../util/http-error.js';
import type { AnnotationInput, AnnotationKind } from '../../writer/commands.js';
import { configProblems } from '../annotation-config-checks.js';
import { type FastApiErrorItem, RequestValidationError } from '../fastapi-errors.js';
import { encodeGlobalId, type NodeType } from '../global-id.js';
import {
  annotateBody,
  DocumentAnnotationData,
  InsertedNote,
  insertedIds,
  SessionAnnotationData,
  SessionNoteBody,
  SpanAnnotationData,
  SpanNoteBody,
  SyncQuery,
  TraceAnnotationData,
  TraceNoteBody,
} from '../schemas/annotations.js';
import { responses } from '../schemas/common.js';
import type { ApiContext } from './context.js';

interface AnnotationBody {
  name: string;
  annotator_kind: AnnotationInput['annotatorKind'];
  result?: { label?: string | null; score?: number | null; explanation?: string | null } | null;
  metadata?: Record<string, unknown> | null;
  identifier?: string;
  span_id?: string;
  trace_id?: string;
  session_id?: string;
  document_position?: number;
}

interface KindInfo {
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  item: TSchema;
  title: string;
  targetField: 'span_id' | 'trace_id' | 'session_id';
  nodeType: NodeType;
  /** The plural in "Spans with IDs a, b do not exist." */
  missingLabel: string;
  /** Phoenix's 400 for an annotation named `note` (documents have none). */
  noteReserved?: string;
}

const KINDS: Record<AnnotationKind, KindInfo> = {
  span: {
    path: '/v1/span_annotations',
    operationId: 'annotateSpans',
    summary: 'Create span annotations',
    tag: 'spans',
    item: SpanAnnotationData,
    title: 'AnnotateSpans',
    targetField: 'span_id',
    nodeType: 'SpanAnnotation',
    missingLabel: 'Spans',
    noteReserved: "The name 'note' is reserved for trace and span notes. Use POST /v1/span_notes instead.",
  },
  trace: {
    path: '/v1/trace_annotations',
    operationId: 'annotateTraces',
    summary: 'Create trace annotations',
    tag: 'traces',
    item: TraceAnnotationData,
    title: 'AnnotateTraces',
    targetField: 'trace_id',
    nodeType: 'TraceAnnotation',
    missingLabel: 'Traces',
    noteReserved: "The name 'note' is reserved for trace and span notes. Use POST /v1/trace_notes instead.",
  },
  session: {
    path: '/v1/session_annotations',
    operationId: 'annotateSessions',
    summary: 'Create session annotations',
    tag: 'sessions',
    item: SessionAnnotationData,
    title: 'AnnotateSessions',
    targetField: 'session_id',
    nodeType: 'ProjectSessionAnnotation',
    missingLabel: 'Sessions',
    noteReserved: "The name 'note' is reserved for session notes. Use POST /v1/session_notes instead.",
  },
  document: {
    path: '/v1/document_annotations',
    operationId: 'annotateSpanDocuments',
    summary: 'Create span document annotations',
    tag: 'spans',
    item: DocumentAnnotationData,
    title: 'AnnotateSpanDocuments',
    targetField: 'span_id',
    nodeType: 'DocumentAnnotation',
    missingLabel: 'Spans',
  },
};

/** An annotation must say something: a label, a score or an explanation (null or absent otherwise). */
function resultProblems(data: AnnotationBody[]): FastApiErrorItem[] {
  const problems: FastApiErrorItem[] = [];
  data.forEach((a, i) => {
    const r = a.result;
    if (r == null || (r.label == null && r.score == null && r.explanation == null)) {
      problems.push({
        loc: ['body', 'data', i, 'result'],
        msg: 'At least one of label, score, or explanation must be provided',
        type: 'value_error',
        input: r ?? null,
      });
    }
  });
  return problems;
}

function toInput(a: AnnotationBody, kind: AnnotationKind): AnnotationInput {
  return {
    target: a[KINDS[kind].targetField]!,
    ...(kind === 'document' ? { documentPosition: a.document_position! } : {}),
    name: a.name,
    annotatorKind: a.annotator_kind,
    label: a.result?.label ?? null,
    score: a.result?.score ?? null,
    explanation: a.result?.explanation ?? null,
    metadata: a.metadata ?? {},
    identifier: a.identifier ?? '',
  };
}

/**
 * Annotations on spans, traces, sessions and documents (`?sync=true` answers their GlobalIDs, else an
 * empty list once stored — or kept until their target arrives), and notes on spans, traces and
 * sessions. Upserts on (target, name, identifier).
 */
export const annotationRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { commands, store }) => {
  for (const kind of Object.keys(KINDS) as AnnotationKind[]) {
    const info = KINDS[kind];
    app.post(
      info.path,
      {
        schema: {
          tags: [info.tag],
          operationId: info.operationId,
          summary: info.summary,
          description:
            'Upserts on (target, name, identifier). With `sync=true` the answer holds the annotations’ IDs and an unknown target fails the whole request (404, nothing written); without, the answer is an empty list, sent once the annotations are stored — those whose target has not arrived yet are kept and applied when it does.',
          querystring: SyncQuery,
          body: annotateBody(info.item, `${info.title}RequestBody`),
          response: responses(insertedIds(`${info.title}ResponseBody`), 400, 404),
        },
      },
      async (request) => {
        const data = (request.body as { data: AnnotationBody[] }).data;
        if (data.length === 0) return { data: [] };
        if (info.noteReserved && data.some((a) => a.name === 'note'))
          throw new HttpError(400, info.noteReserved);
        if (kind === 'document') {
          const named = data.find((a) => (a.identifier ?? '').trim() !== '');
          if (named) throw new HttpError(422, `Non-empty identifier '${named.identifier}' is not supported`);
        }
        const problems = resultProblems(data);
        if (problems.length > 0) throw new RequestValidationError(problems);

        const annotations = data.map((a) => toInput(a, kind));
        const configured = await configProblems(store, kind, annotations);
        if (configured.length > 0) throw new RequestValidationError(configured);

        const result = await commands.upsertAnnotations({ kind, annotations, sync: request.query.sync });
        switch (result.status) {
          case 'accepted':
            return { data: [] };
          case 'pending-full':
            throw new HttpError(
              503,
              `${result.limit} annotations already wait for their targets to arrive; send these once their targets are stored (or with sync=true)`,
              { 'retry-after': '60' },
            );
          case 'stored':
            return { data: result.ids.map((id) => ({ id: encodeGlobalId(info.nodeType, id) })) };
          case 'missing':
            throw new HttpError(
              404,
              `${info.missingLabel} with IDs ${result.targets.join(', ')} do not exist.`,
            );
          case 'document-out-of-range':
            throw new HttpError(
              422,
              `Document position ${result.position} is out of bounds for span ${result.target} (max: ${result.documents - 1})`,
            );
        }
      },
    );
  }

  const notes = [
    {
      kind: 'span' as const,
      path: '/v1/span_notes',
      operationId: 'createSpanNote',
      tag: 'spans',
      body: SpanNoteBody,
      nodeType: 'SpanAnnotation' as const,
      notFound: (id: string) => `Span with ID ${id} not found`,
    },
    {
      kind: 'trace' as const,
      path: '/v1/trace_notes',
      operationId: 'createTraceNote',
      tag: 'traces',
      body: TraceNoteBody,
      nodeType: 'TraceAnnotation' as const,
      notFound: (id: string) => `Trace with ID ${id} not found`,
    },
    {
      kind: 'session' as const,
      path: '/v1/session_notes',
      operationId: 'createSessionNote',
      tag: 'sessions',
      body: SessionNoteBody,
      nodeType: 'ProjectSessionAnnotation' as const,
      notFound: (id: string) => `Session with session_id ${id} not found`,
    },
  ];
  for (const note of notes) {
    const field = KINDS[note.kind].targetField;
    app.post(
      note.path,
      {
        schema: {
          tags: [note.tag],
          operationId: note.operationId,
          summary: `Create a ${note.kind} note`,
          description:
            'A note is an annotation named `note` holding the text as its explanation. Each call adds a note, unless a non-empty identifier names one to replace.',
          body: note.body,
          response: responses(InsertedNote, 404),
        },
        // The target and the text are trimmed before they are checked, as Phoenix does.
        preValidation: async (request) => {
          const data = (request.body as { data?: Record<string, unknown> } | undefined)?.data;
          if (data && typeof data === 'object') {
            for (const key of [field, 'note'])
              if (typeof data[key] === 'string') data[key] = (data[key] as string).trim();
          }
        },
      },
      async (request) => {
        const data = (request.body as { data: Record<string, string> }).data;
        const target = data[field]!;
        const created = await commands.createNote({
          kind: note.kind,
          target,
          note: data.note!,
          identifier: data.identifier ?? '',
        });
        if (!created) throw new HttpError(404, note.notFound(target));
        return { data: { id: encodeGlobalId(note.nodeType, created.id) } };
      },
    );
  }
};
