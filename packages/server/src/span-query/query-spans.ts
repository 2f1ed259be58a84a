import type { FilterExpression } from '@fawkes/query';
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../store/schema.js';
import type { QueryDialect } from './dialect.js';
import { type Instant, InvalidInstantError, microsFromInstant } from './instant.js';
import { flatten, phoenixAttributeColumns } from './phoenix-attributes.js';
import { compileSpanFilterFor } from './plan-filter.js';
import {
  type Projection,
  resolveProjection,
  type SpanQuery,
  SpanQueryError,
  spanQueryFilter,
  unaliasKey,
} from './span-query.js';
import {
  decodeStoredSpan,
  fieldValue,
  projectedValue,
  STORED_SPAN_COLUMNS,
  type StoredSpan,
  type StoredSpanRow,
  valueAt,
} from './stored-span.js';

export const DEFAULT_SPAN_LIMIT = 1000;
export const DEFAULT_PROJECT_NAME = 'default';

export interface QuerySpansOptions {
  /** The project's name; `default` when not given. */
  readonly projectName?: string | undefined;
  /** Phoenix's SpanQuery; without one, every matching span with Phoenix's default columns. */
  readonly query?: SpanQuery | undefined;
  /** A filter expression (`span_kind == 'LLM'`), ANDed with the query's own filter if it has one. */
  readonly filterCondition?: string | FilterExpression | undefined;
  /** Spans that start at or after this instant. */
  readonly startTime?: Instant | null | undefined;
  /** Spans that start before this instant. */
  readonly endTime?: Instant | null | undefined;
  /** At most this many spans, newest first (default 1000); null for no limit. */
  readonly limit?: number | null | undefined;
  /** Only root spans: without a parent, or (unless `orphanSpanAsRootSpan` is false) whose parent is not stored. */
  readonly rootSpansOnly?: boolean | null | undefined;
  readonly orphanSpanAsRootSpan?: boolean | null | undefined;
}

/**
 * Spans as a data frame in Phoenix's layout: `index` names the index columns (what pandas would use
 * as the DataFrame index), `columns` the data columns, both in order; each row holds both. Instants
 * are ISO 8601 strings with a UTC offset (`2024-05-01T10:00:00.123456+00:00`); `datetimes` names the
 * columns that hold them.
 */
export interface SpanFrame {
  readonly index: readonly string[];
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
  readonly datetimes: readonly string[];
}

/** Phoenix's default columns, before the `attributes.*` ones. */
export const DEFAULT_SPAN_COLUMNS = [
  'name',
  'span_kind',
  'parent_id',
  'start_time',
  'end_time',
  'status_code',
  'status_message',
  'events',
  'context.span_id',
  'context.trace_id',
] as const;

const RETRIEVAL_DOCUMENTS = 'retrieval.documents';

/**
 * Runs a Phoenix span query (what `POST /v1/spans` and `getSpansDataframe` answer): the project's
 * spans in the time window `startTime <= start < endTime`, filtered, newest first, limited, shaped
 * by select / explode / concat / rename / index. A pure read. Throws {@link SpanQueryError} for a bad
 * query (its `queryError` carries the filter error's position).
 */
export async function querySpans(
  db: Kysely<Database>,
  dialect: QueryDialect,
  options: QuerySpansOptions = {},
): Promise<SpanFrame> {
  const query = options.query ?? {};
  const plan = planQuery(query, options);
  const fetch = (arrayAt?: Projection) => fetchSpans(db, dialect, plan, arrayAt);

  if (!plan.select && !plan.explode && !plan.concat) return defaultFrame(await fetch());

  const primaryIndex = plan.explode
    ? { key: plan.explode.indexKey, projection: plan.explode.indexProjection }
    : plan.index;
  const indexKey = primaryIndex.key;
  const selected = (span: StoredSpan): Record<string, unknown> => {
    const row: Record<string, unknown> = { [indexKey]: projectedValue(span, primaryIndex.projection) };
    for (const [label, projection] of plan.select ?? []) {
      if (label !== indexKey) row[label] = projectedValue(span, projection);
    }
    return row;
  };
  const columns = new Columns((plan.select ?? []).map(([label]) => label).filter((l) => l !== indexKey));
  let index = [indexKey];
  let rows: Record<string, unknown>[];

  if (plan.explode) {
    const { projection, kwargs, positionColumn } = plan.explode;
    index = [indexKey, positionColumn];
    const spans = await fetch(projection);
    const concatSpans = plan.concat ? await fetch(plan.concat.projection) : [];
    const concatenated = plan.concat ? concatValues(concatSpans, plan.concat) : undefined;
    rows = [];
    for (const span of spans) {
      const records = explodeRecords(projectedValue(span, projection), kwargs);
      const base = { ...selected(span), ...concatenated?.get(span.rowId) };
      if (records.length === 0) rows.push({ ...base, [positionColumn]: null });
      for (const [position, record] of records) {
        columns.add(Object.keys(record));
        rows.push({ ...base, [positionColumn]: position, ...record });
      }
    }
    // Spans with a list to concatenate but none to explode still get their row (an outer join).
    const exploded = new Set(spans.map((s) => s.rowId));
    for (const span of concatSpans) {
      if (!exploded.has(span.rowId)) {
        rows.push({ ...selected(span), [positionColumn]: null, ...concatenated?.get(span.rowId) });
      }
    }
  } else if (plan.concat) {
    const spans = await fetch(plan.concat.projection);
    const concatenated = concatValues(spans, plan.concat);
    rows = spans.map((span) => ({ ...selected(span), ...concatenated.get(span.rowId) }));
  } else {
    rows = (await fetch()).map(selected);
  }
  if (plan.concat) columns.add(plan.concat.labels);
  const datetimes = [primaryIndex, ...(plan.select ?? []).map(([key, projection]) => ({ key, projection }))]
    .filter(({ projection }) => isInstant(projection))
    .map(({ key }) => key);
  return rename({ index, columns: columns.list(), rows, datetimes }, plan.rename);
}

// --- planning ----------------------------------------------------------------------------------------

interface QueryPlan {
  readonly projectName: string;
  readonly filters: readonly FilterExpression[];
  readonly startMicros: number | undefined;
  readonly endMicros: number | undefined;
  readonly limit: number | null;
  readonly roots: 'all' | 'no-parent' | 'no-stored-parent';
  readonly select: [string, Projection][] | undefined;
  readonly index: { readonly key: string; readonly projection: Projection };
  readonly explode:
    | {
        projection: Projection;
        kwargs: [string, string][] | undefined;
        positionColumn: string;
        /** The first index column (Phoenix's `primary_index_key`, the query's index unless set). */
        indexKey: string;
        indexProjection: Projection;
      }
    | undefined;
  readonly concat:
    | { projection: Projection; kwargs: [string, string][] | undefined; separator: string; labels: string[] }
    | undefined;
  readonly rename: Readonly<Record<string, string>>;
}

function planQuery(query: SpanQuery, options: QuerySpansOptions): QueryPlan {
  const filters = [spanQueryFilter(query.filter?.condition), spanQueryFilter(options.filterCondition)].filter(
    (f): f is FilterExpression => f !== undefined,
  );
  const instant = (value: Instant | null | undefined, what: string) => {
    if (value === null || value === undefined) return undefined;
    try {
      return microsFromInstant(value, what);
    } catch (error) {
      if (error instanceof InvalidInstantError) throw new SpanQueryError(error.message);
      throw error;
    }
  };
  const limit = options.limit === undefined ? DEFAULT_SPAN_LIMIT : options.limit;
  if (limit !== null && (!Number.isInteger(limit) || limit < 0)) {
    throw new SpanQueryError(`Invalid limit ${limit}: expected a non-negative integer`);
  }
  const select = query.select
    ? Object.entries(query.select).map(([label, p]) => projection(label, p))
    : undefined;
  const indexKey = unaliasKey(query.index?.key || 'context.span_id');
  const kwargs = (k: Readonly<Record<string, string>> | null | undefined) =>
    k && Object.keys(k).length ? Object.entries(k) : undefined;
  const explode = query.explode?.key
    ? {
        projection: listProjection(query.explode.key, 'explode'),
        kwargs: kwargs(query.explode.kwargs),
        positionColumn: `${isRetrievalDocuments(query.explode.key) ? 'document_' : ''}position`,
        indexKey: unaliasKey(query.explode.primary_index_key || indexKey),
        indexProjection: resolveProjection(unaliasKey(query.explode.primary_index_key || indexKey)),
      }
    : undefined;
  const concatKwargs = query.concat?.key ? kwargs(query.concat.kwargs) : undefined;
  const concat = query.concat?.key
    ? {
        projection: listProjection(query.concat.key, 'concat'),
        kwargs: concatKwargs,
        separator: query.concat.separator ?? '\n\n',
        labels: concatKwargs ? concatKwargs.map(([label]) => label) : [query.concat.key],
      }
    : undefined;
  return {
    projectName: options.projectName || DEFAULT_PROJECT_NAME,
    filters,
    startMicros: instant(options.startTime, 'start time'),
    endMicros: instant(options.endTime, 'end time'),
    limit,
    roots: !options.rootSpansOnly
      ? 'all'
      : options.orphanSpanAsRootSpan === false
        ? 'no-parent'
        : 'no-stored-parent',
    select: select?.length ? select : undefined,
    index: { key: indexKey, projection: resolveProjection(indexKey) },
    explode,
    concat,
    rename: query.rename ?? {},
  };
}

function isInstant(projection: Projection): boolean {
  return (
    projection.kind === 'field' && (projection.field === 'start_time' || projection.field === 'end_time')
  );
}

function projection(label: string, value: { key?: string | null } | null | undefined): [string, Projection] {
  if (!value || typeof value.key !== 'string' || value.key === '') {
    throw new SpanQueryError(
      `Invalid projection for '${label}': expected {"key": "<span field or attribute>"}`,
    );
  }
  return [label, resolveProjection(value.key)];
}

function listProjection(key: string, what: string): Projection {
  const p = resolveProjection(key);
  if (p.kind === 'attribute' || p.kind === 'events') return p;
  throw new SpanQueryError(`Invalid ${what} key '${key}': expected an attribute holding a list`);
}

function isRetrievalDocuments(key: string): boolean {
  return key === RETRIEVAL_DOCUMENTS || key === `attributes.${RETRIEVAL_DOCUMENTS}`;
}

// --- SQL ---------------------------------------------------------------------------------------------

async function fetchSpans(
  db: Kysely<Database>,
  dialect: QueryDialect,
  plan: QueryPlan,
  arrayAt?: Projection,
): Promise<StoredSpan[]> {
  const project = await db
    .selectFrom('projects')
    .select('id')
    .where('name', '=', plan.projectName)
    .executeTakeFirst();
  if (!project) return [];
  // CROSS JOIN makes SQLite keep spans as the outer loop, walking ix_spans_start_time newest first
  // and stopping at the limit; left free, it starts from the project's traces and sorts all of
  // their spans (100k spans: 0.4 s for the first page). PostgreSQL plans it as an inner join.
  let q = db
    .selectFrom('spans')
    .crossJoin('traces')
    .whereRef('traces.id', '=', 'spans.trace_rowid')
    .select(STORED_SPAN_COLUMNS)
    .where(dialect.spanInProject('spans', 'traces', Number(project.id)));
  if (plan.startMicros !== undefined) q = q.where('spans.start_time', '>=', plan.startMicros);
  if (plan.endMicros !== undefined) q = q.where('spans.start_time', '<', plan.endMicros);
  if (plan.roots !== 'all') q = q.where(rootSpanCondition(plan.roots));
  for (const filter of plan.filters) q = q.where(await compileSpanFilterFor(db, dialect, filter.condition));
  if (arrayAt) q = q.where(isList(dialect, arrayAt));
  q = q.orderBy('spans.start_time', 'desc').orderBy('spans.id', 'desc');
  if (plan.limit !== null) q = q.limit(plan.limit);
  const rows = (await q.execute()) as unknown as StoredSpanRow[];
  return rows.map(decodeStoredSpan);
}

/** A root span has no parent or (orphans as roots) a parent that is not stored. */
export function rootSpanCondition(roots: 'no-parent' | 'no-stored-parent'): Expression<SqlBool> {
  if (roots === 'no-parent') return sql<SqlBool>`(spans.parent_id is null)`;
  // NOT EXISTS alone also covers a NULL parent_id (it equals no span_id).
  return sql<SqlBool>`(not exists (select 1 from spans as _parent where _parent.span_id = spans.parent_id))`;
}

function isList(dialect: QueryDialect, projection: Projection): Expression<SqlBool> {
  if (projection.kind === 'events') return dialect.jsonIsArray(sql.ref('spans.events'), []);
  if (projection.kind !== 'attribute') return dialect.boolean(false);
  return dialect.jsonIsArray(sql.ref('spans.attributes'), projection.path);
}

// --- frames ------------------------------------------------------------------------------------------

/** Phoenix's default frame: fixed columns, then `attributes.<key>` in first-seen order. */
function defaultFrame(spans: StoredSpan[]): SpanFrame {
  const columns = new Columns(DEFAULT_SPAN_COLUMNS);
  const rows = spans.map((span) => {
    const row: Record<string, unknown> = {
      name: span.name,
      span_kind: span.spanKind,
      parent_id: span.parentId,
      start_time: fieldValue(span, 'start_time'),
      end_time: fieldValue(span, 'end_time'),
      status_code: span.statusCode,
      status_message: span.statusMessage,
      events: span.events,
      'context.span_id': span.spanId,
      'context.trace_id': span.traceId,
    };
    for (const [key, value] of Object.entries(phoenixAttributeColumns(span.attributes))) {
      const column = `attributes.${key}`;
      columns.add([column]);
      row[column] = value;
    }
    return row;
  });
  return { index: ['context.span_id'], columns: columns.list(), rows, datetimes: ['start_time', 'end_time'] };
}

/** Columns in first-seen order. */
class Columns {
  private readonly names = new Set<string>();
  constructor(initial: readonly string[] = []) {
    this.add(initial);
  }
  add(names: readonly string[]): void {
    for (const name of names) this.names.add(name);
  }
  list(): string[] {
    return [...this.names];
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The objects of a list with their positions: flattened, or only the `kwargs` keys. */
function explodeRecords(
  list: unknown,
  kwargs: [string, string][] | undefined,
): [number, Record<string, unknown>][] {
  if (!Array.isArray(list)) return [];
  const records: [number, Record<string, unknown>][] = [];
  list.forEach((element, position) => {
    if (!isObject(element)) return;
    if (!kwargs) {
      records.push([position, Object.fromEntries(flatten(element))]);
      return;
    }
    const record: Record<string, unknown> = {};
    for (const [label, key] of kwargs) {
      const value = dottedValue(element, key);
      if (value !== null) record[label] = value;
    }
    records.push([position, record]);
  });
  return records;
}

/** Phoenix's `get_attribute_value`: `a.b.c` read through nested objects. */
function dottedValue(object: Record<string, unknown>, key: string): unknown {
  return valueAt(object, key.split('.'));
}

/** Per span row id, the concatenated columns. */
function concatValues(
  spans: StoredSpan[],
  concat: NonNullable<QueryPlan['concat']>,
): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  for (const span of spans) {
    const list = projectedValue(span, concat.projection);
    if (!Array.isArray(list)) continue;
    if (!concat.kwargs) {
      out.set(span.rowId, { [concat.labels[0]!]: list.map(pythonString).join(concat.separator) });
      continue;
    }
    const values: Record<string, string[]> = {};
    for (const element of list) {
      if (!isObject(element)) continue;
      for (const [label, key] of concat.kwargs) {
        const value = dottedValue(element, key);
        if (value === null) continue;
        values[label] ??= [];
        values[label].push(pythonString(value));
      }
    }
    out.set(
      span.rowId,
      Object.fromEntries(Object.entries(values).map(([label, v]) => [label, v.join(concat.separator)])),
    );
  }
  return out;
}

/** `str(value)` as Python prints JSON values (True, None, objects as JSON). */
function pythonString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function rename(frame: SpanFrame, renames: Readonly<Record<string, string>>): SpanFrame {
  const newName = (column: string) => {
    const unaliased = column === 'span_id' || column === 'trace_id' ? unaliasKey(column) : column;
    return Object.hasOwn(renames, unaliased) ? renames[unaliased]! : unaliased;
  };
  if (frame.columns.every((c) => newName(c) === c)) return frame;
  const columns = frame.columns.map(newName);
  const datetimes = frame.datetimes.map((c) => (frame.index.includes(c) ? c : newName(c)));
  const rows = frame.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const name of frame.index) out[name] = row[name];
    frame.columns.forEach((column, i) => {
      if (column in row) out[columns[i]!] = row[column];
    });
    return out;
  });
  return { index: frame.index, columns, rows, datetimes };
}
