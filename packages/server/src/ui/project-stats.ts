import { sql } from 'kysely';
import type { ReadStore } from '../store/repositories/read-store.js';
import { globalId, iso, type ProjectRef } from './ids.js';
import type { TimeRange } from './params.js';
import { quantiles } from './quantile.js';
import type { UiProjectStats } from './wire.js';

/**
 * Per-project figures for the projects page and a project's header. Counted over traces that start
 * within the time range (all when open). Everything reads indexes or the small traces table except
 * the span count (an index scan of the project's spans) and token totals (root spans only).
 */
export async function projectStats(
  store: ReadStore,
  project: ProjectRef & { description: string | null; created_at: number },
  range: TimeRange,
): Promise<UiProjectStats> {
  const { db } = store;
  let traces = db.selectFrom('traces').where('traces.project_id', '=', project.id);
  if (range.start !== undefined) traces = traces.where('traces.start_time', '>=', range.start);
  if (range.end !== undefined) traces = traces.where('traces.start_time', '<', range.end);

  const latencies = await traces
    .select([sql<number>`traces.end_time - traces.start_time`.as('latency'), 'traces.end_time'])
    .execute();
  let lastActivity: number | null = null;
  const latencyMs: number[] = new Array(latencies.length);
  for (let i = 0; i < latencies.length; i++) {
    const row = latencies[i]!;
    latencyMs[i] = Number(row.latency) / 1000;
    if (lastActivity === null || row.end_time > lastActivity) lastActivity = row.end_time;
  }
  const [p50, p99] = quantiles(latencyMs, [0.5, 0.99]);

  const spans = await traces
    .innerJoin('spans', 'spans.trace_rowid', 'traces.id')
    .select(sql<number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow();
  const tokens = await traces
    .innerJoin('spans', 'spans.trace_rowid', 'traces.id')
    .where('spans.parent_id', 'is', null)
    .select([
      sql<number | null>`sum(spans.cumulative_llm_token_count_prompt)`.as('prompt'),
      sql<number | null>`sum(spans.cumulative_llm_token_count_completion)`.as('completion'),
    ])
    .executeTakeFirstOrThrow();

  let sessions = db
    .selectFrom('project_sessions')
    .where('project_id', '=', project.id)
    .select(sql<number>`count(*)`.as('count'));
  // A session counts when it overlaps the range.
  if (range.start !== undefined) sessions = sessions.where('end_time', '>=', range.start);
  if (range.end !== undefined) sessions = sessions.where('start_time', '<', range.end);
  const sessionCount = await sessions.executeTakeFirstOrThrow();

  const prompt = Number(tokens.prompt ?? 0);
  const completion = Number(tokens.completion ?? 0);
  return {
    id: globalId('Project', project.id),
    name: project.name,
    description: project.description,
    trace_count: latencies.length,
    span_count: Number(spans.count),
    session_count: Number(sessionCount.count),
    latency_ms_p50: p50 ?? null,
    latency_ms_p99: p99 ?? null,
    token_count_prompt: prompt,
    token_count_completion: completion,
    token_count_total: prompt + completion,
    last_activity: lastActivity === null ? null : iso(lastActivity),
    created_at: iso(project.created_at),
  };
}

export async function allProjectStats(store: ReadStore, range: TimeRange): Promise<UiProjectStats[]> {
  const projects = await store.db
    .selectFrom('projects')
    .select(['id', 'name', 'description', 'created_at'])
    .orderBy('name')
    .execute();
  const stats: UiProjectStats[] = [];
  for (const project of projects) stats.push(await projectStats(store, project, range));
  return stats;
}
