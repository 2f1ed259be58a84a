import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type AnnotationRow,
  anyTargetExists,
  type ListedAnnotationKind,
  listAnnotations,
} from '../../store/repositories/annotations.js';
import { parseJsonColumn } from '../../store/repositories/json.js';
import { HttpError } from '../../util/http-error.js';
import { isoFromMicros } from '../datetime.js';
import { encodeGlobalId, type NodeType } from '../global-id.js';
import { cursorRowId, splitPage } from '../pagination.js';
import { micros } from '../query-values.js';
import { resolveProject } from '../resolve.js';
import {
  DeleteAnnotationsQuery,
  listAnnotationsQuery,
  SessionAnnotationsPage,
  SpanAnnotationsPage,
  TraceAnnotationsPage,
} from '../schemas/annotations.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import type { ApiContext } from './context.js';

const MAX_IDS = 1000;

const KINDS = {
  span: {
    targets: 'span_ids',
    field: 'span_id',
    nodeType: 'SpanAnnotation',
    page: SpanAnnotationsPage,
    listId: 'listSpanAnnotationsBySpanIds',
    deleteId: 'deleteSpanAnnotations',
  },
  trace: {
    targets: 'trace_ids',
    field: 'trace_id',
    nodeType: 'TraceAnnotation',
    page: TraceAnnotationsPage,
    listId: 'listTraceAnnotationsByTraceIds',
    deleteId: 'deleteTraceAnnotations',
  },
  session: {
    targets: 'session_ids',
    field: 'session_id',
    nodeType: 'ProjectSessionAnnotation',
    page: SessionAnnotationsPage,
    listId: 'listSessionAnnotationsBySessionIds',
    deleteId: 'deleteSessionAnnotations',
  },
} as const;

function annotationData(row: AnnotationRow, kind: ListedAnnotationKind) {
  const info = KINDS[kind];
  return {
    id: encodeGlobalId(info.nodeType as NodeType, row.id),
    created_at: isoFromMicros(row.created_at),
    updated_at: isoFromMicros(row.updated_at),
    source: row.source,
    user_id: row.user_id === null ? null : encodeGlobalId('User', row.user_id),
    name: row.name,
    annotator_kind: row.annotator_kind,
    result: { label: row.label, score: row.score, explanation: row.explanation },
    metadata: parseJsonColumn<Record<string, unknown>>(row.metadata),
    identifier: row.identifier,
    [info.field]: row.target,
  };
}

/** Distinct values, refused beyond Phoenix's maximum. */
function distinct(values: string[] | undefined, what: string): string[] {
  const unique = [...new Set(values ?? [])];
  if (unique.length > MAX_IDS)
    throw new HttpError(422, `Too many ${what} supplied: ${unique.length} (max ${MAX_IDS})`);
  return unique;
}

/** A project's span, trace and session annotations: list by target and/or identifier; delete by filter. */
export const annotationListRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { store, commands },
) => {
  for (const kind of ['span', 'trace', 'session'] as const) {
    const info = KINDS[kind];
    const path = `/v1/projects/:project_identifier/${kind}_annotations`;

    app.get(
      path,
      {
        schema: {
          tags: ['annotations'],
          operationId: info.listId,
          summary: `Get ${kind} annotations filtered by ${info.targets} and/or identifier.`,
          description: `At least one of \`${info.targets}\` or \`identifier\` must be supplied; both: their intersection. Newest first.`,
          params: ProjectIdentifierParams,
          querystring: listAnnotationsQuery(info.targets),
          response: responses(info.page, 404),
        },
      },
      async (request) => {
        const q = request.query as Record<string, unknown> & { limit: number; cursor?: string };
        const targets = distinct(q[info.targets] as string[] | undefined, info.targets);
        const identifiers = distinct(q.identifier as string[] | undefined, 'identifiers');
        if (targets.length === 0 && identifiers.length === 0) {
          throw new HttpError(422, `At least one of ${info.targets} or identifier must be supplied`);
        }
        const project = await resolveProject(
          store,
          (request.params as { project_identifier: string }).project_identifier,
        );
        const rows = await listAnnotations(store, kind, {
          projectId: project.id,
          targets: targets.length ? targets : null,
          identifiers: identifiers.length ? identifiers : null,
          includeNames: (q.include_annotation_names as string[] | undefined) ?? null,
          excludeNames: (q.exclude_annotation_names as string[] | undefined) ?? null,
          fromId: cursorRowId(q.cursor, 'Invalid cursor value'),
          fetch: q.limit + 1,
        });
        const page = splitPage(rows, q.limit);
        if (page.rows.length === 0) {
          if (
            targets.length &&
            !identifiers.length &&
            !(await anyTargetExists(store, kind, project.id, targets))
          ) {
            throw new HttpError(404, `None of the supplied ${info.targets} exist in this project`);
          }
          return { data: [], next_cursor: null };
        }
        return {
          data: page.rows.map((row) => annotationData(row, kind)),
          next_cursor: page.next ? encodeGlobalId(info.nodeType as NodeType, page.next.id) : null,
        };
      },
    );

    app.delete(
      path,
      {
        schema: {
          tags: ['annotations'],
          operationId: info.deleteId,
          summary: `Delete ${kind} annotations in a project that match the supplied filter.`,
          description:
            'Needs both `start_time` and `end_time` (a [start, end) window on created_at) or `delete_all=true`; `name`, `identifier` and `annotator_kind` narrow it. Idempotent: 204 even when nothing matches.',
          params: ProjectIdentifierParams,
          querystring: DeleteAnnotationsQuery,
          response: responses(null, 404),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const createdFrom = micros(q.start_time);
        const createdBefore = micros(q.end_time);
        if (!q.delete_all && (createdFrom === null || createdBefore === null)) {
          throw new HttpError(
            422,
            'Delete is unbounded. Set delete_all=true to acknowledge, or supply both start_time and end_time to bound the time range.',
          );
        }
        if (createdFrom !== null && createdBefore !== null && createdFrom >= createdBefore) {
          throw new HttpError(422, '`start_time` must be strictly earlier than `end_time`.');
        }
        const project = await resolveProject(store, request.params.project_identifier);
        await commands.deleteAnnotations({
          kind,
          projectId: project.id,
          name: q.name ?? null,
          identifier: q.identifier ?? null,
          annotatorKind: (q.annotator_kind as 'LLM' | 'CODE' | 'HUMAN' | undefined) ?? null,
          createdFrom,
          createdBefore,
        });
        return reply.code(204).send();
      },
    );
  }
};
