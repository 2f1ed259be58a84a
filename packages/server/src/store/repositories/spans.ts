import { type Expression, type SqlBool, sql } from 'kysely';
import { type AttributeValue, jsonValueAt } from './json.js';
import type { ReadStore } from './read-store.js';

export interface SpanRow {
  id: number;
  trace_rowid: number;
  trace_id: string;
  span_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  start_time: number;
  end_time: number;
  /** JSON: text in SQLite, parsed in PostgreSQL (see parseJsonColumn). */
  attributes: unknown;
  events: unknown;
  status_code: string;
  status_message: string;
}

export interface SpanFilter {
  projectId: number;
  /** start_time ≥ this (micros). */
  startFrom: number | null;
  /** start_time < this (micros). */
  startBefore: number | null;
  traceIds: string[] | null;
  spanIds: string[] | null;
  /** A parent span id, or null for root spans only; undefined: any. */
  parentId?: string | null;
  names: string[] | null;
  spanKinds: string[] | null;
  statusCodes: string[] | null;
  /** Attribute path (split on dots) and the value it must hold; all must match. */
  attributes: { path: string[]; value: AttributeValue }[];
  /** Rows with an id at most this (the cursor names the first row of the page). */
  fromId: number | null;
  /** A compiled query-language filter over `spans` and `traces` (see query/filter-parameter.ts). */
  where?: Expression<SqlBool> | undefined;
  fetch: number;
}

const SPAN_COLUMNS = [
  'spans.id',
  'spans.trace_rowid',
  'traces.trace_id',
  'spans.span_id',
  'spans.parent_id',
  'spans.name',
  'spans.span_kind',
  'spans.start_time',
  'spans.end_time',
  'spans.attributes',
  'spans.events',
  'spans.status_code',
  'spans.status_message',
] as const;

/**
 * Root spans: `parent_id IS NULL` written so that no index on parent_id is used for it (a third of
 * all spans are roots: SQLite would rather walk that index than the one the other filters offer).
 */
const isRoot = sql<SqlBool>`coalesce(spans.parent_id, '') = ''`;

/**
 * A project's spans, newest first (by id), as Phoenix lists them. Without trace ids, spans are
 * walked newest first and their traces looked up (SQLite keeps CROSS JOIN's order), which stops
 * after one page; with trace ids, the traces are found first and only their spans read.
 */
export async function listSpans(store: ReadStore, f: SpanFilter): Promise<SpanRow[]> {
  const from = store.db.selectFrom('spans');
  const joined = f.traceIds?.length
    ? from.innerJoin('traces', 'traces.id', 'spans.trace_rowid')
    : from.crossJoin('traces').whereRef('traces.id', '=', 'spans.trace_rowid');
  let q = joined
    .select(SPAN_COLUMNS)
    .where('traces.project_id', '=', f.projectId)
    .orderBy('spans.id', 'desc')
    .limit(f.fetch);
  if (f.startFrom !== null) q = q.where('spans.start_time', '>=', f.startFrom);
  if (f.startBefore !== null) q = q.where('spans.start_time', '<', f.startBefore);
  if (f.traceIds?.length) q = q.where('traces.trace_id', 'in', f.traceIds);
  if (f.spanIds?.length) q = q.where('spans.span_id', 'in', f.spanIds);
  if (f.parentId === null) q = q.where(isRoot);
  else if (f.parentId !== undefined) {
    q = q.where('spans.parent_id', '=', f.parentId);
    // Children are in their parent's trace: with the parent stored, ix_spans_trace_parent finds them.
    const parent = await store.db
      .selectFrom('spans')
      .select('trace_rowid')
      .where('span_id', '=', f.parentId)
      .executeTakeFirst();
    if (parent) q = q.where('spans.trace_rowid', '=', parent.trace_rowid);
  }
  if (f.names?.length) q = q.where('spans.name', 'in', f.names);
  if (f.spanKinds?.length) q = q.where('spans.span_kind', 'in', f.spanKinds);
  if (f.statusCodes?.length) q = q.where('spans.status_code', 'in', f.statusCodes);
  for (const { path, value } of f.attributes) {
    q = q.where(jsonValueAt(store.dialect, sql.ref('spans.attributes'), path, value));
  }
  if (f.where) q = q.where(f.where);
  if (f.fromId !== null) q = q.where('spans.id', '<=', f.fromId);
  return (await q.execute()) as SpanRow[];
}

/** Which of these span ids are stored (anywhere). */
export async function storedSpanIds({ db }: ReadStore, spanIds: readonly string[]): Promise<Set<string>> {
  if (spanIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('spans')
    .select('span_id')
    .where('span_id', 'in', [...spanIds])
    .execute();
  return new Set(rows.map((r) => r.span_id));
}

/**
 * The root span of each of these traces (the earliest one when a trace has several), with its
 * attributes: what a session's turns show.
 */
export async function rootSpansOfTraces(
  store: ReadStore,
  traceRowIds: readonly number[],
): Promise<Map<number, SpanRow>> {
  if (traceRowIds.length === 0) return new Map();
  const rows = (await store.db
    .selectFrom('spans')
    .innerJoin('traces', 'traces.id', 'spans.trace_rowid')
    .select(SPAN_COLUMNS)
    .where('spans.trace_rowid', 'in', [...traceRowIds])
    .where(isRoot)
    .orderBy('spans.start_time')
    .orderBy('spans.id')
    .execute()) as SpanRow[];
  const roots = new Map<number, SpanRow>();
  for (const row of rows) if (!roots.has(row.trace_rowid)) roots.set(row.trace_rowid, row);
  return roots;
}
