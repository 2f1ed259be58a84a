import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn, type Fawkes, retrieverSpan, startFawkes } from '../../test-support/fixtures.js';
import { ApiError, InvalidArgumentError, NotFoundError, SpanCreationError } from '../errors.js';
import type { GetSpansOptions } from './spans.js';

const PROJECT = 'spans-client';
let fawkes: Fawkes;
/** span name → OpenTelemetry span id, for the first turn; and its trace id. */
let first: Record<string, string>;
let firstTrace: string;
let retrieverId: string;

beforeAll(async () => {
  fawkes = await startFawkes();
  const turn = conversationTurn({ projectName: PROJECT, toolFails: true });
  await fawkes.exportSpans(turn);
  first = Object.fromEntries(turn.map((s) => [s.name, s.spanContext().spanId]));
  firstTrace = turn[0]!.spanContext().traceId;
  await fawkes.exportSpans(conversationTurn({ projectName: PROJECT, question: 'second' }));
  const retriever = retrieverSpan(PROJECT, 3);
  await fawkes.exportSpans([retriever]);
  retrieverId = retriever.spanContext().spanId;
});
afterAll(() => fawkes.close());

describe('spans.getSpans', () => {
  it("lists a project's spans newest first, in Phoenix's span shape", async () => {
    const spans = await fawkes.client.spans.getSpans({ projectName: PROJECT });
    expect(spans).toHaveLength(7);
    expect(spans[0]?.name).toBe('retrieve');
    const llm = spans.find((s) => s.context.span_id === first.llm);
    expect(llm).toMatchObject({
      name: 'llm',
      span_kind: 'LLM',
      parent_id: first.agent,
      context: { trace_id: firstTrace },
    });
    expect(llm?.start_time).toMatch(/\+00:00$/);
  });

  it('filters by trace, span, parent, name, kind, status and attribute', async () => {
    const { spans } = fawkes.client;
    const ids = async (options: Omit<GetSpansOptions, 'projectId' | 'projectName'>) =>
      (await spans.getSpans({ projectName: PROJECT, ...options })).map((s) => s.name).sort();
    expect(await ids({ traceIds: [firstTrace] })).toEqual(['agent', 'llm', 'tool']);
    expect(await ids({ spanIds: [first.tool!] })).toEqual(['tool']);
    expect(await ids({ traceIds: [firstTrace], parentId: null })).toEqual(['agent']);
    expect(await ids({ parentId: first.agent })).toEqual(['llm', 'tool']);
    expect(await ids({ names: ['llm', 'retrieve'] })).toEqual(['llm', 'llm', 'retrieve']);
    expect(await ids({ spanKinds: ['RETRIEVER', 'TOOL'] })).toEqual(['retrieve', 'tool', 'tool']);
    expect(await ids({ statusCodes: ['ERROR'] })).toEqual(['tool']);
    expect(await ids({ attributes: { 'llm.model_name': 'gpt-test' } })).toEqual(['llm', 'llm']);
    expect(await ids({ startTime: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('filters with the query language, and refuses a bad filter before any request', async () => {
    const { spans } = fawkes.client;
    const names = async (filter: string, more: Omit<GetSpansOptions, 'projectId' | 'projectName'> = {}) =>
      (await spans.getSpans({ projectName: PROJECT, filter, ...more })).map((s) => s.name).sort();
    expect(await names("span_kind == 'LLM' and llm.model_name == 'gpt-test'")).toEqual(['llm', 'llm']);
    expect(await names("status_code == 'ERROR'", { traceIds: [firstTrace] })).toEqual(['tool']);
    const { client: counting, requests } = fawkes.recordingClient();
    await expect(
      counting.spans.getSpans({ projectName: PROJECT, filter: "span_kind == 'LLM' and" }),
    ).rejects.toThrow(InvalidArgumentError);
    expect(requests).toEqual([]);
  });

  it('follows cursors up to the limit', async () => {
    const project = 'many-spans';
    await fawkes.exportSpans(
      Array.from({ length: 35 }, () => conversationTurn({ projectName: project })).flat(),
    );
    const { client, requests } = fawkes.recordingClient();
    const spans = await client.spans.getSpans({ projectName: project, limit: 104 });
    expect(new Set(spans.map((s) => s.context.span_id)).size).toBe(104);
    expect(requests.map((r) => new URL(r.url).searchParams.get('limit'))).toEqual(['100', '4']);
    expect(await client.spans.getSpans({ projectName: project })).toHaveLength(100);
  });
});

describe('spans.getSpansDataframe', () => {
  it("returns Phoenix's columns with typed datetimes", async () => {
    const frame = await fawkes.client.spans.getSpansDataframe({ projectName: PROJECT });
    expect(frame.height).toBe(7);
    expect(frame.columns.slice(0, 10)).toEqual([
      'context.span_id',
      'name',
      'span_kind',
      'parent_id',
      'start_time',
      'end_time',
      'status_code',
      'status_message',
      'events',
      'context.trace_id',
    ]);
    expect(String(frame.getColumn('start_time').dtype)).toBe('DataType(Datetime(us,UTC))');
    expect(frame.getColumn('start_time').toArray()[0]).toBeInstanceOf(Date);
    expect(frame.columns).toContain('attributes.llm.token_count.prompt');
    const prompt = frame.getColumn('attributes.llm.token_count.prompt');
    // As in Phoenix's pandas frames: a number column with gaps is a float column.
    expect(String(prompt.dtype)).toBe('DataType(Float64)');
    expect(prompt.toArray().filter((v) => v !== null)).toEqual([12, 12]);
  });

  it("filters with Phoenix's query language, by project id too", async () => {
    const { spans, projects } = fawkes.client;
    const { id } = await projects.get({ projectName: PROJECT });
    const frame = await spans.getSpansDataframe({
      projectId: id,
      filterCondition: "span_kind == 'LLM' and llm.token_count.total > 10",
    });
    expect(frame.getColumn('name').toArray()).toEqual(['llm', 'llm']);
    const roots = await spans.getSpansDataframe({ projectName: PROJECT, rootSpansOnly: true, limit: 2 });
    expect(roots.getColumn('name').toArray()).toEqual(['retrieve', 'agent']);
  });

  it('runs a SpanQuery with select', async () => {
    const frame = await fawkes.client.spans.getSpansDataframe({
      projectName: PROJECT,
      query: { select: { model: { key: 'llm.model_name' } }, filter: { condition: "name == 'llm'" } },
    });
    expect(frame.columns).toEqual(['context.span_id', 'model']);
    expect(frame.getColumn('model').toArray()).toEqual(['gpt-test', 'gpt-test']);
  });

  it('rejects an invalid filter before any request, naming the position', async () => {
    const { client, requests } = fawkes.recordingClient();
    const error = await client.spans
      .getSpansDataframe({ projectName: PROJECT, filterCondition: "spam_kind == 'LLM'" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(
      "Invalid filter: Unknown name 'spam_kind' at column 1. Did you mean 'span_kind'?",
    );
    expect(requests).toEqual([]);
  });
});

describe('spans.logSpans and delete', () => {
  it('stores spans, all or none', async () => {
    const { spans } = fawkes.client;
    const source = await spans.getSpans({ projectName: PROJECT, traceIds: [firstTrace] });
    // The same spans under new ids (span ids are unique across the server).
    const renamed = (id: string) => id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const copies = source.map(({ id: _id, ...span }) => ({
      ...span,
      context: { trace_id: renamed(span.context.trace_id), span_id: renamed(span.context.span_id) },
      parent_id: span.parent_id ? renamed(span.parent_id) : null,
    }));
    const result = await spans.logSpans({ projectName: 'copied', spans: copies });
    expect(result).toEqual({ total_received: 3, total_queued: 3 });
    const copied = await spans.getSpans({ projectName: 'copied' });
    expect(copied.map((s) => s.name).sort()).toEqual(['agent', 'llm', 'tool']);

    const error = await spans.logSpans({ projectName: 'copied', spans: copies }).catch((e) => e);
    expect(error).toBeInstanceOf(SpanCreationError);
    expect(error.status).toBe(400);
    expect(error.duplicateSpans.map((s: { span_id: string }) => s.span_id).sort()).toEqual(
      copies.map((s) => s.context.span_id).sort(),
    );
    expect(error.message).toContain('Found 3 duplicate spans:');
  });

  it('names an invalid span from a 422', async () => {
    const [span] = await fawkes.client.spans.getSpans({ projectName: PROJECT, limit: 1 });
    const broken = { ...span, name: 42 } as never;
    const error = await fawkes.client.spans
      .logSpans({ projectName: 'broken', spans: [broken] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SpanCreationError);
    expect(error.status).toBe(422);
    expect(error.invalidSpans).toEqual([
      {
        span_id: span!.context.span_id,
        trace_id: span!.context.trace_id,
        error: 'Input should be a valid string',
      },
    ]);
    await expect(fawkes.client.spans.logSpans({ projectName: 'broken', spans: [] })).rejects.toThrow(
      'spans cannot be empty',
    );
  });

  it('deletes a span', async () => {
    const turn = conversationTurn({ projectName: 'span-deleting' });
    await fawkes.exportSpans(turn);
    const tool = turn.find((s) => s.name === 'tool')!.spanContext().spanId;
    await fawkes.client.spans.delete({ spanId: tool });
    const left = await fawkes.client.spans.getSpans({ projectName: 'span-deleting' });
    expect(left.map((s) => s.name).sort()).toEqual(['agent', 'llm']);
    await expect(fawkes.client.spans.delete({ spanId: tool })).rejects.toThrow(NotFoundError);
  });
});

describe('span annotations and notes', () => {
  it('adds (sync and not), logs, and reads them back', async () => {
    const { spans } = fawkes.client;
    const inserted = await spans.addSpanAnnotation({
      spanId: first.llm!,
      annotationName: 'correctness',
      label: 'correct',
      score: 1,
      annotatorKind: 'LLM',
      sync: true,
    });
    expect(inserted.id).toEqual(expect.any(String));
    expect(
      await spans.addSpanAnnotation({ spanId: first.tool!, annotationName: 'correctness', label: 'wrong' }),
    ).toBe(undefined);
    const many = await spans.logSpanAnnotations({
      spanAnnotations: [
        { spanId: first.agent!, annotationName: 'helpful', score: 0.2, identifier: 'a' },
        { spanId: first.agent!, annotationName: 'helpful', score: 0.9, identifier: 'b' },
      ],
      sync: true,
    });
    expect(many).toHaveLength(2);
    const read = await spans.getSpanAnnotations({
      projectName: PROJECT,
      spanIds: [first.llm!, first.tool!, first.agent!],
    });
    expect(read.map((a) => [a.span_id, a.name, a.result?.label ?? a.result?.score]).sort()).toEqual(
      [
        [first.agent, 'helpful', 0.2],
        [first.agent, 'helpful', 0.9],
        [first.llm, 'correctness', 'correct'],
        [first.tool, 'correctness', 'wrong'],
      ].sort(),
    );
  });

  it('reads them as a DataFrame, from a spans DataFrame', async () => {
    const { spans } = fawkes.client;
    const spansFrame = await spans.getSpansDataframe({
      projectName: PROJECT,
      filterCondition: "name == 'llm'",
    });
    const frame = await spans.getSpanAnnotationsDataframe({
      projectName: PROJECT,
      spansDataframe: spansFrame,
      includeAnnotationNames: ['correctness'],
    });
    expect(frame.height).toBe(1);
    expect(frame.getColumn('span_id').toArray()).toEqual([first.llm]);
    expect(frame.getColumn('result.label').toArray()).toEqual(['correct']);
    expect(frame.getColumn('annotator_kind').toArray()).toEqual(['LLM']);
  });

  it('logs a DataFrame with context.span_id columns', async () => {
    const inserted = await fawkes.client.spans.logSpanAnnotationsDataframe({
      dataframe: pl.DataFrame({
        'context.span_id': [first.llm!, first.tool!],
        name: ['tone', 'tone'],
        label: ['calm', 'curt'],
        metadata: ['{"source":"frame"}', null],
      }),
      sync: true,
    });
    expect(inserted).toHaveLength(2);
    const read = await fawkes.client.spans.getSpanAnnotations({
      projectName: PROJECT,
      spanIds: [first.llm!],
      includeAnnotationNames: ['tone'],
    });
    expect(read[0]).toMatchObject({
      result: { label: 'calm' },
      metadata: { source: 'frame' },
      annotator_kind: 'HUMAN',
    });
  });

  it('rejects an annotation without a result before any request', async () => {
    const { client, requests } = fawkes.recordingClient();
    await expect(client.spans.addSpanAnnotation({ spanId: first.llm!, annotationName: 'x' })).rejects.toThrow(
      'At least one of label, score, or explanation must be provided',
    );
    await expect(
      client.spans.addSpanAnnotation({ spanId: first.llm!, annotationName: 'x', score: Number.NaN }),
    ).rejects.toThrow('score must be a finite number, got NaN');
    await expect(
      client.spans.addSpanAnnotation({ spanId: first.llm!, annotationName: ' ', label: 'y' }),
    ).rejects.toThrow('annotationName must be a non-empty string');
    expect(requests).toEqual([]);
  });

  it('refuses the reserved name note, and unknown spans with sync', async () => {
    const { spans } = fawkes.client;
    const note = await spans
      .addSpanAnnotation({ spanId: first.llm!, annotationName: 'note', label: 'x' })
      .catch((e) => e);
    expect([note.constructor, note.status]).toEqual([ApiError, 400]);
    await expect(
      spans.addSpanAnnotation({ spanId: '0'.repeat(16), annotationName: 'x', label: 'y', sync: true }),
    ).rejects.toThrow(NotFoundError);
  });

  it('adds notes: a new one each time, replaced with an identifier', async () => {
    const { spans } = fawkes.client;
    const a = await spans.addSpanNote({ spanId: first.tool!, note: 'looked at it' });
    const b = await spans.addSpanNote({ spanId: first.tool!, note: 'again' });
    const c = await spans.addSpanNote({ spanId: first.tool!, note: 'v1', identifier: 'mine' });
    const d = await spans.addSpanNote({ spanId: first.tool!, note: 'v2', identifier: 'mine' });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(d.id).toBe(c.id);
    const notes = await spans.getSpanAnnotations({
      projectName: PROJECT,
      spanIds: [first.tool!],
      includeAnnotationNames: ['note'],
      excludeAnnotationNames: [],
    });
    expect(notes.map((n) => n.result?.explanation).sort()).toEqual(['again', 'looked at it', 'v2']);
    await expect(spans.addSpanNote({ spanId: first.tool!, note: '' })).rejects.toThrow(
      'note must be a non-empty string',
    );
  });
});

describe('document annotations', () => {
  it('annotates retrieved documents one at a time, many at once, or from a DataFrame', async () => {
    const { spans } = fawkes.client;
    const one = await spans.addDocumentAnnotation({
      spanId: retrieverId,
      documentPosition: 0,
      annotationName: 'relevance',
      score: 1,
      sync: true,
    });
    expect(one.id).toEqual(expect.any(String));
    const many = await spans.logDocumentAnnotations({
      documentAnnotations: [1, 2].map((documentPosition) => ({
        spanId: retrieverId,
        documentPosition,
        annotationName: 'relevance',
        label: 'relevant',
      })),
      sync: true,
    });
    expect(many).toHaveLength(2);
    const framed = await spans.logDocumentAnnotationsDataframe({
      dataframe: [{ 'context.span_id': retrieverId, document_position: 2, label: 'stale' }],
      annotationName: 'freshness',
      sync: true,
    });
    expect(framed).toHaveLength(1);
  });

  it('checks positions: negative ones here, out-of-range ones on the server', async () => {
    const { spans } = fawkes.client;
    await expect(
      spans.addDocumentAnnotation({
        spanId: retrieverId,
        documentPosition: -1,
        annotationName: 'r',
        label: 'x',
      }),
    ).rejects.toThrow('documentPosition must be a whole number from 0, got -1');
    await expect(
      spans.logDocumentAnnotationsDataframe({
        dataframe: [{ span_id: retrieverId, label: 'x' }],
        annotationName: 'r',
      }),
    ).rejects.toThrow("DataFrame must have all of its ID columns: 'document_position'");
    const error = await spans
      .addDocumentAnnotation({
        spanId: retrieverId,
        documentPosition: 3,
        annotationName: 'r',
        label: 'x',
        sync: true,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.detail).toMatch(/out of bounds/);
  });
});
