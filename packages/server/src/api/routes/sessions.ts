import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { JsonValue } from '../../model/span-record.js';
import { parseJsonColumn } from '../../store/repositories/json.js';
import type { ReadStore } from '../../store/repositories/read-store.js';
import {
  findSessionById,
  findSessionBySessionId,
  listSessions,
  type SessionRow,
  tracesOfSessions,
} from '../../store/repositories/sessions.js';
import { rootSpansOfTraces } from '../../store/repositories/spans.js';
import type { TraceRow } from '../../store/repositories/traces.js';
import { HttpError } from '../../util/http-error.js';
import { isoFromMicros } from '../datetime.js';
import { encodeGlobalId, rowIdFromGlobalId } from '../global-id.js';
import { cursorRowId, splitPage } from '../pagination.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import {
  DeleteSessionsBody,
  ListSessionsQuery,
  SessionBody,
  SessionIdentifierParams,
  SessionsPage,
  SessionTurnsBody,
} from '../schemas/sessions.js';
import { toPhoenixSpan } from '../span-shape.js';
import type { ApiContext } from './context.js';

function sessionData(session: SessionRow, traces: readonly TraceRow[]) {
  const prompt = Number(session.token_count_prompt);
  const completion = Number(session.token_count_completion);
  return {
    id: encodeGlobalId('ProjectSession', session.id),
    session_id: session.session_id,
    project_id: encodeGlobalId('Project', session.project_id),
    start_time: isoFromMicros(session.start_time),
    end_time: isoFromMicros(session.end_time),
    traces: traces.map((t) => ({
      id: encodeGlobalId('Trace', t.id),
      trace_id: t.trace_id,
      start_time: isoFromMicros(t.start_time),
      end_time: isoFromMicros(t.end_time),
    })),
    token_count_prompt: prompt,
    token_count_completion: completion,
    token_count_total: prompt + completion,
    num_traces: session.num_traces,
    error_count: session.error_count,
    first_input: session.first_input,
    last_output: session.last_output,
  };
}

/** A session by GlobalID, else by session_id, as Phoenix reads `session_identifier`; 404 with its text. */
async function resolveSession(store: ReadStore, identifier: string): Promise<SessionRow> {
  const rowId = rowIdFromGlobalId(identifier, 'ProjectSession');
  const session =
    rowId !== null ? await findSessionById(store, rowId) : await findSessionBySessionId(store, identifier);
  if (!session) {
    throw new HttpError(
      404,
      rowId !== null
        ? `Session with ID ${identifier} not found`
        : `Session with session_id ${identifier} not found`,
    );
  }
  return session;
}

function turnIo(attributes: JsonValue, kind: 'input' | 'output') {
  const io =
    attributes && typeof attributes === 'object' && !Array.isArray(attributes) ? attributes[kind] : undefined;
  if (!io || typeof io !== 'object' || Array.isArray(io)) return null;
  const { value, mime_type } = io;
  if (value === null || value === undefined) return null;
  return {
    value: typeof value === 'string' ? value : JSON.stringify(value),
    mime_type: typeof mime_type === 'string' ? mime_type : null,
  };
}

/** Sessions: get (with traces and rollups), turns, list per project, delete one or many. */
export const sessionRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { store, commands }) => {
  const tags = ['sessions'];

  app.get(
    '/v1/sessions/:session_identifier',
    {
      schema: {
        tags,
        operationId: 'getSession',
        summary: 'Get session by ID or session_id',
        params: SessionIdentifierParams,
        response: responses(SessionBody, 404),
      },
    },
    async (request) => {
      const session = await resolveSession(store, request.params.session_identifier);
      return { data: sessionData(session, await tracesOfSessions(store, [session.id])) };
    },
  );

  app.get(
    '/v1/sessions/:session_identifier/turns',
    {
      schema: {
        tags,
        operationId: 'getSessionTurns',
        summary: "A session's turns (Fawkes)",
        description:
          "One call for a conversation: for each trace of the session, by start time, its root span's input.value / input.mime_type and output.value / output.mime_type, and the root span itself (the earliest one when a trace has several; null when it has none).",
        params: SessionIdentifierParams,
        response: responses(SessionTurnsBody, 404),
      },
    },
    async (request) => {
      const session = await resolveSession(store, request.params.session_identifier);
      const traces = await tracesOfSessions(store, [session.id]);
      const roots = await rootSpansOfTraces(
        store,
        traces.map((t) => t.id),
      );
      return {
        data: traces.map((trace) => {
          const root = roots.get(trace.id);
          const span = root ? toPhoenixSpan(root) : null;
          const nested = root ? parseJsonColumn<JsonValue>(root.attributes) : null;
          return {
            trace_id: trace.trace_id,
            start_time: isoFromMicros(trace.start_time),
            end_time: isoFromMicros(trace.end_time),
            input: nested ? turnIo(nested, 'input') : null,
            output: nested ? turnIo(nested, 'output') : null,
            root_span: span,
          };
        }),
      };
    },
  );

  app.get(
    '/v1/projects/:project_identifier/sessions',
    {
      schema: {
        tags,
        operationId: 'listProjectSessions',
        summary: 'List sessions for a project',
        params: ProjectIdentifierParams,
        querystring: ListSessionsQuery,
        response: responses(SessionsPage, 404),
      },
    },
    async (request) => {
      const { cursor, limit, order } = request.query;
      const project = await resolveProject(store, request.params.project_identifier);
      const rows = await listSessions(store, {
        projectId: project.id,
        order: order as 'asc' | 'desc',
        fromId: cursorRowId(cursor),
        fetch: limit + 1,
      });
      const page = splitPage(rows, limit);
      const traces = await tracesOfSessions(
        store,
        page.rows.map((s) => s.id),
      );
      const bySession = new Map<number, TraceRow[]>();
      for (const trace of traces) {
        const list = bySession.get(trace.project_session_id!) ?? [];
        list.push(trace);
        bySession.set(trace.project_session_id!, list);
      }
      return {
        data: page.rows.map((s) => sessionData(s, bySession.get(s.id) ?? [])),
        next_cursor: page.next ? encodeGlobalId('ProjectSession', page.next.id) : null,
      };
    },
  );

  app.delete(
    '/v1/sessions/:session_identifier',
    {
      schema: {
        tags,
        operationId: 'deleteSession',
        summary: 'Delete a session by identifier',
        description: 'Deletes the session with its traces, spans and annotations.',
        params: SessionIdentifierParams,
        response: responses(null, 404),
      },
    },
    async (request, reply) => {
      const { session_identifier } = request.params;
      const rowId = rowIdFromGlobalId(session_identifier, 'ProjectSession');
      const deleted = await commands.deleteSession({
        session: rowId !== null ? { rowId } : { key: session_identifier },
      });
      if (!deleted) {
        throw new HttpError(
          404,
          rowId !== null
            ? `Session with ID '${session_identifier}' not found`
            : `Session with session_id '${session_identifier}' not found`,
        );
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/sessions/delete',
    {
      schema: {
        tags,
        operationId: 'deleteSessions',
        summary: 'Bulk delete sessions',
        description:
          'Deletes sessions (with their traces, spans and annotations) by GlobalIDs or by session_id strings — one kind per request. Unknown ones are skipped.',
        body: DeleteSessionsBody,
        response: responses(null),
      },
    },
    async (request, reply) => {
      const identifiers = request.body.session_identifiers;
      if (identifiers.length === 0) throw new HttpError(422, 'Session identifier list must not be empty.');
      const rowIds: number[] = [];
      const sessionIds: string[] = [];
      for (const identifier of identifiers) {
        const rowId = rowIdFromGlobalId(identifier, 'ProjectSession');
        if (rowId !== null) rowIds.push(rowId);
        else sessionIds.push(identifier);
      }
      if (rowIds.length > 0 && sessionIds.length > 0) {
        throw new HttpError(
          422,
          'All identifiers must be the same type: either all GlobalIDs or all session_id strings.',
        );
      }
      await commands.deleteSessions(rowIds.length > 0 ? { rowIds } : { sessionIds });
      return reply.code(204).send();
    },
  );
};
