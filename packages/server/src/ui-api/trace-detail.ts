import type { SpanEventRecord } from '../model/span-record.js';
import { parseJsonColumn } from '../store/repositories/json.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';
import { annotationsOf } from './annotation-reads.js';
import { globalId, iso, millisBetween } from './ids.js';
import type { UiSpanDetail, UiTrace } from './wire.js';

/** Spans sent with a trace at most: a trace larger than this is cut (and says so). */
export const TRACE_SPAN_LIMIT = 5000;

/** A trace with its spans (attributes, events) and every annotation on it and its spans. */
export async function traceDetail(store: ReadStore, traceId: string): Promise<UiTrace> {
  const { db } = store;
  const trace = await db
    .selectFrom('traces')
    .innerJoin('projects', 'projects.id', 'traces.project_id')
    .leftJoin('project_sessions', 'project_sessions.id', 'traces.project_session_id')
    .where('traces.trace_id', '=', traceId)
    .select([
      'traces.id',
      'traces.trace_id',
      'traces.start_time',
      'traces.end_time',
      'projects.id as project_rowid',
      'projects.name as project_name',
      'project_sessions.session_id',
    ])
    .executeTakeFirst();
  if (!trace) throw new HttpError(404, `Trace with trace_id ${traceId} not found`);

  const rows = await db
    .selectFrom('spans')
    .where('trace_rowid', '=', trace.id)
    .selectAll()
    .orderBy('start_time')
    .orderBy('id')
    .limit(TRACE_SPAN_LIMIT + 1)
    .execute();
  const spans = rows.slice(0, TRACE_SPAN_LIMIT);
  const spanCount =
    rows.length > TRACE_SPAN_LIMIT
      ? Number(
          (
            await db
              .selectFrom('spans')
              .where('trace_rowid', '=', trace.id)
              .select((eb) => eb.fn.countAll().as('count'))
              .executeTakeFirstOrThrow()
          ).count,
        )
      : spans.length;

  const details: UiSpanDetail[] = spans.map((s) => ({
    span_id: s.span_id,
    parent_id: s.parent_id,
    name: s.name,
    span_kind: s.span_kind,
    status_code: s.status_code as UiSpanDetail['status_code'],
    status_message: s.status_message,
    start_time: iso(s.start_time),
    end_time: iso(s.end_time),
    start_us: Number(s.start_time),
    end_us: Number(s.end_time),
    latency_ms: millisBetween(s.start_time, s.end_time),
    attributes: parseJsonColumn<Record<string, unknown>>(s.attributes),
    events: parseJsonColumn<SpanEventRecord[]>(s.events),
    token_count_prompt: Number(s.llm_token_count_prompt),
    token_count_completion: Number(s.llm_token_count_completion),
    cumulative_token_count_prompt: Number(s.cumulative_llm_token_count_prompt),
    cumulative_token_count_completion: Number(s.cumulative_llm_token_count_completion),
    cumulative_error_count: Number(s.cumulative_error_count),
  }));

  return {
    id: globalId('Trace', trace.id),
    trace_id: trace.trace_id,
    project_id: globalId('Project', trace.project_rowid),
    project_name: trace.project_name,
    session_id: trace.session_id ?? null,
    start_time: iso(trace.start_time),
    end_time: iso(trace.end_time),
    start_us: Number(trace.start_time),
    end_us: Number(trace.end_time),
    latency_ms: millisBetween(trace.start_time, trace.end_time),
    spans: details,
    span_count: spanCount,
    truncated: rows.length > TRACE_SPAN_LIMIT,
    trace_annotations: await annotationsOf(store, 'trace', new Map([[trace.id, trace.trace_id]])),
    span_annotations: await annotationsOf(store, 'span', new Map(spans.map((s) => [s.id, s.span_id]))),
  };
}
