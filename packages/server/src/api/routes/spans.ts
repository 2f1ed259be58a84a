import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { spanFilterParameter } from '../../span-query/filter-parameter.js';
import { listSpans, type SpanFilter, storedSpanIds } from '../../store/repositories/spans.js';
import { HttpError } from '../../util/http-error.js';
import type { LogSpansResult, RowRef } from '../../writer/commands.js';
import { RequestValidationError } from '../fastapi-errors.js';
import { encodeGlobalId, rowIdFromGlobalId } from '../global-id.js';
import { timestampProblems, toSpanRecord } from '../log-spans.js';
import { cursorRowId, splitPage } from '../pagination.js';
import { attributeFilter, micros, spanKindFilter, statusCodeFilter } from '../query-values.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses, textErrors, ValidationErrorSchema } from '../schemas/common.js';
import {
  CreateSpansBody,
  CreateSpansResponse,
  OtlpSpansPage,
  OtlpSpansQuery,
  SpanIdentifierParams,
  SpansPage,
  SpansQuery,
} from '../schemas/spans.js';
import { toOtlpSpan, toPhoenixSpan } from '../span-shape.js';
import type { ApiContext } from './context.js';

interface SpanQueryParams {
  filter?: string | undefined;
  cursor?: string | undefined;
  limit: number;
  start_time?: string | undefined;
  end_time?: string | undefined;
  trace_id?: string[] | undefined;
  span_id?: string[] | undefined;
  parent_id?: string | undefined;
  name?: string[] | undefined;
  span_kind?: string[] | undefined;
  status_code?: string[] | undefined;
  attribute?: string[] | undefined;
}

function spanFilter(projectId: number, q: SpanQueryParams): SpanFilter {
  return {
    projectId,
    startFrom: micros(q.start_time),
    startBefore: micros(q.end_time),
    traceIds: q.trace_id ?? null,
    spanIds: q.span_id ?? null,
    ...(q.parent_id === undefined ? {} : { parentId: q.parent_id === 'null' ? null : q.parent_id }),
    names: q.name ?? null,
    spanKinds: spanKindFilter(q.span_kind),
    statusCodes: statusCodeFilter(q.status_code),
    attributes: (q.attribute ?? []).map(attributeFilter),
    fromId: cursorRowId(q.cursor, 'Invalid cursor'),
    fetch: q.limit + 1,
  };
}

/** Phoenix's error body for spans it refuses to log: a JSON object, sent as the plain-text detail. */
function logSpansRefusal(
  received: number,
  duplicates: { span_id: string; trace_id: string }[],
  invalid: { span_id: string; trace_id: string; error: string }[],
): HttpError {
  return new HttpError(
    400,
    JSON.stringify({
      error: 'Request contains invalid or duplicate spans',
      total_received: received,
      total_queued: 0,
      total_duplicates: duplicates.length,
      total_invalid: invalid.length,
      duplicate_spans: duplicates,
      invalid_spans: invalid,
    }),
  );
}

/** Spans: list (Phoenix's shape and OTLP's), log, delete. */
export const spanRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { store, commands }) => {
  const tags = ['spans'];
  const listSpansOf = async (projectId: number, query: SpanQueryParams) =>
    listSpans(store, {
      ...spanFilter(projectId, query),
      where: await spanFilterParameter(query.filter, store),
    });

  app.get(
    '/v1/projects/:project_identifier/spans',
    {
      schema: {
        tags,
        operationId: 'getSpans',
        summary: 'List spans with simple filters, or a query-language filter',
        description: 'Spans of a project, newest first, filtered; cursor-based pagination.',
        params: ProjectIdentifierParams,
        querystring: SpansQuery,
        response: responses(SpansPage, 404),
      },
    },
    async (request) => {
      const project = await resolveProject(store, request.params.project_identifier);
      const page = splitPage(await listSpansOf(project.id, request.query), request.query.limit);
      return {
        data: page.rows.map(toPhoenixSpan),
        next_cursor: page.next ? encodeGlobalId('Span', page.next.id) : null,
      };
    },
  );

  app.get(
    '/v1/projects/:project_identifier/spans/otlpv1',
    {
      schema: {
        tags,
        operationId: 'spanSearch',
        summary: 'Search spans with simple filters, or a query-language filter',
        description:
          'Spans of a project in OTLP/JSON form (64-bit times as decimal strings), newest first; cursor-based pagination.',
        params: ProjectIdentifierParams,
        querystring: OtlpSpansQuery,
        response: responses(OtlpSpansPage, 404),
      },
    },
    async (request) => {
      const project = await resolveProject(store, request.params.project_identifier);
      const page = splitPage(await listSpansOf(project.id, request.query), request.query.limit);
      return {
        data: page.rows.map(toOtlpSpan),
        next_cursor: page.next ? encodeGlobalId('Span', page.next.id) : null,
      };
    },
  );

  app.post(
    '/v1/projects/:project_identifier/spans',
    {
      schema: {
        tags,
        operationId: 'createSpans',
        summary: 'Create spans',
        description:
          'Stores spans in a project (created when named and absent). If any span is invalid or already stored, none is stored (400 with the details).',
        params: ProjectIdentifierParams,
        body: CreateSpansBody,
        response: { 202: CreateSpansResponse, ...textErrors(400, 404), 422: ValidationErrorSchema },
      },
    },
    async (request, reply) => {
      const { project_identifier } = request.params;
      const spans = request.body.data;
      const problems = timestampProblems(spans);
      if (problems.length > 0) throw new RequestValidationError(problems);

      const projectName =
        rowIdFromGlobalId(project_identifier, 'Project') !== null
          ? (await resolveProject(store, project_identifier)).name
          : project_identifier;
      const stored = await storedSpanIds(
        store,
        spans.map((s) => s.context.span_id),
      );
      const duplicates = spans
        .filter((s) => stored.has(s.context.span_id))
        .map((s) => ({ span_id: s.context.span_id, trace_id: s.context.trace_id }));
      const records = [];
      const invalid = [];
      for (const span of spans) {
        if (stored.has(span.context.span_id)) continue;
        const converted = toSpanRecord(span, projectName);
        if ('error' in converted) {
          invalid.push({
            span_id: span.context.span_id,
            trace_id: span.context.trace_id,
            error: converted.error,
          });
        } else records.push(converted.record);
      }
      if (duplicates.length > 0 || invalid.length > 0)
        throw logSpansRefusal(spans.length, duplicates, invalid);

      const result: LogSpansResult = await commands.logSpans({ spans: records });
      if (result.status === 'duplicates') {
        const raced = result.spans.map((s) => ({ span_id: s.spanId, trace_id: s.traceId }));
        throw logSpansRefusal(spans.length, raced, []);
      }
      return reply.code(202).send({ total_received: spans.length, total_queued: records.length });
    },
  );

  app.delete(
    '/v1/spans/:span_identifier',
    {
      schema: {
        tags,
        operationId: 'deleteSpan',
        summary: 'Delete a span by span_identifier',
        description:
          "Deletes only this span (its descendants stay, orphaned) with its annotations. Its cumulative error and token counts are subtracted from its ancestors; its trace's start and end are recomputed (a trace left without spans is deleted), and so are its session's rollups.",
        params: SpanIdentifierParams,
        response: responses(null, 404),
      },
    },
    async (request, reply) => {
      const { span_identifier } = request.params;
      const rowId = rowIdFromGlobalId(span_identifier, 'Span');
      const span: RowRef = rowId !== null ? { rowId } : { key: span_identifier };
      if (!(await commands.deleteSpan({ span }))) {
        throw new HttpError(
          404,
          rowId !== null
            ? `Span with relay ID '${span_identifier}' not found`
            : `Span with span_id '${span_identifier}' not found`,
        );
      }
      return reply.code(204).send();
    },
  );
};
