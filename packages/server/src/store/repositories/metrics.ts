import { type RawBuilder, sql } from 'kysely';
import { modelSql, priceGroup, type TokenSumsRow, tokenSumsSql } from '../../cost/grouped-cost.js';
import { queryDialect } from '../../span-query/index.js';
import { projectRulePasses } from './costs.js';
import type { ReadStore } from './read-store.js';
import { type Bucket, bucketKeyToMicros, bucketSql } from './time-buckets.js';

export const METRICS = ['spans', 'traces', 'latency', 'tokens', 'cost', 'errors', 'annotations'] as const;
export type MetricName = (typeof METRICS)[number];

/** One project's rows whose start lies in [start, end) (micros), bucketed by `bucket`. */
export interface MetricScope {
  projectId: number;
  start: number;
  end: number;
  bucket: Bucket;
}

/** One value of one series in one bucket (its start, micros); buckets without rows are absent. */
export interface MetricPoint {
  bucket: number;
  series: string;
  value: number;
}

/** The series of each metric, in order, and what a bucket without rows holds (annotations: their names). */
export const METRIC_SERIES: Record<MetricName, { series: readonly string[]; empty: 0 | null }> = {
  spans: { series: ['ok', 'error', 'unset'], empty: 0 },
  traces: { series: ['ok', 'error'], empty: 0 },
  latency: { series: ['p50', 'p90', 'p99'], empty: null },
  tokens: { series: ['prompt', 'completion', 'total'], empty: 0 },
  cost: { series: ['prompt', 'completion', 'total'], empty: 0 },
  errors: { series: ['llm', 'llm_error', 'tool', 'tool_error'], empty: 0 },
  annotations: { series: [], empty: null },
};

interface Row {
  bucket: number | string;
  series: string;
  value: number | string;
}

/**
 * A metric's points: spans by status, traces by status (error when any of its spans failed),
 * trace latency percentiles (ms, numpy's linear rule), LLM spans' tokens, spans' cost (US dollars,
 * at the prices in force: the project's, then the built-in table), LLM and tool span counts
 * and errors, span annotations' mean scores by name (notes left out). Spans are placed by their start, traces by theirs, annotations by their span's.
 */
export async function metricPoints(
  store: ReadStore,
  metric: MetricName,
  scope: MetricScope,
): Promise<MetricPoint[]> {
  const rows = await QUERIES[metric](store, scope);
  return rows.map((r) => ({
    bucket: bucketKeyToMicros(Number(r.bucket), scope.bucket),
    series: r.series,
    value: Number(r.value),
  }));
}

type Query = (store: ReadStore, scope: MetricScope) => Promise<Row[]>;

const run = async (store: ReadStore, query: RawBuilder<Row>) => (await query.execute(store.db)).rows;

/**
 * The FROM and WHERE of a project's spans in range. CROSS JOIN keeps spans as SQLite's outer loop,
 * reading the range from ix_spans_start_metrics alone (migration 0010); joined the other way, SQLite
 * starts from the project's traces and reads every span row (1M spans: 4.2 s → 0.5 s by status).
 */
function spansInScope({ projectId, start, end }: MetricScope) {
  return sql`FROM spans CROSS JOIN traces
    WHERE traces.id = spans.trace_rowid AND traces.project_id = ${projectId}
      AND spans.start_time >= ${start} AND spans.start_time < ${end}`;
}

function tracesInScope({ projectId, start, end }: MetricScope) {
  return sql`FROM traces
    WHERE traces.project_id = ${projectId} AND traces.start_time >= ${start} AND traces.start_time < ${end}`;
}

const bucketOf = (store: ReadStore, scope: MetricScope, column: string) =>
  bucketSql(store.dialect, sql.ref(column), scope.bucket);

const spans: Query = (store, scope) =>
  run(
    store,
    sql<Row>`SELECT ${bucketOf(store, scope, 'spans.start_time')} AS bucket,
      lower(spans.status_code) AS series, count(*) AS value
      ${spansInScope(scope)} GROUP BY 1, 2`,
  );

/**
 * Traces by status: a trace failed when one of its spans did. Error spans are rare, so they are
 * found in ix_spans_start_metrics (a trace's spans start no earlier than it does) instead of
 * reading each trace's root row, whose error count sits behind its attributes.
 */
const traces: Query = async (store, scope) => {
  const bucket = bucketOf(store, scope, 'traces.start_time');
  const { rows } = await sql<Row>`
    SELECT ${bucket} AS bucket, 'all' AS series, count(*) AS value ${tracesInScope(scope)} GROUP BY 1
    UNION ALL
    SELECT ${bucket}, 'error', count(*) ${tracesInScope(scope)}
      AND traces.id IN (SELECT spans.trace_rowid FROM spans
        WHERE spans.start_time >= ${scope.start} AND spans.status_code = 'ERROR')
    GROUP BY 1`.execute(store.db);
  const errors = new Map(
    rows.filter((r) => r.series === 'error').map((r) => [Number(r.bucket), Number(r.value)]),
  );
  return rows
    .filter((r) => r.series === 'all')
    .flatMap((r) => {
      const failed = errors.get(Number(r.bucket)) ?? 0;
      return [
        { bucket: r.bucket, series: 'ok', value: Number(r.value) - failed },
        { bucket: r.bucket, series: 'error', value: failed },
      ];
    });
};

const PERCENTILES = [
  ['p50', 50],
  ['p90', 90],
  ['p99', 99],
] as const;

/**
 * Only the two order statistics around each percentile leave the database; `(n - 1) * q / 100` in
 * integers is floor((n - 1) * q) exactly on both dialects.
 */
const latency: Query = async (store, scope) => {
  const ranks = PERCENTILES.map(([, q]) => sql`(n - 1) * ${sql.lit(q)} / 100`);
  const wanted = sql.join(ranks.flatMap((r) => [r, sql`${r} + 1`]));
  const { rows } = await sql<{
    bucket: number | string;
    ordinal: number | string;
    n: number | string;
    latency: number | string;
  }>`
    SELECT bucket, ordinal, n, latency FROM (
      SELECT bucket, latency,
        row_number() OVER (PARTITION BY bucket ORDER BY latency) - 1 AS ordinal,
        count(*) OVER (PARTITION BY bucket) AS n
      FROM (SELECT ${bucketOf(store, scope, 'traces.start_time')} AS bucket,
          traces.end_time - traces.start_time AS latency
        ${tracesInScope(scope)}) AS t) AS ranked
    WHERE ordinal IN (${wanted})`.execute(store.db);
  const byBucket = new Map<number, { n: number; at: Map<number, number> }>();
  for (const row of rows) {
    const bucket = Number(row.bucket);
    let entry = byBucket.get(bucket);
    if (!entry) {
      entry = { n: Number(row.n), at: new Map() };
      byBucket.set(bucket, entry);
    }
    entry.at.set(Number(row.ordinal), Number(row.latency));
  }
  const points: Row[] = [];
  for (const [bucket, { n, at }] of byBucket) {
    for (const [series, q] of PERCENTILES) {
      const below = Math.floor(((n - 1) * q) / 100);
      const fraction = (((n - 1) * q) % 100) / 100;
      const a = at.get(below)!;
      const b = at.get(below + 1) ?? a;
      points.push({ bucket, series, value: (a + (b - a) * fraction) / 1000 });
    }
  }
  return points;
};

const tokens: Query = async (store, scope) => {
  const { rows } = await sql<{
    bucket: number | string;
    prompt: number | string;
    completion: number | string;
  }>`
    SELECT ${bucketOf(store, scope, 'spans.start_time')} AS bucket,
      sum(spans.llm_token_count_prompt) AS prompt, sum(spans.llm_token_count_completion) AS completion
    ${spansInScope(scope)} AND spans.span_kind = 'LLM' GROUP BY 1`.execute(store.db);
  return rows.flatMap((r) => {
    const prompt = Number(r.prompt);
    const completion = Number(r.completion);
    return [
      { bucket: r.bucket, series: 'prompt', value: prompt },
      { bucket: r.bucket, series: 'completion', value: completion },
      { bucket: r.bucket, series: 'total', value: prompt + completion },
    ];
  });
};

/** The same sums as cost_summary, per bucket (priced per model and provider: grouped-cost.ts); a bucket without priced spans costs 0. */
const cost: Query = async (store, scope) => {
  const passes = await projectRulePasses(store, scope.projectId);
  const dialect = queryDialect(store.dialect);
  const model = modelSql(dialect);
  const { rows } = await sql<TokenSumsRow & { bucket: number | string }>`
    SELECT ${tokenSumsSql(dialect)}, ${bucketOf(store, scope, 'spans.start_time')} AS bucket
    ${spansInScope(scope)} AND ${model} IS NOT NULL AND ${model} <> '' GROUP BY 1, 2, 13`.execute(store.db);
  const buckets = new Map<number | string, { prompt: number; completion: number; total: number }>();
  for (const row of rows) {
    const sums = buckets.get(row.bucket) ?? { prompt: 0, completion: 0, total: 0 };
    const priced = priceGroup(passes, row);
    if (priced) {
      sums.prompt += priced.prompt;
      sums.completion += priced.completion;
      sums.total += priced.total;
    }
    buckets.set(row.bucket, sums);
  }
  return [...buckets].flatMap(([bucket, sums]) => [
    { bucket, series: 'prompt', value: sums.prompt },
    { bucket, series: 'completion', value: sums.completion },
    { bucket, series: 'total', value: sums.total },
  ]);
};

const errors: Query = async (store, scope) => {
  const { rows } = await sql<{
    bucket: number | string;
    kind: string;
    spans: number | string;
    errors: number | string;
  }>`
    SELECT ${bucketOf(store, scope, 'spans.start_time')} AS bucket, lower(spans.span_kind) AS kind,
      count(*) AS spans, sum(CASE WHEN spans.status_code = 'ERROR' THEN 1 ELSE 0 END) AS errors
    ${spansInScope(scope)} AND spans.span_kind IN ('LLM', 'TOOL') GROUP BY 1, 2`.execute(store.db);
  return rows.flatMap((r) => [
    { bucket: r.bucket, series: r.kind, value: r.spans },
    { bucket: r.bucket, series: `${r.kind}_error`, value: r.errors },
  ]);
};

const annotations: Query = (store, scope) =>
  run(
    store,
    sql<Row>`SELECT ${bucketOf(store, scope, 'spans.start_time')} AS bucket,
      span_annotations.name AS series, avg(span_annotations.score) AS value
      FROM span_annotations JOIN spans ON spans.id = span_annotations.span_rowid
        JOIN traces ON traces.id = spans.trace_rowid
      WHERE traces.project_id = ${scope.projectId} AND spans.start_time >= ${scope.start}
        AND spans.start_time < ${scope.end}
        AND span_annotations.score IS NOT NULL AND span_annotations.name <> 'note'
      GROUP BY 1, 2`,
  );

const QUERIES: Record<MetricName, Query> = { spans, traces, latency, tokens, cost, errors, annotations };

/** When the project's first trace started (micros), or null when it has none. */
export async function firstTraceStart({ db }: ReadStore, projectId: number): Promise<number | null> {
  const row = await db
    .selectFrom('traces')
    .where('project_id', '=', projectId)
    .select(sql<number | string | null>`min(start_time)`.as('first'))
    .executeTakeFirst();
  return row?.first == null ? null : Number(row.first);
}
