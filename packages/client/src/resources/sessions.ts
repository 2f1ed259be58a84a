import type { DataFrame } from 'nodejs-polars';
import {
  type AnnotationReadOptions,
  type AnnotationSource,
  getAnnotations,
  getAnnotationsDataframe,
} from '../annotation-reads.js';
import {
  type AnnotationTarget,
  addAnnotation,
  type FrameOptions,
  logAnnotations,
  logAnnotationsFrame,
  type Synced,
  type SyncFlag,
  type SyncOption,
  syncQuery,
} from '../annotation-writer.js';
import { type AnnotationFields, targetId } from '../annotations.js';
import { optionalLimit, pathSegment, projectIdentifier } from '../arguments.js';
import { InvalidArgumentError } from '../errors.js';
import type { DataFrameInput } from '../frames/input.js';
import { type Column, dataFrameOf, loadPolars } from '../frames/output.js';
import { type Api, dataOf } from '../http.js';
import { collectPages } from '../pagination.js';
import type { ProjectSelector, ResponseBody } from '../types.js';
import { noteData } from './notes.js';

export type Session = ResponseBody<'getSession'>['data'];
export type SessionTurn = ResponseBody<'getSessionTurns'>['data'][number];
export type SessionAnnotation = ResponseBody<'listSessionAnnotationsBySessionIds'>['data'][number];
export type InsertedSessionAnnotation = ResponseBody<'annotateSessions'>['data'][number];

export type ListSessionsOptions = ProjectSelector & {
  /** At most this many sessions (default: all); cursors are followed until then. */
  limit?: number;
  /** By row id: `asc` (default, oldest first) or `desc`. */
  order?: 'asc' | 'desc';
};

export interface SessionAnnotationInput extends AnnotationFields {
  /** The session: its `session_id` string (or GlobalID). */
  sessionId: string;
}

export interface LogSessionAnnotationsOptions {
  sessionAnnotations: readonly SessionAnnotationInput[];
}

export type GetSessionAnnotationsOptions = AnnotationReadOptions & {
  sessionIds?: readonly string[];
  /** Sessions as get / list return them. */
  sessions?: readonly Pick<Session, 'session_id'>[];
};

const SESSION_COLUMNS: Column[] = [
  { name: 'id', type: 'string' },
  { name: 'session_id', type: 'string' },
  { name: 'project_id', type: 'string' },
  { name: 'start_time', type: 'datetime' },
  { name: 'end_time', type: 'datetime' },
  { name: 'num_traces', type: 'integer' },
];

/** A session id in a URL path (GlobalID or session_id string). */
const sessionSegment = (sessionId: string) => pathSegment(sessionId, 'sessionId');

/** Sessions (conversations): get, list, delete, turns, DataFrames, annotations and notes. */
export class Sessions {
  constructor(private readonly api: Api) {}

  /** One session by GlobalID or session_id, with its traces by start time; NotFoundError when absent. */
  async get({ sessionId }: { sessionId: string }): Promise<Session> {
    const session_identifier = sessionSegment(sessionId);
    return dataOf(
      await this.api.GET('/v1/sessions/{session_identifier}', { params: { path: { session_identifier } } }),
    ).data;
  }

  /** A project's sessions, following cursors until `limit` sessions or the last one. */
  async list(options: ListSessionsOptions = {}): Promise<Session[]> {
    const project_identifier = projectIdentifier(options);
    const order = options.order ?? 'asc';
    return collectPages(
      async (cursor, limit) =>
        dataOf(
          await this.api.GET('/v1/projects/{project_identifier}/sessions', {
            params: {
              path: { project_identifier },
              query: { order, limit, ...(cursor ? { cursor } : {}) },
            },
          }),
        ),
      { limit: optionalLimit(options.limit) },
    );
  }

  /** Deletes a session with its traces, spans and annotations. */
  async delete({ sessionId }: { sessionId: string }): Promise<void> {
    const session_identifier = sessionSegment(sessionId);
    await this.api.DELETE('/v1/sessions/{session_identifier}', { params: { path: { session_identifier } } });
  }

  /**
   * Deletes sessions given all as GlobalIDs or all as session_id strings (the server refuses a
   * mix with a 422); unknown ones are skipped.
   */
  async bulkDelete({ sessionIds }: { sessionIds: readonly string[] }): Promise<void> {
    if (!Array.isArray(sessionIds) || sessionIds.length === 0) {
      throw new InvalidArgumentError('sessionIds cannot be empty');
    }
    await this.api.POST('/v1/sessions/delete', { body: { session_identifiers: [...sessionIds] } });
  }

  /**
   * The session's turns, by start time: for each trace, its root span's input and output (value
   * and mime type) and the root span itself.
   */
  async getSessionTurns({ sessionId }: { sessionId: string }): Promise<SessionTurn[]> {
    const session_identifier = sessionSegment(sessionId);
    return dataOf(
      await this.api.GET('/v1/sessions/{session_identifier}/turns', {
        params: { path: { session_identifier } },
      }),
    ).data;
  }

  /**
   * A project's sessions as a DataFrame: `id`, `session_id`, `project_id`, `start_time`, `end_time`
   * (datetimes) and `num_traces`.
   */
  async getSessionsDataframe(options: ListSessionsOptions = {}): Promise<DataFrame> {
    await loadPolars('getSessionsDataframe');
    const sessions = await this.list(options);
    return dataFrameOf('getSessionsDataframe', SESSION_COLUMNS, sessions);
  }

  private readonly annotations: AnnotationTarget<
    SessionAnnotationInput,
    { session_id: string },
    InsertedSessionAnnotation
  > = {
    listName: 'sessionAnnotations',
    wire: (a, where) => ({ session_id: targetId(a.sessionId, 'sessionId', where) }),
    idColumns: [{ name: 'session_id', kind: 'string' }],
    fromIds: (ids) => ({ sessionId: String(ids.session_id) }),
    post: async (data, sync) =>
      dataOf(
        await this.api.POST('/v1/session_annotations', {
          params: { query: syncQuery(sync) },
          body: { data },
        }),
      ).data,
  };

  private readonly annotationSource: AnnotationSource<Pick<Session, 'session_id'>, SessionAnnotation> = {
    idsOption: 'sessionIds',
    itemsOption: 'sessions',
    itemId: (session) => session.session_id,
    frameOption: 'sessionsDataframe',
    frameColumns: ['session_id'],
    idColumn: 'session_id',
    fetchPage: async (project_identifier, sessionIds, query) =>
      dataOf(
        await this.api.GET('/v1/projects/{project_identifier}/session_annotations', {
          params: { path: { project_identifier }, query: { session_ids: sessionIds, ...query } },
        }),
      ),
  };

  /**
   * Annotates one session (upserted on name, session and identifier); with `sync: true` returns
   * the annotation's id once stored, and an unknown session fails with NotFoundError.
   */
  async addSessionAnnotation<S extends SyncFlag = undefined>(
    options: SessionAnnotationInput & SyncOption<S>,
  ): Promise<Synced<S, InsertedSessionAnnotation>> {
    return addAnnotation(this.annotations, options);
  }

  /** Annotates many sessions in one request; with `sync: true` returns their ids, in order. */
  async logSessionAnnotations<S extends SyncFlag = undefined>({
    sessionAnnotations,
    sync,
  }: LogSessionAnnotationsOptions & SyncOption<S>): Promise<Synced<S, InsertedSessionAnnotation[]>> {
    return logAnnotations(this.annotations, sessionAnnotations, sync);
  }

  /**
   * Annotations from a DataFrame (or rows): a `session_id` column (or an `index` column); `name` or
   * `annotation_name` (or `annotationName`); `annotator_kind` (or `annotatorKind`, default HUMAN);
   * at least one of `label`, `score`, `explanation`; optional `metadata`, `identifier`. Sent 100
   * rows per request.
   */
  async logSessionAnnotationsDataframe<S extends SyncFlag = undefined>(
    options: FrameOptions & SyncOption<S>,
  ): Promise<Synced<S, InsertedSessionAnnotation[]>> {
    return logAnnotationsFrame(this.annotations, options);
  }

  /** Adds a note to a session (a new one each time, unless an identifier is given); returns its id. */
  async addSessionNote({
    sessionId,
    note,
    identifier,
  }: {
    sessionId: string;
    note: string;
    identifier?: string;
  }): Promise<InsertedSessionAnnotation> {
    const data = { session_id: targetId(sessionId, 'sessionId', ''), ...noteData(note, identifier) };
    return dataOf(await this.api.POST('/v1/session_notes', { body: { data } })).data;
  }

  /** The annotations of some sessions (excluding notes unless told otherwise). */
  async getSessionAnnotations(options: GetSessionAnnotationsOptions): Promise<SessionAnnotation[]> {
    return getAnnotations(this.annotationSource, options);
  }

  /**
   * The same as a DataFrame: `session_id` first, then `id`, `annotation_name`, `annotator_kind`,
   * `result.label`, `result.score`, `result.explanation`, `metadata`, `identifier`, `source`,
   * `user_id`, `created_at`, `updated_at` (datetimes). Takes a sessions DataFrame too.
   */
  async getSessionAnnotationsDataframe(
    options: GetSessionAnnotationsOptions & { sessionsDataframe?: DataFrameInput },
  ): Promise<DataFrame> {
    return getAnnotationsDataframe(this.annotationSource, 'getSessionAnnotationsDataframe', options);
  }
}
