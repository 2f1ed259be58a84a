import { sql } from 'kysely';
import type { ReadStore } from '../store/repositories/read-store.js';
import { globalId, IS_ROOT_SPAN, iso, type ProjectRef } from './ids.js';
import type { TimeRange } from './params.js';
import type { UiProjectStats } from './wire.js';

export interface ProjectRow extends ProjectRef {
  description: string | null;
  created_at: number;
}

/**
 * Per-project figures for the projects page and a project's header, over the traces that start
 * within the time range (all when open). Costs, at 1M spans in one project: the span count is an
 * index scan of the project's spans; percentiles sort the traces table (small rows); tokens come from
 * the sessions' write-time rollups plus the root spans of traces outside any session.
 */
export async function projectStats(
  store: ReadStore,
  project: ProjectRow,
  range: TimeRange,
): Promise<UiProjectStats> {
  const { db } = store;
  let traces = db.selectFrom('traces').where('traces.project_id', '=', project.id);
  if (range.start !== undefined) traces = traces.where('traces.start_time', '>=', range.start);
  if (range.end !== undefined) traces = traces.where('traces.start_time', '<', range.end);
  const latency = sql<number>`(traces.end_time - traces.start_time)`;

  const summary = await traces
    .select([sql<number>`count(*)`.as('count'), sql<number | null>`max(traces.end_time)`.as('last')])
    .executeTakeFirstOrThrow();
  const traceCount = Number(summary.count);
  /** numpy's linear percentile, from the two order statistics around it. */
  const percentile = async (q: number): Promise<number | null> => {
    if (traceCount === 0) return null;
    const position = (traceCount - 1) * q;
    const below = Math.floor(position);
    const rows = await traces
      .select(latency.as('latency'))
      .orderBy(latency)
      .limit(below + 1 < traceCount ? 2 : 1)
      .offset(below)
      .execute();
    const a = Number(rows[0]!.latency);
    const b = Number((rows[1] ?? rows[0])!.latency);
    return (a + (b - a) * (position - below)) / 1000;
  };

  const spans = await traces
    .innerJoin('spans', 'spans.trace_rowid', 'traces.id')
    .select(sql<number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow();

  const tokens = await tokenTotals(store, project.id, range);

  let sessions = db
    .selectFrom('project_sessions')
    .where('project_id', '=', project.id)
    .select(sql<number>`count(*)`.as('count'));
  // A session counts when it overlaps the range.
  if (range.start !== undefined) sessions = sessions.where('end_time', '>=', range.start);
  if (range.end !== undefined) sessions = sessions.where('start_time', '<', range.end);
  const sessionCount = await sessions.executeTakeFirstOrThrow();

  return {
    id: globalId('Project', project.id),
    name: project.name,
    description: project.description,
    trace_count: traceCount,
    span_count: Number(spans.count),
    session_count: Number(sessionCount.count),
    latency_ms_p50: await percentile(0.5),
    latency_ms_p99: await percentile(0.99),
    token_count_prompt: tokens.prompt,
    token_count_completion: tokens.completion,
    token_count_total: tokens.prompt + tokens.completion,
    last_activity: summary.last === null ? null : iso(Number(summary.last)),
    created_at: iso(project.created_at),
  };
}

/**
 * Tokens of the project's traces. Root spans carry their trace's cumulative counts, but reading a
 * million of them is slow (the counts sit behind the attributes); the sessions' rollups already
 * hold the sums of their traces, so without a time range only traces outside sessions are read.
 */
async function tokenTotals(
  store: ReadStore,
  projectId: number,
  range: TimeRange,
): Promise<{ prompt: number; completion: number }> {
  const open = range.start === undefined && range.end === undefined;
  let roots = store.db
    .selectFrom('traces')
    .innerJoin('spans', 'spans.trace_rowid', 'traces.id')
    .where('traces.project_id', '=', projectId)
    .where(IS_ROOT_SPAN)
    .select([
      sql<number | null>`sum(spans.cumulative_llm_token_count_prompt)`.as('prompt'),
      sql<number | null>`sum(spans.cumulative_llm_token_count_completion)`.as('completion'),
    ]);
  if (range.start !== undefined) roots = roots.where('traces.start_time', '>=', range.start);
  if (range.end !== undefined) roots = roots.where('traces.start_time', '<', range.end);
  if (!open) {
    const all = await roots.executeTakeFirstOrThrow();
    return { prompt: Number(all.prompt ?? 0), completion: Number(all.completion ?? 0) };
  }
  const loose = await roots.where('traces.project_session_id', 'is', null).executeTakeFirstOrThrow();
  const inSessions = await store.db
    .selectFrom('project_sessions')
    .where('project_id', '=', projectId)
    .select([
      sql<number | null>`sum(token_count_prompt)`.as('prompt'),
      sql<number | null>`sum(token_count_completion)`.as('completion'),
    ])
    .executeTakeFirstOrThrow();
  return {
    prompt: Number(loose.prompt ?? 0) + Number(inSessions.prompt ?? 0),
    completion: Number(loose.completion ?? 0) + Number(inSessions.completion ?? 0),
  };
}

interface Cached {
  stats: UiProjectStats;
  version: string;
}

/**
 * Figures are recomputed only when spans arrived (or traces went) since; concurrent requests for
 * the same figures share one computation. (While data streams in, the UI asks at most every few
 * seconds: see the live provider.)
 */
export class ProjectStatsCache {
  private readonly cache = new Map<string, Cached>();
  private readonly running = new Map<string, Promise<UiProjectStats>>();

  constructor(private readonly store: ReadStore) {}

  async get(project: ProjectRow, range: TimeRange): Promise<UiProjectStats> {
    const key = JSON.stringify([project.id, project.name, project.description, range.start, range.end]);
    const version = await this.version();
    const cached = this.cache.get(key);
    if (cached?.version === version) return cached.stats;
    let running = this.running.get(key);
    if (!running) {
      running = projectStats(this.store, project, range).finally(() => this.running.delete(key));
      this.running.set(key, running);
      const stats = await running;
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(key, { stats, version });
      return stats;
    }
    return running;
  }

  async all(range: TimeRange): Promise<UiProjectStats[]> {
    const projects = await this.store.db
      .selectFrom('projects')
      .select(['id', 'name', 'description', 'created_at'])
      .orderBy('name')
      .execute();
    return Promise.all(projects.map((project) => this.get(project, range)));
  }

  /** Changes when spans arrive (the newest row id) or traces go (their count). */
  private async version(): Promise<string> {
    const row = await this.store.db
      .selectNoFrom([
        sql<number | null>`(select max(id) from spans)`.as('spans'),
        sql<number>`(select count(*) from traces)`.as('traces'),
      ])
      .executeTakeFirstOrThrow();
    return `${row.spans ?? 0}:${row.traces}`;
  }
}
