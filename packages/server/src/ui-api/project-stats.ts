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
 * within the time range (all when open). One statement, so one snapshot on both databases: traces
 * deleted meanwhile cannot make a percentile's offset (from the count) point past the rows.
 * Costs, at 1M spans in one project: the span count is an index scan of the project's spans;
 * percentiles sort the traces table (small rows); tokens come from the sessions' write-time rollups
 * plus the root spans of traces outside any session.
 */
export async function projectStats(
  store: ReadStore,
  project: ProjectRow,
  range: TimeRange,
): Promise<UiProjectStats> {
  const inRange = (alias: string) => {
    const conditions = [sql`${sql.ref(`${alias}.project_id`)} = ${project.id}`];
    if (range.start !== undefined) conditions.push(sql`${sql.ref(`${alias}.start_time`)} >= ${range.start}`);
    if (range.end !== undefined) conditions.push(sql`${sql.ref(`${alias}.start_time`)} < ${range.end}`);
    return sql.join(conditions, sql` and `);
  };
  const latency = sql`(t.end_time - t.start_time)`;
  /** The order statistic at floor((n - 1) · percent / 100) (+ 1 for the one above), in integers on both databases. */
  const orderStatistic = (percent: number, above: 0 | 1) => sql<number | null>`(
    select ${latency} from traces t where ${inRange('t')} order by ${latency}
    limit 1 offset (select case when count(*) = 0 then 0 else
      (count(*) - 1) * ${sql.lit(percent)} / 100 + ${sql.lit(above)} end from traces t where ${inRange('t')}))`;

  const open = range.start === undefined && range.end === undefined;
  const rootTokens = (column: string) => sql<number | null>`(
    select sum(${sql.ref(`spans.${column}`)}) from traces t join spans on spans.trace_rowid = t.id
    where ${inRange('t')} and ${IS_ROOT_SPAN}${open ? sql` and t.project_session_id is null` : sql``})`;
  // Without a range, the sessions' rollups hold the sums of their traces.
  const sessionTokens = (column: string) =>
    open
      ? sql<
          number | null
        >`(select sum(${sql.ref(column)}) from project_sessions where project_id = ${project.id})`
      : sql<number | null>`0`;
  // A session counts when it overlaps the range.
  const sessionConditions = [sql`project_id = ${project.id}`];
  if (range.start !== undefined) sessionConditions.push(sql`end_time >= ${range.start}`);
  if (range.end !== undefined) sessionConditions.push(sql`start_time < ${range.end}`);

  const row = await store.db
    .selectNoFrom([
      sql<number>`(select count(*) from traces t where ${inRange('t')})`.as('trace_count'),
      sql<number | null>`(select max(t.end_time) from traces t where ${inRange('t')})`.as('last'),
      sql<number>`(select count(*) from traces t join spans on spans.trace_rowid = t.id where ${inRange('t')})`.as(
        'span_count',
      ),
      sql<number>`(select count(*) from project_sessions where ${sql.join(sessionConditions, sql` and `)})`.as(
        'session_count',
      ),
      orderStatistic(50, 0).as('p50_low'),
      orderStatistic(50, 1).as('p50_high'),
      orderStatistic(99, 0).as('p99_low'),
      orderStatistic(99, 1).as('p99_high'),
      rootTokens('cumulative_llm_token_count_prompt').as('roots_prompt'),
      rootTokens('cumulative_llm_token_count_completion').as('roots_completion'),
      sessionTokens('token_count_prompt').as('sessions_prompt'),
      sessionTokens('token_count_completion').as('sessions_completion'),
    ])
    .executeTakeFirstOrThrow();

  const traceCount = Number(row.trace_count);
  /** numpy's linear percentile, from the two order statistics around it (the fraction in integers, as in SQL). */
  const percentile = (percent: number, low: number | null, high: number | null): number | null => {
    if (traceCount === 0 || low === null) return null;
    const fraction = (((traceCount - 1) * percent) % 100) / 100;
    const a = Number(low);
    const b = Number(high ?? low);
    return (a + (b - a) * fraction) / 1000;
  };
  const prompt = Number(row.roots_prompt ?? 0) + Number(row.sessions_prompt ?? 0);
  const completion = Number(row.roots_completion ?? 0) + Number(row.sessions_completion ?? 0);
  return {
    id: globalId('Project', project.id),
    name: project.name,
    description: project.description,
    trace_count: traceCount,
    span_count: Number(row.span_count),
    session_count: Number(row.session_count),
    latency_ms_p50: percentile(50, row.p50_low, row.p50_high),
    latency_ms_p99: percentile(99, row.p99_low, row.p99_high),
    token_count_prompt: prompt,
    token_count_completion: completion,
    token_count_total: prompt + completion,
    last_activity: row.last === null ? null : iso(Number(row.last)),
    created_at: iso(project.created_at),
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
