import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../test-support/dialects.js';
import { hexId, spanRecord } from '../../test-support/span-records.js';
import type { SpanRecord } from '../model/span-record.js';
import { createPostgresPool } from './postgres/pool.js';
import { PostgresSpanWriter } from './postgres/span-writer.js';
import type { SqlDialect } from './schema.js';
import { openSqlite } from './sqlite/open.js';
import { type BatchResult, SqliteSpanWriter } from './sqlite/span-writer.js';

/** Either dialect's span writer behind one (async) face. */
interface WriterUnderTest {
  writeBatch(spans: readonly SpanRecord[]): Promise<BatchResult>;
  writeBatches(groups: readonly (readonly SpanRecord[])[]): Promise<BatchResult[]>;
  close(): Promise<void>;
}

function openWriter(store: TestDatabase): WriterUnderTest {
  const location = store.location;
  if (location.dialect === 'sqlite') {
    const connection = openSqlite(location.path);
    const writer = new SqliteSpanWriter(connection);
    return {
      writeBatch: async (spans) => writer.writeBatch(spans),
      writeBatches: async (groups) => writer.writeBatches(groups),
      close: async () => {
        connection.close();
      },
    };
  }
  const pool = createPostgresPool(location, { max: 2 });
  const writer = new PostgresSpanWriter(pool);
  return {
    writeBatch: (spans) => writer.writeBatch(spans),
    writeBatches: (groups) => writer.writeBatches(groups),
    close: () => pool.end(),
  };
}

/** root → chain → llm (tokens 10/5) and root → tool (ERROR). */
function tree(traceId = hexId(16), sessionId: string | null = null, t0 = 1_700_000_000_000_000) {
  const root = spanRecord({
    traceId,
    spanId: hexId(8),
    name: 'root',
    startTime: t0,
    endTime: t0 + 10_000,
    sessionId,
    inputValue: `question ${t0}`,
    outputValue: `answer ${t0}`,
    attributes: { input: { value: `question ${t0}` }, output: { value: `answer ${t0}` } },
  });
  const chain = spanRecord({
    traceId,
    spanId: hexId(8),
    parentId: root.spanId,
    startTime: t0 + 100,
    sessionId,
  });
  const llm = spanRecord({
    traceId,
    spanId: hexId(8),
    parentId: chain.spanId,
    spanKind: 'LLM',
    llmTokenCountPrompt: 10,
    llmTokenCountCompletion: 5,
    startTime: t0 + 200,
    endTime: t0 + 9000,
  });
  const tool = spanRecord({
    traceId,
    spanId: hexId(8),
    parentId: root.spanId,
    spanKind: 'TOOL',
    statusCode: 'ERROR',
    statusMessage: 'boom',
    startTime: t0 - 50,
  });
  return { root, chain, llm, tool, all: [root, chain, llm, tool] as SpanRecord[] };
}

describeEachDialect('span writer', (dialect: SqlDialect) => {
  let store: TestDatabase;
  let writer: WriterUnderTest;

  beforeEach(async () => {
    store = await openTestDatabase(dialect);
    writer = openWriter(store);
  });
  afterEach(async () => {
    await writer.close();
    await store.close();
  });

  const count = async (table: 'spans' | 'projects' | 'traces' | 'project_sessions') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const spanRow = (spanId: string) =>
    store.db.selectFrom('spans').selectAll().where('span_id', '=', spanId).executeTakeFirstOrThrow();
  const cumulative = async (spanId: string) => {
    const row = await spanRow(spanId);
    return [
      row.cumulative_error_count,
      row.cumulative_llm_token_count_prompt,
      row.cumulative_llm_token_count_completion,
    ];
  };
  const session = (sessionId: string) =>
    store.db
      .selectFrom('project_sessions')
      .selectAll()
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();

  it('stores a span with its project and trace, and ignores a duplicate span id', async () => {
    const span = spanRecord({ projectName: 'my-app', attributes: { input: { value: 'hi' } } });
    expect(await writer.writeBatch([span])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await writer.writeBatch([span, span])).toEqual({ inserted: 0, duplicates: 2 });
    expect(await count('spans')).toBe(1);
    const row = await spanRow(span.spanId);
    expect(JSON.parse(row.attributes)).toEqual({ input: { value: 'hi' } });
    const project = await store.db
      .selectFrom('projects as p')
      .innerJoin('traces as t', 't.project_id', 'p.id')
      .select('p.name')
      .execute();
    expect(project).toEqual([{ name: 'my-app' }]);
  });

  it('counts a span sent twice in one request once', async () => {
    const span = spanRecord();
    expect(await writer.writeBatch([span, span])).toEqual({ inserted: 1, duplicates: 1 });
    expect(await count('spans')).toBe(1);
  });

  it('counts a span id already stored under another trace as a duplicate', async () => {
    const first = spanRecord({ sessionId: 'reused' });
    const reused = spanRecord({ spanId: first.spanId, traceId: hexId(16), sessionId: 'reused' });
    const other = spanRecord({ traceId: reused.traceId, parentId: reused.spanId });
    await writer.writeBatch([first]);
    expect(await writer.writeBatch([reused, other])).toEqual({ inserted: 1, duplicates: 1 });
    expect(await count('spans')).toBe(2);
  });

  it('answers each request of a group commit on its own', async () => {
    const a = spanRecord();
    const b = spanRecord();
    expect(await writer.writeBatches([[a], [a, b], []])).toEqual([
      { inserted: 1, duplicates: 0 },
      { inserted: 1, duplicates: 1 },
      { inserted: 0, duplicates: 0 },
    ]);
  });

  it('widens trace start and end as spans arrive in any order', async () => {
    const { all, tool, llm } = tree();
    await writer.writeBatch([llm]);
    await writer.writeBatch([tool]);
    await writer.writeBatch(all);
    const trace = await store.db
      .selectFrom('traces')
      .select(['start_time', 'end_time'])
      .where('trace_id', '=', llm.traceId)
      .executeTakeFirst();
    expect(trace).toEqual({ start_time: tool.startTime, end_time: all[0]!.endTime });
  });

  it.each([
    ['children first', (s: ReturnType<typeof tree>) => [[s.llm], [s.tool], [s.chain], [s.root]]],
    ['parents first', (s: ReturnType<typeof tree>) => [[s.root], [s.chain], [s.llm], [s.tool]]],
    ['middle first', (s: ReturnType<typeof tree>) => [[s.chain], [s.root, s.tool], [s.llm]]],
    ['one batch', (s: ReturnType<typeof tree>) => [s.all]],
    ['one batch, children first', (s: ReturnType<typeof tree>) => [[s.llm, s.tool, s.chain, s.root]]],
    ['subtree after its root', (s: ReturnType<typeof tree>) => [[s.root], [s.llm, s.chain, s.tool]]],
    ['leaf first, then the rest', (s: ReturnType<typeof tree>) => [[s.llm], [s.tool, s.root, s.chain]]],
    [
      'root and leaf, then the middle',
      (s: ReturnType<typeof tree>) => [[s.root, s.llm], [s.tool], [s.chain]],
    ],
  ])('propagates cumulative counts to ancestors (%s)', async (_order, batches) => {
    const spans = tree();
    for (const batch of batches(spans)) await writer.writeBatch(batch);
    expect(await cumulative(spans.root.spanId)).toEqual([1, 10, 5]);
    expect(await cumulative(spans.chain.spanId)).toEqual([0, 10, 5]);
    expect(await cumulative(spans.llm.spanId)).toEqual([0, 10, 5]);
    expect(await cumulative(spans.tool.spanId)).toEqual([1, 0, 0]);
    expect((await spanRow(spans.root.spanId)).llm_token_count_prompt).toBe(0);
  });

  it('keeps session rollups at write time', async () => {
    const first = tree(hexId(16), 'conv-1', 1_700_000_000_000_000);
    const second = tree(hexId(16), 'conv-1', 1_700_000_100_000_000);
    await writer.writeBatch(second.all);
    await writer.writeBatch(first.all);
    const row = await session('conv-1');
    expect(row).toMatchObject({
      num_traces: 2,
      token_count_prompt: 20,
      token_count_completion: 10,
      error_count: 2,
      first_input: first.root.inputValue,
      last_output: second.root.outputValue,
      start_time: first.tool.startTime,
      end_time: second.root.endTime,
    });
    const traces = await store.db
      .selectFrom('traces')
      .select('id')
      .where('project_session_id', '=', row.id)
      .execute();
    expect(traces).toHaveLength(2);
  });

  it('counts spans stored before their trace joined the session', async () => {
    const spans = tree(hexId(16), null);
    await writer.writeBatch([spans.llm, spans.tool]);
    await writer.writeBatch([{ ...spans.root, sessionId: 'late' }, spans.chain]);
    expect(await session('late')).toMatchObject({
      num_traces: 1,
      token_count_prompt: 10,
      token_count_completion: 5,
      error_count: 1,
      first_input: spans.root.inputValue,
    });
  });

  it('keeps a trace in its first session, creating no session for an id its later spans carry', async () => {
    const spans = tree(hexId(16), 'first-session');
    await writer.writeBatch([spans.root]);
    await writer.writeBatch([{ ...spans.chain, sessionId: 'second-session' }, spans.llm]);
    expect(await session('first-session')).toMatchObject({ num_traces: 1, token_count_prompt: 10 });
    expect(await count('project_sessions')).toBe(1);
  });

  it("takes a late-joining trace's first input and last output from its stored root", async () => {
    const spans = tree(hexId(16), null);
    await writer.writeBatch([spans.root, spans.tool]);
    await writer.writeBatch([{ ...spans.chain, sessionId: 'late-root' }, spans.llm]);
    expect(await session('late-root')).toMatchObject({
      num_traces: 1,
      token_count_prompt: 10,
      error_count: 1,
      first_input: spans.root.inputValue,
      last_output: spans.root.outputValue,
    });
  });

  it('writes a batch atomically: a failing span leaves nothing behind', async () => {
    const good = spanRecord({ projectName: 'atomic' });
    const bad = spanRecord({ statusCode: 'BROKEN' as never });
    await expect(writer.writeBatch([good, bad])).rejects.toThrow(/check constraint/i);
    expect(await count('spans')).toBe(0);
    expect(await count('projects')).toBe(0);
  });

  it('stores text with NUL characters (PostgreSQL: as U+FFFD)', async () => {
    const span = spanRecord({
      sessionId: 'nul\0session',
      name: 'nul\0name',
      attributes: { input: { value: 'a\0b' } },
      inputValue: 'a\0b',
    });
    expect(await writer.writeBatch([span])).toEqual({ inserted: 1, duplicates: 0 });
    const row = await spanRow(span.spanId);
    const nul = dialect === 'postgresql' ? '\uFFFD' : '\0';
    expect(JSON.parse(row.attributes)).toEqual({ input: { value: `a${nul}b` } });
    expect(row.name).toBe(`nul${nul}name`);
    expect((await session(`nul${nul}session`)).first_input).toBe(`a${nul}b`);
  });

  it('survives a parent_id cycle in bad data', async () => {
    const traceId = hexId(16);
    const a = spanRecord({ traceId, spanId: hexId(8), statusCode: 'ERROR' });
    const b = spanRecord({ traceId, spanId: hexId(8), parentId: a.spanId, statusCode: 'ERROR' });
    a.parentId = b.spanId;
    await writer.writeBatch([a]);
    await writer.writeBatch([b]);
    expect(await count('spans')).toBe(2);
    expect((await cumulative(a.spanId))[0]).toBeLessThanOrEqual(3);
  });

  it('survives a parent_id cycle inside one batch', async () => {
    const traceId = hexId(16);
    const a = spanRecord({ traceId, spanId: hexId(8), statusCode: 'ERROR' });
    const b = spanRecord({ traceId, spanId: hexId(8), parentId: a.spanId, statusCode: 'ERROR' });
    a.parentId = b.spanId;
    expect(await writer.writeBatch([a, b])).toEqual({ inserted: 2, duplicates: 0 });
    expect((await cumulative(a.spanId))[0]).toBeLessThanOrEqual(2);
  });

  it('reads back instants as exact integers (microseconds)', async () => {
    const span = spanRecord({ startTime: 1_700_000_000_123_456, endTime: 1_700_000_000_123_457 });
    await writer.writeBatch([span]);
    const row = await spanRow(span.spanId);
    expect([row.start_time, row.end_time]).toEqual([span.startTime, span.endTime]);
    const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM spans`.execute(store.db)).rows as [
      { n: number },
    ];
    expect(n).toBe(1);
  });
});
