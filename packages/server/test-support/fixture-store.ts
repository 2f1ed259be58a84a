/**
 * @fawkes/query's shared fixture, stored through the real store code, for tests that compare the SQL
 * compiler with the in-memory evaluator. Test support only.
 */
import type { FilterAnnotation, FilterSpan } from '@fawkes/query';
import { FIXTURE_SPANS, type FixtureSpan } from '@fawkes/query/cases';
import type { Kysely } from 'kysely';
import type { JsonObject, SpanRecord } from '../src/model/span-record.js';
import type { DatabaseLocation } from '../src/store/database-url.js';
import { createPostgresPool } from '../src/store/postgres/pool.js';
import { PostgresSpanWriter } from '../src/store/postgres/span-writer.js';
import type { Database } from '../src/store/schema.js';
import { openSqlite } from '../src/store/sqlite/open.js';
import { SqliteSpanWriter } from '../src/store/sqlite/span-writer.js';

export const FIXTURE_PROJECT = 'query-fixture';

const micros = (time: FixtureSpan['start_time']): number => Date.parse(String(time)) * 1000;

/**
 * The fixture as span records. What the store cannot hold is approximated, and shows in the spans
 * read back: a running span (no end time) ends when it starts, a missing status message is '', and
 * cumulative token counts are the store's own rollups (each span's own count is its fixture
 * cumulative count minus its children's, so that the rollups give back the fixture's numbers).
 */
export function fixtureSpanRecords(): SpanRecord[] {
  const cumulative = (s: FixtureSpan) => s.cumulative_token_count ?? {};
  return FIXTURE_SPANS.map((span) => {
    const children = FIXTURE_SPANS.filter((s) => s.parent_id === span.span_id);
    const own = (key: 'prompt' | 'completion') =>
      (cumulative(span)[key] ?? 0) - children.reduce((sum, c) => sum + (cumulative(c)[key] ?? 0), 0);
    const attributes = (span.attributes ?? {}) as JsonObject;
    const text = (path: string[]): string | null => {
      let value: unknown = attributes;
      for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
      return typeof value === 'string' ? value : null;
    };
    const startTime = micros(span.start_time);
    return {
      projectName: FIXTURE_PROJECT,
      traceId: span.trace_id,
      spanId: span.span_id,
      parentId: span.parent_id ?? null,
      name: span.name ?? '',
      spanKind: span.span_kind ?? 'UNKNOWN',
      startTime,
      endTime: span.end_time ? micros(span.end_time) : startTime,
      statusCode: (span.status_code ?? 'UNSET') as SpanRecord['statusCode'],
      statusMessage: span.status_message ?? '',
      attributes,
      events: [],
      sessionId: text(['session', 'id']),
      llmTokenCountPrompt: Math.max(0, own('prompt')),
      llmTokenCountCompletion: Math.max(0, own('completion')),
      inputValue: text(['input', 'value']),
      outputValue: text(['output', 'value']),
    };
  });
}

/** Stores spans with the store's own span writer (SQLite or PostgreSQL), as ingest does. */
export async function writeSpanRecords(
  location: DatabaseLocation,
  records: readonly SpanRecord[],
): Promise<void> {
  if (location.dialect === 'sqlite') {
    const connection = openSqlite(location.path);
    try {
      new SqliteSpanWriter(connection).writeBatch(records);
    } finally {
      connection.close();
    }
    return;
  }
  const pool = createPostgresPool(location, { max: 1 });
  try {
    await new PostgresSpanWriter(pool).writeBatch(records);
  } finally {
    await pool.end();
  }
}

/** Stores the fixture's spans (with the real span writer) and its span and trace annotations. */
export async function loadFixture(location: DatabaseLocation, db: Kysely<Database>): Promise<void> {
  await writeSpanRecords(location, fixtureSpanRecords());
  const now = Date.now() * 1000;
  const columns = (name: string, a: FilterAnnotation) => ({
    name,
    label: a.label ?? null,
    score: a.score ?? null,
    explanation: a.explanation ?? null,
    metadata: '{}',
    annotator_kind: 'LLM' as const,
    source: 'API' as const,
    user_id: null,
    created_at: now,
    updated_at: now,
  });
  const rowIds = new Map(
    (await db.selectFrom('spans').select(['id', 'span_id', 'trace_rowid']).execute()).map((r) => [
      r.span_id,
      r,
    ]),
  );
  const traceAnnotations = new Map<number, [string, FilterAnnotation][]>();
  for (const span of FIXTURE_SPANS) {
    const row = rowIds.get(span.span_id)!;
    for (const [name, a] of Object.entries(span.annotations ?? {})) {
      if (a)
        await db
          .insertInto('span_annotations')
          .values({ span_rowid: row.id, ...columns(name, a) })
          .execute();
    }
    const onTrace = Object.entries(span.trace_annotations ?? {}).filter(
      (e): e is [string, FilterAnnotation] => !!e[1],
    );
    if (onTrace.length) traceAnnotations.set(row.trace_rowid, onTrace);
  }
  for (const [traceRowId, annotations] of traceAnnotations) {
    for (const [name, a] of annotations) {
      await db
        .insertInto('trace_annotations')
        .values({ trace_rowid: traceRowId, ...columns(name, a) })
        .execute();
    }
  }
}

/** Every stored span as the in-memory evaluator sees it, with its span and trace annotations. */
export async function readStoredFilterSpans(
  db: Kysely<Database>,
): Promise<(FilterSpan & { span_id: string })[]> {
  const rows = await db
    .selectFrom('spans')
    .innerJoin('traces', 'traces.id', 'spans.trace_rowid')
    .select([
      'spans.id',
      'spans.trace_rowid',
      'spans.span_id',
      'traces.trace_id',
      'spans.parent_id',
      'spans.name',
      'spans.span_kind',
      'spans.status_code',
      'spans.status_message',
      'spans.start_time',
      'spans.end_time',
      'spans.attributes',
      'spans.cumulative_llm_token_count_prompt',
      'spans.cumulative_llm_token_count_completion',
    ])
    .orderBy('spans.id')
    .execute();
  const spanAnnotations = await db.selectFrom('span_annotations').selectAll().execute();
  const traceAnnotations = await db.selectFrom('trace_annotations').selectAll().execute();
  const byName = (
    list: { name: string; label: string | null; score: number | null; explanation: string | null }[],
  ) =>
    Object.fromEntries(
      list.map((a) => [a.name, { label: a.label, score: a.score, explanation: a.explanation }]),
    );
  return rows.map((row) => {
    const prompt = Number(row.cumulative_llm_token_count_prompt);
    const completion = Number(row.cumulative_llm_token_count_completion);
    return {
      span_id: row.span_id,
      trace_id: row.trace_id,
      parent_id: row.parent_id,
      name: row.name,
      span_kind: row.span_kind,
      status_code: row.status_code,
      status_message: row.status_message,
      start_time: Number(row.start_time) / 1000,
      end_time: Number(row.end_time) / 1000,
      attributes: JSON.parse(String(row.attributes)),
      cumulative_token_count: { prompt, completion, total: prompt + completion },
      annotations: byName(spanAnnotations.filter((a) => Number(a.span_rowid) === Number(row.id))),
      trace_annotations: byName(
        traceAnnotations.filter((a) => Number(a.trace_rowid) === Number(row.trace_rowid)),
      ),
    };
  });
}
