import type { Selectable } from 'kysely';
import type { ProjectSessionsTable } from '../schema.js';
import type { ReadStore } from './read-store.js';
import type { TraceRow } from './traces.js';

/** A session with its write-time rollups (no aggregation over spans when read). */
export type SessionRow = Selectable<ProjectSessionsTable>;

export function findSessionById({ db }: ReadStore, id: number): Promise<SessionRow | undefined> {
  return db.selectFrom('project_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSessionBySessionId(
  { db }: ReadStore,
  sessionId: string,
): Promise<SessionRow | undefined> {
  return db.selectFrom('project_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
}

export interface SessionPageQuery {
  projectId: number;
  order: 'asc' | 'desc';
  /** The first row of the page (from the cursor): ids from it on, in the order asked. */
  fromId: number | null;
  fetch: number;
}

/** A project's sessions by id, over the index on (project_id, id). */
export function listSessions({ db }: ReadStore, q: SessionPageQuery): Promise<SessionRow[]> {
  let query = db
    .selectFrom('project_sessions')
    .selectAll()
    .where('project_id', '=', q.projectId)
    .orderBy('id', q.order)
    .limit(q.fetch);
  if (q.fromId !== null) query = query.where('id', q.order === 'asc' ? '>=' : '<=', q.fromId);
  return query.execute();
}

/** The traces of these sessions, by start time, over the index on (project_session_id, start_time). */
export function tracesOfSessions({ db }: ReadStore, sessionRowIds: readonly number[]): Promise<TraceRow[]> {
  if (sessionRowIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('traces')
    .select(['id', 'trace_id', 'project_id', 'project_session_id', 'start_time', 'end_time'])
    .where('project_session_id', 'in', [...sessionRowIds])
    .orderBy('start_time')
    .orderBy('id')
    .execute();
}
