import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../model/span-record.js';
import { hexId, spanRecord } from '../../testing/span-records.js';
import { openMigratedSqlite } from './migrate-sqlite.js';
import type { SqliteConnection } from './open.js';
import { SqliteSpanWriter } from './span-writer.js';

let dir: string;
let db: SqliteConnection;
let writer: SqliteSpanWriter;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fawkes-writer-'));
  db = await openMigratedSqlite(join(dir, 'test.db'));
  writer = new SqliteSpanWriter(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const spanRow = (spanId: string) =>
  db.prepare('SELECT * FROM spans WHERE span_id = ?').get(spanId) as Record<string, unknown>;
const cumulative = (spanId: string) => {
  const row = spanRow(spanId);
  return [
    row.cumulative_error_count,
    row.cumulative_llm_token_count_prompt,
    row.cumulative_llm_token_count_completion,
  ];
};
const session = (sessionId: string) =>
  db.prepare('SELECT * FROM project_sessions WHERE session_id = ?').get(sessionId) as Record<string, unknown>;

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

describe('SqliteSpanWriter', () => {
  it('stores a span with its project and trace, and ignores a duplicate span id', () => {
    const span = spanRecord({ projectName: 'my-app', attributes: { input: { value: 'hi' } } });
    expect(writer.writeBatch([span])).toEqual({ inserted: 1, duplicates: 0 });
    expect(writer.writeBatch([span, span])).toEqual({ inserted: 0, duplicates: 2 });
    expect(db.prepare('SELECT count(*) AS n FROM spans').get()).toEqual({ n: 1 });
    const row = spanRow(span.spanId);
    expect(JSON.parse(row.attributes as string)).toEqual({ input: { value: 'hi' } });
    const project = db.prepare('SELECT p.name FROM projects p JOIN traces t ON t.project_id = p.id').get();
    expect(project).toEqual({ name: 'my-app' });
  });

  it('widens trace start and end as spans arrive in any order', () => {
    const { all, tool, llm } = tree();
    writer.writeBatch([llm]);
    writer.writeBatch([tool]);
    writer.writeBatch(all);
    const trace = db.prepare('SELECT start_time, end_time FROM traces WHERE trace_id = ?').get(llm.traceId);
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
  ])('propagates cumulative counts to ancestors (%s)', (_order, batches) => {
    const spans = tree();
    for (const batch of batches(spans)) writer.writeBatch(batch);
    expect(cumulative(spans.root.spanId)).toEqual([1, 10, 5]);
    expect(cumulative(spans.chain.spanId)).toEqual([0, 10, 5]);
    expect(cumulative(spans.llm.spanId)).toEqual([0, 10, 5]);
    expect(cumulative(spans.tool.spanId)).toEqual([1, 0, 0]);
    expect(spanRow(spans.root.spanId).llm_token_count_prompt).toBe(0);
  });

  it('keeps session rollups at write time', () => {
    const first = tree(hexId(16), 'conv-1', 1_700_000_000_000_000);
    const second = tree(hexId(16), 'conv-1', 1_700_000_100_000_000);
    writer.writeBatch(second.all);
    writer.writeBatch(first.all);
    const row = session('conv-1');
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
    const traces = db.prepare('SELECT count(*) AS n FROM traces WHERE project_session_id = ?').get(row.id);
    expect(traces).toEqual({ n: 2 });
  });

  it('counts spans stored before their trace joined the session', () => {
    const spans = tree(hexId(16), null);
    writer.writeBatch([spans.llm, spans.tool]);
    writer.writeBatch([{ ...spans.root, sessionId: 'late' }, spans.chain]);
    expect(session('late')).toMatchObject({
      num_traces: 1,
      token_count_prompt: 10,
      token_count_completion: 5,
      error_count: 1,
      first_input: spans.root.inputValue,
    });
  });

  it('writes a batch atomically: a failing span leaves nothing behind', () => {
    const good = spanRecord({ projectName: 'atomic' });
    const bad = spanRecord({ statusCode: 'BROKEN' as never });
    expect(() => writer.writeBatch([good, bad])).toThrow(/CHECK constraint/);
    expect(db.prepare('SELECT count(*) AS n FROM spans').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM projects').get()).toEqual({ n: 0 });
  });

  it('survives a parent_id cycle in bad data', () => {
    const traceId = hexId(16);
    const a = spanRecord({ traceId, spanId: hexId(8), statusCode: 'ERROR' });
    const b = spanRecord({ traceId, spanId: hexId(8), parentId: a.spanId, statusCode: 'ERROR' });
    a.parentId = b.spanId;
    writer.writeBatch([a]);
    writer.writeBatch([b]);
    expect(db.prepare('SELECT count(*) AS n FROM spans').get()).toEqual({ n: 2 });
    expect(cumulative(a.spanId)[0]).toBeLessThanOrEqual(3);
  });

  it('survives a parent_id cycle inside one batch', () => {
    const traceId = hexId(16);
    const a = spanRecord({ traceId, spanId: hexId(8), statusCode: 'ERROR' });
    const b = spanRecord({ traceId, spanId: hexId(8), parentId: a.spanId, statusCode: 'ERROR' });
    a.parentId = b.spanId;
    expect(writer.writeBatch([a, b])).toEqual({ inserted: 2, duplicates: 0 });
    expect(cumulative(a.spanId)[0]).toBeLessThanOrEqual(2);
  });
});
