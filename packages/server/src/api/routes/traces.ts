import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  findTraceById,
  listTraces,
  spansOfTraces,
  type TraceRow,
  type TraceSpanRow,
  tokenCountsByTrace,
} from '../../store/repositories/traces.js';
import { HttpError } from '../../util/http-error.js';
import type { RowRef } from '../../writer/commands.js';
import { isoFromMicros } from '../datetime.js';
import { RequestValidationError } from '../fastapi-errors.js';
import { encodeGlobalId, rowIdFromGlobalId } from '../global-id.js';
import { cursorRowId, splitPage } from '../pagination.js';
import { micros } from '../query-values.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import {
  ListTracesQuery,
  TraceIdentifierParams,
  TracesPage,
  TransferTracesBody,
  TransferTracesResponse,
} from '../schemas/traces.js';
import type { ApiContext } from './context.js';

/** A trace by GlobalID, else by OpenTelemetry trace_id, as Phoenix reads `trace_identifier`. */
export function traceRef(identifier: string): RowRef {
  const rowId = rowIdFromGlobalId(identifier, 'Trace');
  return rowId !== null ? { rowId } : { key: identifier };
}

function traceSpanData(span: TraceSpanRow) {
  return {
    id: encodeGlobalId('Span', span.id),
    span_id: span.span_id,
    parent_id: span.parent_id,
    name: span.name,
    span_kind: span.span_kind,
    status_code: span.status_code,
    start_time: isoFromMicros(span.start_time),
    end_time: isoFromMicros(span.end_time),
  };
}

function groupByTrace(spans: TraceSpanRow[]): Map<number, TraceSpanRow[]> {
  const byTrace = new Map<number, TraceSpanRow[]>();
  for (const span of spans) {
    const list = byTrace.get(span.trace_rowid);
    if (list) list.push(span);
    else byTrace.set(span.trace_rowid, [span]);
  }
  return byTrace;
}

/** Traces: list for a project (time range, sort, cursor, sessions, spans), delete, transfer. */
export const traceRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { store, commands }) => {
  const tags = ['traces'];

  app.get(
    '/v1/projects/:project_identifier/traces',
    {
      schema: {
        tags,
        operationId: 'listProjectTraces',
        summary: 'List traces for a project',
        params: ProjectIdentifierParams,
        querystring: ListTracesQuery,
        response: responses(TracesPage, 404),
      },
    },
    async (request) => {
      const q = request.query;
      const project = await resolveProject(store, request.params.project_identifier);
      const cursorId = cursorRowId(q.cursor);
      // The cursor names the first trace of the page; its sort value positions the page.
      const from: TraceRow | null =
        cursorId === null ? null : ((await findTraceById(store, cursorId)) ?? null);
      if (cursorId !== null && from === null) return { data: [], next_cursor: null };
      let sessions: { rowIds: number[]; sessionIds: string[] } | null = null;
      if (q.session_identifier?.length) {
        sessions = { rowIds: [], sessionIds: [] };
        for (const id of q.session_identifier) {
          const rowId = rowIdFromGlobalId(id, 'ProjectSession');
          if (rowId !== null) sessions.rowIds.push(rowId);
          else sessions.sessionIds.push(id);
        }
      }
      const rows = await listTraces(store, {
        projectId: project.id,
        startFrom: micros(q.start_time),
        startBefore: micros(q.end_time),
        sort: q.sort as 'start_time' | 'latency_ms',
        order: q.order as 'asc' | 'desc',
        sessions,
        from,
        fetch: q.limit + 1,
      });
      const page = splitPage(rows, q.limit);
      const ids = page.rows.map((t) => t.id);
      const tokens = await tokenCountsByTrace(store, ids);
      const spans = q.include_spans ? groupByTrace(await spansOfTraces(store, ids)) : null;
      return {
        data: page.rows.map((trace) => {
          const { prompt = 0, completion = 0 } = tokens.get(trace.id) ?? {};
          return {
            id: encodeGlobalId('Trace', trace.id),
            trace_id: trace.trace_id,
            project_id: encodeGlobalId('Project', trace.project_id),
            start_time: isoFromMicros(trace.start_time),
            end_time: isoFromMicros(trace.end_time),
            token_count_prompt: prompt,
            token_count_completion: completion,
            token_count_total: prompt + completion,
            spans: spans ? (spans.get(trace.id) ?? []).map(traceSpanData) : null,
          };
        }),
        next_cursor: page.next ? encodeGlobalId('Trace', page.next.id) : null,
      };
    },
  );

  app.delete(
    '/v1/traces/:trace_identifier',
    {
      schema: {
        tags,
        operationId: 'deleteTrace',
        summary: 'Delete a trace by identifier',
        description:
          'Deletes the trace with its spans and annotations. The identifier is a trace GlobalID or an OpenTelemetry trace_id.',
        params: TraceIdentifierParams,
        response: responses(null, 404),
      },
    },
    async (request, reply) => {
      const { trace_identifier } = request.params;
      const trace = traceRef(trace_identifier);
      if (!(await commands.deleteTrace({ trace }))) {
        throw new HttpError(
          404,
          'rowId' in trace
            ? `Trace with relay ID '${trace_identifier}' not found`
            : `Trace with trace_id '${trace_identifier}' not found`,
        );
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/traces/transfer',
    {
      schema: {
        tags,
        operationId: 'transferTraces',
        summary: 'Transfer traces to a project',
        description:
          'Moves traces (with their spans and annotations) into another project. All traces must belong to the same source project. A session moves with its traces when all of them move; traces that leave part of a session behind leave the session.',
        body: TransferTracesBody,
        response: responses(TransferTracesResponse, 404),
      },
    },
    async (request) => {
      const { trace_identifiers, destination_project_identifier } = request.body;
      if (trace_identifiers.length === 0) {
        throw new RequestValidationError([
          {
            loc: ['body', 'trace_identifiers'],
            msg: 'At least one trace identifier is required',
            type: 'too_short',
            input: [],
          },
        ]);
      }
      const destination = await resolveProject(store, destination_project_identifier);
      const result = await commands.transferTraces({
        traces: trace_identifiers.map((identifier) => ({ identifier, ref: traceRef(identifier) })),
        destinationProjectId: destination.id,
      });
      switch (result.status) {
        case 'transferred':
          return {
            data: {
              transferred_trace_count: result.count,
              destination_project_id: encodeGlobalId('Project', result.destinationProjectId),
            },
          };
        case 'missing-traces':
          throw new HttpError(404, `Traces with IDs ${result.identifiers.join(', ')} do not exist.`);
        case 'missing-destination':
          throw new HttpError(404, `Project with identifier ${destination_project_identifier} not found`);
        case 'several-source-projects':
          throw new HttpError(422, 'All traces must belong to the same source project');
      }
    },
  );
};
