import { parseFilter, QueryError } from '@fawkes/query';
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { compileSpanFilter } from '../query/compile-filter.js';
import type { QueryDialect } from '../query/dialect.js';
import { postgresDialect } from '../query/postgres-dialect.js';
import { sqliteDialect } from '../query/sqlite-dialect.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';
import { chipsBy } from './annotation-reads.js';
import { iso, millisBetween, type ProjectRef, preview } from './ids.js';
import { decodeCursor, encodeCursor, type TimeRange } from './params.js';
import type { SortOrder, UiSpanPage, UiSpanRow, UiSpanSort } from './wire.js';

export const SPAN_SORTS: readonly UiSpanSort[] = [
  'start_time',
  'latency_ms',
  'name',
  'span_kind',
  'status_code',
  'token_count_total',
];

const SORT_EXPRESSIONS: Record<UiSpanSort, RawBuilder<string | number>> = {
  start_time: sql`spans.start_time`,
  latency_ms: sql`(spans.end_time - spans.start_time)`,
  name: sql`spans.name`,
  span_kind: sql`spans.span_kind`,
  status_code: sql`spans.status_code`,
  token_count_total: sql`(spans.cumulative_llm_token_count_prompt + spans.cumulative_llm_token_count_completion)`,
};

export const PREVIEW_LENGTH = 300;

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

/**
 * One page of a project's spans (or root spans), sorted, filtered, and paged by keyset: the cursor
 * holds the sort value and row id of the last row sent, so page N costs what page 1 costs.
 */
export async function spanTablePage(store: ReadStore, query: SpanTableQuery): Promise<UiSpanPage> {
  const dialect = queryDialect(store);
  const sortBy = SORT_EXPRESSIONS[query.sort];
  const direction = query.order === 'asc' ? sql`asc` : sql`desc`;
  const after = decodeCursor(query.cursor);

  // Sorted by start time, SQLite walks the spans' start-time index and stops after a page; a plain
  // join would let it start from the project's traces and sort all their spans.
  const base =
    query.sort === 'start_time'
      ? store.db.selectFrom('spans').crossJoin('traces').whereRef('traces.id', '=', 'spans.trace_rowid')
      : store.db.selectFrom('spans').innerJoin('traces', 'traces.id', 'spans.trace_rowid');
  let q = base.where('traces.project_id', '=', query.project.id);
  if (query.rootsOnly) q = q.where('spans.parent_id', 'is', null);
  if (query.range.start !== undefined) q = q.where('spans.start_time', '>=', query.range.start);
  if (query.range.end !== undefined) q = q.where('spans.start_time', '<', query.range.end);
  if (query.filter !== undefined && query.filter.trim() !== '') {
    q = q.where(filterCondition(query.filter, dialect));
  }
  if (after !== null) q = q.where(keysetCondition(sortBy, query.order, after));

  const rows = await q
    .select([
      'spans.id',
      'spans.span_id',
      'traces.trace_id',
      'spans.trace_rowid',
      'spans.parent_id',
      'spans.name',
      'spans.span_kind',
      'spans.status_code',
      'spans.status_message',
      'spans.start_time',
      'spans.end_time',
      'spans.cumulative_llm_token_count_prompt',
      'spans.cumulative_llm_token_count_completion',
      sortBy.as('sort_value'),
      preview(
        dialect.jsonScalar(sql.ref('spans.attributes'), ['input', 'value'], 'string'),
        PREVIEW_LENGTH,
      ).as('input'),
      preview(
        dialect.jsonScalar(sql.ref('spans.attributes'), ['output', 'value'], 'string'),
        PREVIEW_LENGTH,
      ).as('output'),
    ])
    .orderBy(sql`${sortBy} ${direction}`)
    .orderBy(sql`spans.id ${direction}`)
    .limit(query.limit + 1)
    .execute();

  const page = rows.slice(0, query.limit);
  const spanChips = await chipsBy(
    store,
    'span',
    page.map((r) => r.id),
  );
  const noteCounts = await store.db
    .selectFrom('span_annotations')
    .where('span_rowid', 'in', page.length ? page.map((r) => r.id) : [-1])
    .where('name', '=', 'note')
    .groupBy('span_rowid')
    .select(['span_rowid', sql<number>`count(*)`.as('count')])
    .execute();
  const notesBySpan = new Map(noteCounts.map((n) => [n.span_rowid, Number(n.count)]));
  const roots = page.filter((r) => r.parent_id === null);
  const traceChips = await chipsBy(
    store,
    'trace',
    roots.map((r) => r.trace_rowid),
  );

  const data: UiSpanRow[] = page.map((r) => {
    const prompt = Number(r.cumulative_llm_token_count_prompt);
    const completion = Number(r.cumulative_llm_token_count_completion);
    return {
      span_id: r.span_id,
      trace_id: r.trace_id,
      parent_id: r.parent_id,
      name: r.name,
      span_kind: r.span_kind,
      status_code: r.status_code as UiSpanRow['status_code'],
      status_message: r.status_message,
      start_time: iso(r.start_time),
      end_time: iso(r.end_time),
      latency_ms: millisBetween(r.start_time, r.end_time),
      token_count_prompt: prompt,
      token_count_completion: completion,
      token_count_total: prompt + completion,
      input: r.input,
      output: r.output,
      annotations: [
        ...(r.parent_id === null ? (traceChips.get(r.trace_rowid) ?? []) : []),
        ...(spanChips.get(r.id) ?? []),
      ],
      note_count: notesBySpan.get(r.id) ?? 0,
    };
  });
  const last = page[page.length - 1];
  return {
    data,
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.sort_value, last.id) : null,
  };
}

/** Rows after (sort value, id) in the given order, written so that an index on the sort column serves it. */
function keysetCondition(
  sortBy: RawBuilder<string | number>,
  order: SortOrder,
  after: { value: string | number; rowId: number },
): Expression<SqlBool> {
  const op = order === 'asc' ? sql`>` : sql`<`;
  const opOrEqual = order === 'asc' ? sql`>=` : sql`<=`;
  return sql<SqlBool>`(${sortBy} ${opOrEqual} ${after.value} and (${sortBy} ${op} ${after.value} or spans.id ${op} ${after.rowId}))`;
}
