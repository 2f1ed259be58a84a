import { type Expression, type SqlBool, sql } from 'kysely';
import type { ReadStore } from './read-store.js';

export interface TraceRow {
  id: number;
  trace_id: string;
  project_id: number;
  project_session_id: number | null;
  start_time: number;
  end_time: number;
}

export type TraceSort = 'start_time' | 'latency_ms';

export interface TracePageQuery {
  projectId: number;
  /** start_time ≥ this (micros). */
  startFrom: number | null;
  /** start_time < this (micros). */
  startBefore: number | null;
  sort: TraceSort;
  order: 'asc' | 'desc';
  /** Only traces of these sessions (row ids or session_id strings of the project), when given. */
  sessions: { rowIds: number[]; sessionIds: string[] } | null;
  /** The first row of the page (from the cursor): rows at or beyond it in sort order. */
  from: TraceRow | null;
  fetch: number;
}

const TRACE_COLUMNS = [
  'id',
  'trace_id',
  'project_id',
  'project_session_id',
  'start_time',
  'end_time',
] as const;

export function findTraceById({ db }: ReadStore, id: number): Promise<TraceRow | undefined> {
  return db.selectFrom('traces').select(TRACE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * One page of a project's traces, keyset-paginated on (sort value, id) over the index on
 * (project_id, start_time); latency is end_time − start_time.
 */
export function listTraces({ db }: ReadStore, q: TracePageQuery): Promise<TraceRow[]> {
  const value = (
    q.sort === 'latency_ms' ? sql`end_time - start_time` : sql`start_time`
  ) as Expression<number>;
  let query = db
    .selectFrom('traces')
    .select(TRACE_COLUMNS)
    .$if(!q.sessions, (b) => b.where('project_id', '=', q.projectId))
    .orderBy(value, q.order)
    .orderBy('id', q.order)
    .limit(q.fetch);
  if (q.startFrom !== null) query = query.where('start_time', '>=', q.startFrom);
  if (q.startBefore !== null) query = query.where('start_time', '<', q.startBefore);
  if (q.sessions) {
    const { rowIds, sessionIds } = q.sessions;
    // `project_id + 0`: the project stays a condition but not an index to walk, so the index on
    // (project_session_id, start_time) finds the sessions' few traces.
    query = query
      .where(sql<SqlBool>`project_id + 0 = ${q.projectId}`)
      .where((eb) =>
        eb.or([
          ...(rowIds.length ? [eb('project_session_id', 'in', rowIds)] : []),
          ...(sessionIds.length
            ? [
                eb(
                  'project_session_id',
                  'in',
                  eb
                    .selectFrom('project_sessions')
                    .select('id')
                    .where('session_id', 'in', sessionIds)
                    .where('project_id', '=', q.projectId),
                ),
              ]
            : []),
        ]),
      );
  }
  if (q.from) {
    const from = q.sort === 'latency_ms' ? q.from.end_time - q.from.start_time : q.from.start_time;
    // A row value, so that the index serves the range: (value, id) from the cursor's on.
    const atOrBeyond = q.order === 'asc' ? sql`>=` : sql`<=`;
    query = query.where(sql<SqlBool>`(${value}, id) ${atOrBeyond} (${from}, ${q.from.id})`);
  }
  return query.execute();
}

/** Token counts per trace, summed over its LLM spans (own counts, so nothing is counted twice). */
export async function tokenCountsByTrace(
  { db }: ReadStore,
  traceRowIds: readonly number[],
): Promise<Map<number, { prompt: number; completion: number }>> {
  if (traceRowIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('spans')
    .select((eb) => [
      'trace_rowid',
      eb.fn.sum<number>('llm_token_count_prompt').as('prompt'),
      eb.fn.sum<number>('llm_token_count_completion').as('completion'),
    ])
    .where('trace_rowid', 'in', [...traceRowIds])
    .where('span_kind', '=', 'LLM')
    .groupBy('trace_rowid')
    .execute();
  return new Map(
    rows.map((r) => [
      r.trace_rowid,
      { prompt: Number(r.prompt ?? 0), completion: Number(r.completion ?? 0) },
    ]),
  );
}

export interface TraceSpanRow {
  id: number;
  trace_rowid: number;
  span_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  status_code: string;
  start_time: number;
  end_time: number;
}

/** The spans of these traces without their heavy JSON columns, by start time. */
export function spansOfTraces({ db }: ReadStore, traceRowIds: readonly number[]): Promise<TraceSpanRow[]> {
  if (traceRowIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('spans')
    .select([
      'id',
      'trace_rowid',
      'span_id',
      'parent_id',
      'name',
      'span_kind',
      'status_code',
      'start_time',
      'end_time',
    ])
    .where('trace_rowid', 'in', [...traceRowIds])
    .orderBy('start_time')
    .orderBy('id')
    .execute();
}
