import { parseFilter, QueryError } from '@fawkes/query';
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { RulePass } from '../cost/price-rules.js';
import { compileSpanFilter } from '../span-query/compile-filter.js';
import type { QueryDialect } from '../span-query/dialect.js';
import { postgresDialect } from '../span-query/postgres-dialect.js';
import { sqliteDialect } from '../span-query/sqlite-dialect.js';
import { projectRulePasses } from '../store/repositories/costs.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';
import { chipsBy } from './annotation-reads.js';
import { IS_ROOT_SPAN, iso, millisBetween, type ProjectRef, preview } from './ids.js';
import { firstOutputMessage, lastUserMessage } from './message-preview.js';
import { decodeCursor, encodeCursor, type TimeRange } from './params.js';
import { NO_COST, spanCostSortKey, spanCosts, traceCostSortKey, traceCosts } from './table-costs.js';
import type { SortOrder, UiSpanPage, UiSpanRow, UiSpanSort } from './wire.js';

type ColumnSort = Exclude<UiSpanSort, 'cost_total'>;

const SPAN_SORT_EXPRESSIONS: Record<ColumnSort, RawBuilder<string | number>> = {
  start_time: sql`spans.start_time`,
  latency_ms: sql`(spans.end_time - spans.start_time)`,
  name: sql`spans.name`,
  span_kind: sql`spans.span_kind`,
  status_code: sql`spans.status_code`,
  token_count_total: sql`(spans.cumulative_llm_token_count_prompt + spans.cumulative_llm_token_count_completion)`,
};

/** The traces table (root spans) sorts by the trace's own start and latency: the traces index serves it. */
const TRACE_SORT_EXPRESSIONS: Record<ColumnSort, RawBuilder<string | number>> = {
  ...SPAN_SORT_EXPRESSIONS,
  start_time: sql`traces.start_time`,
  latency_ms: sql`(traces.end_time - traces.start_time)`,
};

/**
 * What a table sorts by. Cost is computed on read (cost/cost-sql.ts): a span's own cost in the
 * spans table, the sum over the trace's spans in the traces table, so sorting by it computes it for
 * every row in range (bench/README.md measures it).
 */
function sortExpression(
  sort: UiSpanSort,
  rootsOnly: boolean,
  passes: readonly RulePass[],
  dialect: QueryDialect,
): RawBuilder<string | number> {
  if (sort === 'cost_total') {
    return rootsOnly ? traceCostSortKey(passes, dialect) : spanCostSortKey(passes, dialect);
  }
  return (rootsOnly ? TRACE_SORT_EXPRESSIONS : SPAN_SORT_EXPRESSIONS)[sort];
}

/** Characters of input / output sent with a row: what a cell and its tooltip show. */
export const PREVIEW_LENGTH = 160;

export function queryDialect(store: ReadStore): QueryDialect {
  return store.dialect === 'postgresql' ? postgresDialect : sqliteDialect;
}

export interface SpanTableQuery {
  project: ProjectRef;
  /** Root spans only: the traces table. */
  rootsOnly: boolean;
  /** A filter expression of the query language, or undefined. */
  filter: string | undefined;
  sort: UiSpanSort;
  order: SortOrder;
  range: TimeRange;
  cursor: string | undefined;
  limit: number;
}

/** The condition a filter compiles to; 422 with the position and what was expected when invalid. */
export function filterCondition(filter: string, dialect: QueryDialect): RawBuilder<SqlBool> {
  try {
    return compileSpanFilter(parseFilter(filter).condition, dialect);
  } catch (error) {
    if (error instanceof QueryError) throw new HttpError(422, error.message);
    throw error;
  }
}

/** What a row is read from: the span and its trace. */
interface SpanTableRow {
  id: number;
  span_id: string;
  trace_id: string;
  trace_rowid: number;
  project_session_id: number | null;
  parent_id: string | null;
  name: string;
  span_kind: string;
  status_code: string;
  status_message: string;
  start_time: number;
  end_time: number;
  trace_start_time: number;
  trace_end_time: number;
  cumulative_llm_token_count_prompt: number;
  cumulative_llm_token_count_completion: number;
  model_name: string | null;
  user_id: string | null;
  input: string | null;
  output: string | null;
}

function spanColumns(dialect: QueryDialect) {
  const attribute = (...path: string[]) => dialect.jsonScalar(sql.ref('spans.attributes'), path, 'string');
  return [
    'spans.id',
    'spans.span_id',
    'traces.trace_id',
    'spans.trace_rowid',
    'traces.project_session_id',
    'spans.parent_id',
    'spans.name',
    'spans.span_kind',
    'spans.status_code',
    'spans.status_message',
    'spans.start_time',
    'spans.end_time',
    'traces.start_time as trace_start_time',
    'traces.end_time as trace_end_time',
    'spans.cumulative_llm_token_count_prompt',
    'spans.cumulative_llm_token_count_completion',
    attribute('llm', 'model_name').as('model_name'),
    attribute('user', 'id').as('user_id'),
    preview(sql`coalesce(${attribute('input', 'value')}, ${lastUserMessage(dialect)})`, PREVIEW_LENGTH).as(
      'input',
    ),
    preview(
      sql`coalesce(${attribute('output', 'value')}, ${firstOutputMessage(dialect)})`,
      PREVIEW_LENGTH,
    ).as('output'),
  ] as const;
}

/**
 * One page of a project's spans (or root spans: the traces table), sorted, filtered, and paged by
 * keyset: the cursor holds the sort value and row id of the last row sent, so page N costs what
 * page 1 costs.
 */
export async function spanTablePage(store: ReadStore, query: SpanTableQuery): Promise<UiSpanPage> {
  const filtered = query.filter !== undefined && query.filter.trim() !== '';
  if (query.rootsOnly && !filtered && (query.sort === 'start_time' || query.sort === 'latency_ms')) {
    return tracesFirstPage(store, query);
  }
  const dialect = queryDialect(store);
  const passes = await projectRulePasses(store, query.project.id);
  const sortBy = sortExpression(query.sort, query.rootsOnly, passes, dialect);
  const direction = query.order === 'asc' ? sql`asc` : sql`desc`;
  const after = decodeCursor(query.cursor);

  // The join order is forced (CROSS JOIN: SQLite keeps it) so that a page costs a page. Traces
  // table: the project's traces, each to its root span. Spans table, by start: the spans'
  // start-time index, newest first, keeping the project's. Left to itself SQLite would start from
  // the project's traces or from all root spans, and sort them all. Traces table by tokens,
  // unfiltered: the root spans' token index (migration 0013), largest first, keeping the project's.
  const base =
    query.rootsOnly && query.sort === 'token_count_total' && !filtered
      ? store.db
          .selectFrom('spans')
          .crossJoin('traces')
          .whereRef('traces.id', '=', 'spans.trace_rowid')
          .where(IS_ROOT_SPAN)
      : query.rootsOnly
        ? store.db
            .selectFrom('traces')
            .crossJoin('spans')
            .whereRef('spans.trace_rowid', '=', 'traces.id')
            .where(IS_ROOT_SPAN)
        : query.sort === 'start_time'
          ? store.db.selectFrom('spans').crossJoin('traces').whereRef('traces.id', '=', 'spans.trace_rowid')
          : store.db.selectFrom('spans').innerJoin('traces', 'traces.id', 'spans.trace_rowid');
  const startColumn = query.rootsOnly ? 'traces.start_time' : 'spans.start_time';
  let q = base.where('traces.project_id', '=', query.project.id);
  if (query.range.start !== undefined) q = q.where(startColumn, '>=', query.range.start);
  if (query.range.end !== undefined) q = q.where(startColumn, '<', query.range.end);
  if (filtered) q = q.where(filterCondition(query.filter!, dialect));
  if (after !== null) q = q.where(keysetCondition(sortBy, sql`spans.id`, query.order, after));

  const rows = (await q
    .select([...spanColumns(dialect), sortBy.as('sort_value')])
    .orderBy(sql`${sortBy} ${direction}`)
    .orderBy(sql`spans.id ${direction}`)
    .limit(query.limit + 1)
    .execute()) as (SpanTableRow & { sort_value: string | number })[];
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    data: await toUiRows(store, page, query.rootsOnly, passes),
    next_cursor:
      rows.length > query.limit && last
        ? encodeCursor(cursorValue(query.sort, last.sort_value), last.id)
        : null,
  };
}

/**
 * The traces table sorted by the traces' own start or latency, unfiltered: a page of the project's
 * traces first (their index, or a sort of the small traces table), then their root spans. Joining
 * first would fetch every trace's root span before sorting.
 */
async function tracesFirstPage(store: ReadStore, query: SpanTableQuery): Promise<UiSpanPage> {
  const dialect = queryDialect(store);
  const sortBy = TRACE_SORT_EXPRESSIONS[query.sort as 'start_time' | 'latency_ms'];
  const direction = query.order === 'asc' ? sql`asc` : sql`desc`;
  const after = decodeCursor(query.cursor);
  let q = store.db.selectFrom('traces').where('traces.project_id', '=', query.project.id);
  if (query.range.start !== undefined) q = q.where('traces.start_time', '>=', query.range.start);
  if (query.range.end !== undefined) q = q.where('traces.start_time', '<', query.range.end);
  if (after !== null) q = q.where(keysetCondition(sortBy, sql`traces.id`, query.order, after));
  const traces = await q
    .select(['traces.id', sortBy.as('sort_value')])
    .orderBy(sql`${sortBy} ${direction}`)
    .orderBy(sql`traces.id ${direction}`)
    .limit(query.limit + 1)
    .execute();
  const pageTraces = traces.slice(0, query.limit);
  const roots = pageTraces.length
    ? ((await store.db
        .selectFrom('spans')
        .innerJoin('traces', 'traces.id', 'spans.trace_rowid')
        .where(
          'spans.trace_rowid',
          'in',
          pageTraces.map((t) => t.id),
        )
        .where(IS_ROOT_SPAN)
        .select(spanColumns(dialect))
        .orderBy('spans.id')
        .execute()) as SpanTableRow[])
    : [];
  // In the traces' order; a trace whose root span has not arrived yet has no row.
  const byTrace = new Map<number, SpanTableRow[]>();
  for (const root of roots) byTrace.set(root.trace_rowid, [...(byTrace.get(root.trace_rowid) ?? []), root]);
  const page = pageTraces.flatMap((t) => byTrace.get(t.id) ?? []);
  const last = pageTraces[pageTraces.length - 1];
  return {
    data: await toUiRows(store, page, true, await projectRulePasses(store, query.project.id)),
    next_cursor:
      traces.length > query.limit && last ? encodeCursor(last.sort_value as string | number, last.id) : null,
  };
}

/** A cost sort key read back as a number (PostgreSQL's driver gives a bigint as text). */
function cursorValue(sort: UiSpanSort, value: string | number): string | number {
  return sort === 'cost_total' ? Number(value) : value;
}

/** Rows as the tables show them, with their annotation chips, note counts, costs and models. */
async function toUiRows(
  store: ReadStore,
  page: SpanTableRow[],
  rootsOnly: boolean,
  passes: readonly RulePass[],
): Promise<UiSpanRow[]> {
  const dialect = queryDialect(store);
  const traceRowIds = [...new Set(page.map((r) => r.trace_rowid))];
  const costs = rootsOnly
    ? await traceCosts(store, passes, dialect, traceRowIds)
    : await spanCosts(
        store,
        passes,
        dialect,
        page.map((r) => r.id),
      );
  const traceModels = rootsOnly ? await modelsOfTraces(store, traceRowIds) : new Map<number, string>();
  const sessionIds = await sessionIdsOf(store, page);
  const spanChips = await chipsBy(
    store,
    'span',
    page.map((r) => r.id),
  );
  const noteCounts = page.length
    ? await store.db
        .selectFrom('span_annotations')
        .where(
          'span_rowid',
          'in',
          page.map((r) => r.id),
        )
        .where('name', '=', 'note')
        .groupBy('span_rowid')
        .select(['span_rowid', sql<number>`count(*)`.as('count')])
        .execute()
    : [];
  const notesBySpan = new Map(noteCounts.map((n) => [n.span_rowid, Number(n.count)]));
  const traceChips = await chipsBy(
    store,
    'trace',
    page.filter((r) => r.parent_id === null).map((r) => r.trace_rowid),
  );
  return page.map((r) => {
    const prompt = Number(r.cumulative_llm_token_count_prompt);
    const completion = Number(r.cumulative_llm_token_count_completion);
    // A row of the traces table is the trace: its start and latency (what it is sorted by).
    const start = rootsOnly ? r.trace_start_time : r.start_time;
    const end = rootsOnly ? r.trace_end_time : r.end_time;
    const cost = costs.get(rootsOnly ? r.trace_rowid : r.id) ?? NO_COST;
    return {
      span_id: r.span_id,
      trace_id: r.trace_id,
      parent_id: r.parent_id,
      name: r.name,
      span_kind: r.span_kind,
      status_code: r.status_code as UiSpanRow['status_code'],
      status_message: r.status_message,
      start_time: iso(start),
      end_time: iso(end),
      latency_ms: millisBetween(start, end),
      token_count_prompt: prompt,
      token_count_completion: completion,
      token_count_total: prompt + completion,
      ...cost,
      model_name: (rootsOnly ? traceModels.get(r.trace_rowid) : r.model_name) ?? null,
      session_id: r.project_session_id === null ? null : (sessionIds.get(r.project_session_id) ?? null),
      user_id: r.user_id,
      input: r.input,
      output: r.output,
      annotations: [
        ...(r.parent_id === null ? (traceChips.get(r.trace_rowid) ?? []) : []),
        ...(spanChips.get(r.id) ?? []),
      ],
      note_count: notesBySpan.get(r.id) ?? 0,
    };
  });
}

/** The distinct `llm.model_name`s of each trace's spans, in order of first use, joined by ", ". */
async function modelsOfTraces(store: ReadStore, traceRowIds: number[]): Promise<Map<number, string>> {
  const models = new Map<number, string>();
  if (traceRowIds.length === 0) return models;
  const model = sql<
    string | null
  >`${queryDialect(store).jsonScalar(sql.ref('spans.attributes'), ['llm', 'model_name'], 'string')}`;
  const rows = await store.db
    .selectFrom('spans')
    .where('spans.trace_rowid', 'in', traceRowIds)
    .where(sql<SqlBool>`${model} is not null`)
    .select(['spans.trace_rowid', model.as('model_name')])
    .orderBy('spans.start_time')
    .orderBy('spans.id')
    .execute();
  const lists = new Map<number, string[]>();
  for (const row of rows) {
    const name = row.model_name?.trim();
    if (!name) continue;
    const list = lists.get(row.trace_rowid) ?? [];
    if (!list.includes(name)) list.push(name);
    lists.set(row.trace_rowid, list);
  }
  for (const [trace, list] of lists) models.set(trace, list.join(', '));
  return models;
}

/** The session ids of the rows' traces, by session row id. */
async function sessionIdsOf(store: ReadStore, page: SpanTableRow[]): Promise<Map<number, string>> {
  const ids = [
    ...new Set(page.flatMap((r) => (r.project_session_id === null ? [] : [r.project_session_id]))),
  ];
  if (ids.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('project_sessions')
    .where('id', 'in', ids)
    .select(['id', 'session_id'])
    .execute();
  return new Map(rows.map((r) => [r.id, r.session_id]));
}

/** Rows after (sort value, id) in the given order, written so that an index on the sort column serves it. */
function keysetCondition(
  sortBy: RawBuilder<string | number>,
  rowId: RawBuilder<unknown>,
  order: SortOrder,
  after: { value: string | number; rowId: number },
): Expression<SqlBool> {
  const op = order === 'asc' ? sql`>` : sql`<`;
  const opOrEqual = order === 'asc' ? sql`>=` : sql`<=`;
  return sql<SqlBool>`(${sortBy} ${opOrEqual} ${after.value} and (${sortBy} ${op} ${after.value} or ${rowId} ${op} ${after.rowId}))`;
}
