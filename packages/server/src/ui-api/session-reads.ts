import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { RulePass } from '../cost/price-rules.js';
import { projectRulePasses } from '../store/repositories/costs.js';
import { parseJsonColumn } from '../store/repositories/json.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';
import { annotationsOf, chipsBy } from './annotation-reads.js';
import { globalId, IS_ROOT_SPAN, iso, millisBetween, type ProjectRef, preview, rowIdOf } from './ids.js';
import { decodeCursor, encodeCursor, type TimeRange } from './params.js';
import { quantiles } from './quantile.js';
import { filterCondition, queryDialect } from './span-table.js';
import { NO_COST, sessionCostSortKey, sessionCosts, type TableCost, traceCosts } from './table-costs.js';
import type {
  SortOrder,
  UiSession,
  UiSessionPage,
  UiSessionRow,
  UiSessionSort,
  UiSessionTurn,
} from './wire.js';

const SORT_EXPRESSIONS: Record<Exclude<UiSessionSort, 'cost_total'>, RawBuilder<number>> = {
  start_time: sql`project_sessions.start_time`,
  end_time: sql`project_sessions.end_time`,
  num_traces: sql`project_sessions.num_traces`,
  token_count_total: sql`(project_sessions.token_count_prompt + project_sessions.token_count_completion)`,
};

/** Cost is computed on read, summed over the session's spans (bench/README.md measures the sort). */
function sortExpression(sort: UiSessionSort, passes: readonly RulePass[], store: ReadStore) {
  return sort === 'cost_total' ? sessionCostSortKey(passes, queryDialect(store)) : SORT_EXPRESSIONS[sort];
}

const PREVIEW_LENGTH = 300;
/** Turns listed with a session at most. */
export const SESSION_TURN_LIMIT = 500;

export interface SessionListQuery {
  project: ProjectRef;
  sort: UiSessionSort;
  order: SortOrder;
  range: TimeRange;
  /**
   * A filter expression of the query language over the sessions' root spans, as Phoenix's session
   * filter reads the root spans of a session's traces: a session is listed when one of its traces'
   * root span matches (its trace annotations included). Undefined or blank: every session.
   */
  filter?: string | undefined;
  cursor: string | undefined;
  limit: number;
}

type SessionRow = {
  id: number;
  session_id: string;
  project_id: number;
  start_time: number;
  end_time: number;
  num_traces: number;
  token_count_prompt: number;
  token_count_completion: number;
  error_count: number;
  first_input: string | null;
  last_output: string | null;
};

const SESSION_COLUMNS = [
  'project_sessions.id',
  'project_sessions.session_id',
  'project_sessions.project_id',
  'project_sessions.start_time',
  'project_sessions.end_time',
  'project_sessions.num_traces',
  'project_sessions.token_count_prompt',
  'project_sessions.token_count_completion',
  'project_sessions.error_count',
  preview(sql.ref('project_sessions.first_input'), PREVIEW_LENGTH).as('first_input'),
  preview(sql.ref('project_sessions.last_output'), PREVIEW_LENGTH).as('last_output'),
] as const;

/** A project's sessions from the write-time rollups (never aggregating spans), keyset-paged. */
export async function sessionPage(store: ReadStore, query: SessionListQuery): Promise<UiSessionPage> {
  const passes = await projectRulePasses(store, query.project.id);
  const sortBy = sortExpression(query.sort, passes, store);
  const direction = query.order === 'asc' ? sql`asc` : sql`desc`;
  const after = decodeCursor(query.cursor);
  let q = store.db.selectFrom('project_sessions').where('project_sessions.project_id', '=', query.project.id);
  // A session is listed when it overlaps the range, as Phoenix lists them.
  if (query.range.start !== undefined) q = q.where('project_sessions.end_time', '>=', query.range.start);
  if (query.range.end !== undefined) q = q.where('project_sessions.start_time', '<', query.range.end);
  if (query.filter !== undefined && query.filter.trim() !== '') {
    // Compiled before the query runs: a bad expression is a 422 with its position, nothing read.
    const condition = filterCondition(query.filter, queryDialect(store));
    q = q.where(
      sql<SqlBool>`exists (select 1 from traces inner join spans on spans.trace_rowid = traces.id where traces.project_session_id = project_sessions.id and ${IS_ROOT_SPAN} and ${condition})`,
    );
  }
  if (after !== null) {
    const op = query.order === 'asc' ? sql`>` : sql`<`;
    const opOrEqual = query.order === 'asc' ? sql`>=` : sql`<=`;
    q = q.where(
      sql<SqlBool>`(${sortBy} ${opOrEqual} ${after.value} and (${sortBy} ${op} ${after.value} or project_sessions.id ${op} ${after.rowId}))`,
    );
  }
  const rows = (await q
    .select([...SESSION_COLUMNS, sortBy.as('sort_value')])
    .orderBy(sql`${sortBy} ${direction}`)
    .orderBy(sql`project_sessions.id ${direction}`)
    .limit(query.limit + 1)
    .execute()) as (SessionRow & { sort_value: number })[];
  const page = rows.slice(0, query.limit);
  const latencies = await traceLatencies(
    store,
    page.map((r) => r.id),
  );
  const chips = await chipsBy(
    store,
    'session',
    page.map((r) => r.id),
  );
  const costs = await sessionCosts(
    store,
    passes,
    queryDialect(store),
    page.map((r) => r.id),
  );
  const data = page.map((row) => ({
    ...sessionRow(row, latencies.get(row.id) ?? [], costs.get(row.id) ?? NO_COST),
    annotations: chips.get(row.id) ?? [],
  }));
  const last = page[page.length - 1];
  return {
    data,
    next_cursor: rows.length > query.limit && last ? encodeCursor(Number(last.sort_value), last.id) : null,
  };
}

function sessionRow(
  row: SessionRow,
  latencies: number[],
  cost: TableCost,
): Omit<UiSessionRow, 'annotations'> {
  const [p50, p99] = quantiles(latencies, [0.5, 0.99]);
  const prompt = Number(row.token_count_prompt);
  const completion = Number(row.token_count_completion);
  return {
    id: globalId('ProjectSession', row.id),
    session_id: row.session_id,
    project_id: globalId('Project', row.project_id),
    start_time: iso(row.start_time),
    end_time: iso(row.end_time),
    num_traces: Number(row.num_traces),
    token_count_prompt: prompt,
    token_count_completion: completion,
    token_count_total: prompt + completion,
    ...cost,
    error_count: Number(row.error_count),
    latency_ms_p50: p50 ?? null,
    latency_ms_p99: p99 ?? null,
    first_input: row.first_input,
    last_output: row.last_output,
  };
}

/** Trace latencies (ms) per session. */
async function traceLatencies(store: ReadStore, sessionIds: number[]): Promise<Map<number, number[]>> {
  const bySession = new Map<number, number[]>();
  if (sessionIds.length === 0) return bySession;
  const rows = await store.db
    .selectFrom('traces')
    .where('project_session_id', 'in', sessionIds)
    .select(['project_session_id', 'start_time', 'end_time'])
    .execute();
  for (const row of rows) {
    const list = bySession.get(row.project_session_id!) ?? [];
    list.push(millisBetween(row.start_time, row.end_time));
    bySession.set(row.project_session_id!, list);
  }
  return bySession;
}

/** A session by GlobalID or session_id, with its turns: each trace's root input and output. */
export async function sessionDetail(store: ReadStore, identifier: string): Promise<UiSession> {
  const { db } = store;
  const base = db
    .selectFrom('project_sessions')
    .innerJoin('projects', 'projects.id', 'project_sessions.project_id')
    .select([...SESSION_COLUMNS, 'projects.name as project_name']);
  const rowId = rowIdOf(identifier, 'ProjectSession');
  const row = ((rowId !== null
    ? await base.where('project_sessions.id', '=', rowId).executeTakeFirst()
    : undefined) ?? (await base.where('project_sessions.session_id', '=', identifier).executeTakeFirst())) as
    | (SessionRow & { project_name: string })
    | undefined;
  if (!row) throw new HttpError(404, `Session with session_id ${identifier} not found`);

  const traces = await db
    .selectFrom('traces')
    .where('project_session_id', '=', row.id)
    .select(['id', 'trace_id', 'start_time', 'end_time'])
    .orderBy('start_time')
    .orderBy('id')
    .limit(SESSION_TURN_LIMIT + 1)
    .execute();
  const listed = traces.slice(0, SESSION_TURN_LIMIT);
  const roots = listed.length
    ? await db
        .selectFrom('spans')
        .where(
          'trace_rowid',
          'in',
          listed.map((t) => t.id),
        )
        .where(IS_ROOT_SPAN)
        .select([
          'trace_rowid',
          'span_id',
          'name',
          'status_code',
          'attributes',
          'cumulative_llm_token_count_prompt',
          'cumulative_llm_token_count_completion',
        ])
        .orderBy('start_time')
        .execute()
    : [];
  const rootByTrace = new Map<number, (typeof roots)[number]>();
  for (const root of roots) if (!rootByTrace.has(root.trace_rowid)) rootByTrace.set(root.trace_rowid, root);
  const chips = await chipsBy(
    store,
    'trace',
    listed.map((t) => t.id),
  );
  const passes = await projectRulePasses(store, row.project_id);
  const dialect = queryDialect(store);
  const turnCosts = await traceCosts(
    store,
    passes,
    dialect,
    listed.map((t) => t.id),
  );
  const [sessionCost] = (await sessionCosts(store, passes, dialect, [row.id])).values();

  const turns: UiSessionTurn[] = listed.map((t) => {
    const root = rootByTrace.get(t.id);
    const attributes = root ? parseJsonColumn<Record<string, unknown>>(root.attributes) : {};
    const prompt = Number(root?.cumulative_llm_token_count_prompt ?? 0);
    const completion = Number(root?.cumulative_llm_token_count_completion ?? 0);
    return {
      trace_id: t.trace_id,
      start_time: iso(t.start_time),
      end_time: iso(t.end_time),
      latency_ms: millisBetween(t.start_time, t.end_time),
      root_span_id: root?.span_id ?? null,
      root_name: root?.name ?? null,
      status_code: (root?.status_code ?? null) as UiSessionTurn['status_code'],
      input: textAt(attributes, ['input', 'value']),
      input_mime_type: textAt(attributes, ['input', 'mime_type']),
      output: textAt(attributes, ['output', 'value']),
      output_mime_type: textAt(attributes, ['output', 'mime_type']),
      user_id: textAt(attributes, ['user', 'id']),
      token_count_prompt: prompt,
      token_count_completion: completion,
      token_count_total: prompt + completion,
      ...(turnCosts.get(t.id) ?? NO_COST),
      annotations: chips.get(t.id) ?? [],
    };
  });

  return {
    ...sessionRow(
      row,
      turns.map((t) => t.latency_ms),
      sessionCost ?? NO_COST,
    ),
    project_name: row.project_name,
    turns,
    truncated: traces.length > SESSION_TURN_LIMIT,
    annotations: await annotationsOf(store, 'session', new Map([[row.id, row.session_id]])),
  };
}

function textAt(value: unknown, path: string[]): string | null {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[key];
  }
  if (at === undefined || at === null) return null;
  return typeof at === 'string' ? at : JSON.stringify(at);
}
