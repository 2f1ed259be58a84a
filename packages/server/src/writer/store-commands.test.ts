import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CommandsUnderTest, openCommands } from '../../test-support/commands-under-test.js';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../test-support/dialects.js';
import { hexId, spanRecord } from '../../test-support/span-records.js';
import type { SpanRecord } from '../model/span-record.js';
import type { SqlDialect } from '../store/schema.js';
import type { AnnotationInput, StoreCommands } from './commands.js';

/** A session's turn: root (input/output) → llm (tokens) and root → tool (error). */
function turn(sessionId: string | null, t0: number, projectName = 'p') {
  const traceId = hexId(16);
  const root = spanRecord({
    projectName,
    traceId,
    spanId: hexId(8),
    sessionId,
    startTime: t0,
    endTime: t0 + 10_000,
    inputValue: `in ${t0}`,
    outputValue: `out ${t0}`,
    attributes: { input: { value: `in ${t0}` }, output: { value: `out ${t0}` } },
  });
  const llm = spanRecord({
    projectName,
    traceId,
    spanId: hexId(8),
    parentId: root.spanId,
    spanKind: 'LLM',
    llmTokenCountPrompt: 10,
    llmTokenCountCompletion: 4,
    startTime: t0 + 100,
    endTime: t0 + 20_000,
  });
  const tool = spanRecord({
    projectName,
    traceId,
    spanId: hexId(8),
    parentId: root.spanId,
    statusCode: 'ERROR',
    startTime: t0 + 200,
  });
  return { traceId, root, llm, tool, all: [root, llm, tool] as SpanRecord[] };
}

const annotation = (target: string, extra: Partial<AnnotationInput> = {}): AnnotationInput => ({
  target,
  name: 'quality',
  annotatorKind: 'LLM',
  label: 'good',
  score: 0.5,
  explanation: null,
  metadata: { by: 'test' },
  identifier: '',
  ...extra,
});

describeEachDialect('store commands', (dialect: SqlDialect) => {
  let store: TestDatabase;
  let under: CommandsUnderTest;
  let c: StoreCommands;

  beforeEach(async () => {
    store = await openTestDatabase(dialect);
    under = openCommands(store);
    c = under.commands;
  });
  afterEach(async () => {
    await under.close();
    await store.close();
  });

  const session = (sessionId: string) =>
    store.db
      .selectFrom('project_sessions')
      .selectAll()
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
  const span = (spanId: string) =>
    store.db.selectFrom('spans').selectAll().where('span_id', '=', spanId).executeTakeFirst();
  const trace = (traceId: string) =>
    store.db.selectFrom('traces').selectAll().where('trace_id', '=', traceId).executeTakeFirst();

  it('creates, updates and deletes projects', async () => {
    const created = await c.createProject({ name: 'alpha', description: 'first' });
    expect(created).toMatchObject({ name: 'alpha', description: 'first' });
    expect(await c.createProject({ name: 'alpha', description: null })).toBeNull();
    expect(await c.updateProject({ id: created!.id, description: 'second' })).toMatchObject({
      description: 'second',
    });
    expect(await c.updateProject({ id: created!.id, description: null })).toMatchObject({
      description: 'second',
    });
    expect(await c.updateProject({ id: 999_999, description: 'x' })).toBeNull();
    expect(await c.deleteProject({ id: created!.id })).toBe(true);
    expect(await c.deleteProject({ id: created!.id })).toBe(false);
  });

  it('logs spans all or nothing, with the same rollups as ingest', async () => {
    const a = turn('s-log', 1_700_000_000_000_000);
    expect(await c.logSpans({ spans: a.all })).toEqual({ status: 'stored', inserted: 3 });
    expect(await c.logSpans({ spans: [...turn(null, 1).all, a.llm] })).toEqual({
      status: 'duplicates',
      spans: [{ spanId: a.llm.spanId, traceId: a.traceId }],
    });
    expect(await session('s-log')).toMatchObject({ num_traces: 1, token_count_prompt: 10, error_count: 1 });
    expect(await span(a.root.spanId)).toMatchObject({
      cumulative_error_count: 1,
      cumulative_llm_token_count_prompt: 10,
    });
  });

  it('deletes a trace and recomputes its session, deleting the session with its last trace', async () => {
    const first = turn('s-del', 1_700_000_000_000_000);
    const second = turn('s-del', 1_700_000_100_000_000);
    await c.logSpans({ spans: [...first.all, ...second.all] });
    expect(await c.deleteTrace({ trace: { key: second.traceId } })).toBe(true);
    expect(await session('s-del')).toMatchObject({
      num_traces: 1,
      token_count_prompt: 10,
      error_count: 1,
      first_input: first.root.inputValue,
      last_output: first.root.outputValue,
      end_time: first.llm.endTime,
    });
    const row = await trace(first.traceId);
    expect(await c.deleteTrace({ trace: { rowId: row!.id } })).toBe(true);
    expect(await session('s-del')).toBeUndefined();
    expect(await c.deleteTrace({ trace: { key: first.traceId } })).toBe(false);
  });

  it('deletes the spans and span annotations of deleted traces, however the traces go', async () => {
    const spanIds = async () =>
      (await store.db.selectFrom('spans').select('span_id').orderBy('span_id').execute()).map(
        (r) => r.span_id,
      );
    const byTrace = turn('s-1', 1_700_000_000_000_000, 'one');
    const byProject = turn('s-2', 1_700_000_100_000_000, 'two');
    const kept = turn('s-3', 1_700_000_200_000_000, 'one');
    await c.logSpans({ spans: [...byTrace.all, ...byProject.all, ...kept.all] });
    await c.upsertAnnotations({
      kind: 'span',
      annotations: [
        annotation(byTrace.llm.spanId),
        annotation(byProject.llm.spanId),
        annotation(kept.llm.spanId),
      ],
      sync: true,
    });

    expect(await c.deleteTrace({ trace: { key: byTrace.traceId } })).toBe(true);
    const projectTwo = (await trace(byProject.traceId))!.project_id;
    expect(await c.deleteProject({ id: projectTwo })).toBe(true);

    expect(await spanIds()).toEqual(kept.all.map((s) => s.spanId).sort());
    expect(await store.db.selectFrom('span_annotations').select('id').execute()).toHaveLength(1);
    // Spans sent again after their trace went are new spans, not duplicates of leftovers.
    expect(await c.logSpans({ spans: byTrace.all })).toEqual({ status: 'stored', inserted: 3 });
    expect(await session('s-1')).toMatchObject({ num_traces: 1, token_count_prompt: 10, error_count: 1 });
  });

  it("deletes a span, taking its counts from its ancestors and fixing its trace's range", async () => {
    const t = turn('s-span', 1_700_000_000_000_000);
    await c.logSpans({ spans: t.all });
    expect(await c.deleteSpan({ span: { key: t.llm.spanId } })).toBe(true);
    expect(await span(t.root.spanId)).toMatchObject({
      cumulative_error_count: 1,
      cumulative_llm_token_count_prompt: 0,
      cumulative_llm_token_count_completion: 0,
    });
    expect(await trace(t.traceId)).toMatchObject({ end_time: t.root.endTime });
    expect(await session('s-span')).toMatchObject({ token_count_prompt: 0, error_count: 1 });
    expect(await c.deleteSpan({ span: { key: t.llm.spanId } })).toBe(false);
  });

  it('upserts annotations in place, refuses unknown targets when sync, keeps them pending otherwise', async () => {
    const t = turn('s-ann', 1_700_000_000_000_000);
    await c.logSpans({ spans: t.all });
    const first = await c.upsertAnnotations({
      kind: 'span',
      annotations: [annotation(t.llm.spanId)],
      sync: true,
    });
    const again = await c.upsertAnnotations({
      kind: 'span',
      annotations: [annotation(t.llm.spanId, { label: 'better', score: 0.9 })],
      sync: true,
    });
    expect(first.status === 'stored' && again.status === 'stored' && again.ids).toEqual(
      first.status === 'stored' && first.ids,
    );
    const stored = await store.db.selectFrom('span_annotations').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ label: 'better', score: 0.9, annotator_kind: 'LLM', source: 'API' });
    expect(JSON.parse(stored[0]!.metadata)).toEqual({ by: 'test' });

    expect(
      await c.upsertAnnotations({ kind: 'trace', annotations: [annotation('f'.repeat(32))], sync: true }),
    ).toEqual({ status: 'missing', targets: ['f'.repeat(32)] });

    const later = turn('s-later', 1_700_000_200_000_000);
    expect(
      await c.upsertAnnotations({
        kind: 'session',
        annotations: [annotation('s-later', { name: 'resolution' })],
        sync: false,
      }),
    ).toEqual({ status: 'accepted' });
    expect(await under.resolvePending()).toBe(0);
    await c.logSpans({ spans: later.all });
    expect(await under.resolvePending()).toBe(1);
    const sessionAnnotations = await store.db.selectFrom('project_session_annotations').selectAll().execute();
    expect(sessionAnnotations).toMatchObject([{ name: 'resolution', label: 'good' }]);
    expect(await store.db.selectFrom('pending_annotations').selectAll().execute()).toEqual([]);
  });

  it('checks document positions against the span’s retrieved documents', async () => {
    const retriever = spanRecord({
      attributes: {
        retrieval: { documents: [{ document: { content: 'a' } }, { document: { content: 'b' } }] },
      },
    });
    await c.logSpans({ spans: [retriever] });
    expect(
      await c.upsertAnnotations({
        kind: 'document',
        annotations: [annotation(retriever.spanId, { documentPosition: 1 })],
        sync: true,
      }),
    ).toMatchObject({ status: 'stored' });
    expect(
      await c.upsertAnnotations({
        kind: 'document',
        annotations: [annotation(retriever.spanId, { documentPosition: 2 })],
        sync: true,
      }),
    ).toEqual({ status: 'document-out-of-range', target: retriever.spanId, position: 2, documents: 2 });
  });

  it('adds notes: a new one each time, or one replaced by its identifier', async () => {
    const t = turn(null, 1_700_000_000_000_000);
    await c.logSpans({ spans: t.all });
    const a = await c.createNote({ kind: 'trace', target: t.traceId, note: 'one', identifier: '' });
    const b = await c.createNote({ kind: 'trace', target: t.traceId, note: 'two', identifier: '' });
    const c1 = await c.createNote({ kind: 'trace', target: t.traceId, note: 'three', identifier: 'mine' });
    const c2 = await c.createNote({ kind: 'trace', target: t.traceId, note: 'four', identifier: 'mine' });
    expect(new Set([a!.id, b!.id, c1!.id]).size).toBe(3);
    expect(c2).toEqual(c1);
    expect(
      await c.createNote({ kind: 'trace', target: 'e'.repeat(32), note: 'x', identifier: '' }),
    ).toBeNull();
    const notes = await store.db
      .selectFrom('trace_annotations')
      .select('explanation')
      .orderBy('id')
      .execute();
    expect(notes.map((n) => n.explanation)).toEqual(['one', 'two', 'four']);
  });

  it('deletes sessions with their traces, and annotations by filter', async () => {
    const a = turn('s-a', 1_700_000_000_000_000);
    const b = turn('s-b', 1_700_000_100_000_000);
    await c.logSpans({ spans: [...a.all, ...b.all] });
    await c.upsertAnnotations({ kind: 'span', annotations: [annotation(a.llm.spanId)], sync: true });
    await c.upsertAnnotations({
      kind: 'span',
      annotations: [annotation(b.llm.spanId, { name: 'other' })],
      sync: true,
    });
    const projectId = (await trace(a.traceId))!.project_id;
    expect(
      await c.deleteAnnotations({
        kind: 'span',
        projectId,
        name: 'quality',
        identifier: null,
        annotatorKind: null,
        createdFrom: null,
        createdBefore: null,
      }),
    ).toBe(1);
    expect(await c.deleteSession({ session: { key: 's-a' } })).toBe(true);
    expect(await trace(a.traceId)).toBeUndefined();
    expect(await span(a.llm.spanId)).toBeUndefined();
    expect(await c.deleteSessions({ sessionIds: ['s-b', 'nope'] })).toBe(1);
    expect(await store.db.selectFrom('spans').select('id').execute()).toEqual([]);
  });

  it('transfers traces, moving a session whose traces all move and leaving one otherwise', async () => {
    const whole = turn('s-whole', 1_700_000_000_000_000, 'src');
    const split1 = turn('s-split', 1_700_000_100_000_000, 'src');
    const split2 = turn('s-split', 1_700_000_200_000_000, 'src');
    await c.logSpans({ spans: [...whole.all, ...split1.all, ...split2.all] });
    const dest = await c.createProject({ name: 'dest', description: null });
    const result = await c.transferTraces({
      traces: [whole, split1].map((t) => ({ identifier: t.traceId, ref: { key: t.traceId } })),
      destinationProjectId: dest!.id,
    });
    expect(result).toEqual({ status: 'transferred', count: 2, destinationProjectId: dest!.id });
    expect(await session('s-whole')).toMatchObject({ project_id: dest!.id, num_traces: 1 });
    expect(await session('s-split')).toMatchObject({ num_traces: 1, first_input: split2.root.inputValue });
    expect(await trace(split1.traceId)).toMatchObject({ project_id: dest!.id, project_session_id: null });
    expect(
      await c.transferTraces({
        traces: [{ identifier: 'missing', ref: { key: 'd'.repeat(32) } }],
        destinationProjectId: dest!.id,
      }),
    ).toEqual({ status: 'missing-traces', identifiers: ['missing'] });
  });
});
