import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn, type Fawkes, startFawkes } from '../../test-support/fixtures.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';

const PROJECT = 'traces-client';
let fawkes: Fawkes;
/** Trace ids in the order their turns were sent. */
let traceIds: string[];

beforeAll(async () => {
  fawkes = await startFawkes();
  const turns = Array.from({ length: 4 }, (_, i) =>
    conversationTurn({
      projectName: PROJECT,
      sessionId: i < 2 ? 'session-a' : 'session-b',
      question: `q${i}`,
    }),
  );
  for (const turn of turns) await fawkes.exportSpans(turn);
  traceIds = turns.map((spans) => spans[0]!.spanContext().traceId);
});
afterAll(() => fawkes.close());

describe('traces.getTraces', () => {
  it("lists a project's traces by name or id, newest first", async () => {
    const { traces, projects } = fawkes.client;
    const byName = await traces.getTraces({ projectName: PROJECT });
    expect(byName.map((t) => t.trace_id)).toEqual([...traceIds].reverse());
    const { id } = await projects.get({ projectName: PROJECT });
    expect(await traces.getTraces({ projectId: id })).toEqual(byName);
    expect(byName[0]).toMatchObject({ project_id: id, token_count_total: 42 });
  });

  it('sorts, filters by session and time, and includes spans when asked', async () => {
    const { traces } = fawkes.client;
    const ascending = await traces.getTraces({ projectName: PROJECT, order: 'asc' });
    expect(ascending.map((t) => t.trace_id)).toEqual(traceIds);
    const sessionA = await traces.getTraces({ projectName: PROJECT, sessionIds: ['session-a'] });
    expect(sessionA.map((t) => t.trace_id).sort()).toEqual(traceIds.slice(0, 2).sort());
    expect(
      await traces.getTraces({ projectName: PROJECT, startTime: new Date(Date.now() + 60_000) }),
    ).toEqual([]);
    const [withSpans] = await traces.getTraces({ projectName: PROJECT, includeSpans: true, limit: 1 });
    expect(withSpans?.spans?.map((s) => s.name).sort()).toEqual(['agent', 'llm', 'tool']);
  });

  it('follows cursors up to the limit', async () => {
    const project = 'many-traces';
    await fawkes.exportSpans(
      Array.from({ length: 105 }, () => conversationTurn({ projectName: project })).flatMap((t) =>
        t.slice(-1),
      ),
    );
    const { client, requests } = fawkes.recordingClient();
    const some = await client.traces.getTraces({ projectName: project, limit: 103 });
    expect(some).toHaveLength(103);
    expect(new Set(some.map((t) => t.trace_id)).size).toBe(103);
    expect(requests.map((r) => new URL(r.url).searchParams.get('limit'))).toEqual(['100', '3']);
    expect(await client.traces.getTraces({ projectName: project })).toHaveLength(100);
  });

  it('throws NotFoundError for an unknown project', async () => {
    await expect(fawkes.client.traces.getTraces({ projectName: 'nope' })).rejects.toThrow(NotFoundError);
  });
});

describe('traces.delete and transfer', () => {
  it('deletes a trace by its OpenTelemetry id', async () => {
    const spans = conversationTurn({ projectName: 'deleting' });
    await fawkes.exportSpans(spans);
    const traceId = spans[0]!.spanContext().traceId;
    await fawkes.client.traces.delete({ traceId });
    expect(await fawkes.client.traces.getTraces({ projectName: 'deleting' })).toEqual([]);
    await expect(fawkes.client.traces.delete({ traceId })).rejects.toThrow(NotFoundError);
  });

  it('moves traces to another project', async () => {
    const spans = conversationTurn({ projectName: 'moving-from' });
    await fawkes.exportSpans(spans);
    await fawkes.client.projects.create({ name: 'moving-to' });
    const traceId = spans[0]!.spanContext().traceId;
    const moved = await fawkes.client.traces.transfer({ traceIds: [traceId], toProjectName: 'moving-to' });
    expect(moved.transferred_trace_count).toBe(1);
    const there = await fawkes.client.traces.getTraces({ projectName: 'moving-to' });
    expect(there.map((t) => t.trace_id)).toEqual([traceId]);
    await expect(fawkes.client.traces.transfer({ traceIds: [], toProjectName: 'x' })).rejects.toThrow(
      'traceIds cannot be empty',
    );
    await expect(fawkes.client.traces.transfer({ traceIds: [traceId] })).rejects.toThrow(
      'Give toProjectId or toProjectName (one of them)',
    );
  });
});

describe('trace annotations and notes', () => {
  it('adds one annotation: sync returns its id, an upsert keeps it', async () => {
    const { traces } = fawkes.client;
    const traceId = traceIds[0]!;
    const first = await traces.addTraceAnnotation({
      traceId,
      annotationName: 'quality',
      label: 'good',
      sync: true,
    });
    expect(first.id).toEqual(expect.any(String));
    const again = await traces.addTraceAnnotation({
      traceId,
      annotationName: 'quality',
      score: 0.5,
      annotatorKind: 'LLM',
      sync: true,
    });
    expect(again.id).toBe(first.id);
    const [stored] = await traces.getTraceAnnotations({ projectName: PROJECT, traceIds: [traceId] });
    expect(stored).toMatchObject({
      id: first.id,
      name: 'quality',
      annotator_kind: 'LLM',
      result: { label: null, score: 0.5 },
      trace_id: traceId,
    });
  });

  it('without sync returns nothing and still stores the annotation', async () => {
    const { traces } = fawkes.client;
    const traceId = traceIds[1]!;
    const answer = await traces.addTraceAnnotation({
      traceId,
      annotationName: 'async',
      explanation: '  padded  ',
      metadata: { by: 'test' },
    });
    expect(answer).toBeUndefined();
    const stored = await traces.getTraceAnnotations({ projectName: PROJECT, traceIds: [traceId] });
    expect(stored.find((a) => a.name === 'async')).toMatchObject({
      annotator_kind: 'HUMAN',
      result: { explanation: 'padded' },
      metadata: { by: 'test' },
    });
  });

  it('logs many at once, the ids in order', async () => {
    const inserted = await fawkes.client.traces.logTraceAnnotations({
      traceAnnotations: traceIds.map((traceId, i) => ({ traceId, annotationName: 'batch', score: i })),
      sync: true,
    });
    expect(inserted).toHaveLength(traceIds.length);
    const stored = await fawkes.client.traces.getTraceAnnotations({
      projectName: PROJECT,
      traceIds,
      includeAnnotationNames: ['batch'],
    });
    const byId = new Map(stored.map((a) => [a.id, a]));
    expect(inserted.map(({ id }) => byId.get(id)?.result?.score)).toEqual([0, 1, 2, 3]);
  });

  it('rejects an annotation without label, score or explanation before any request', async () => {
    const { client, requests } = fawkes.recordingClient();
    const traceId = traceIds[0]!;
    await expect(
      client.traces.addTraceAnnotation({ traceId, annotationName: 'empty', label: '  ', explanation: '' }),
    ).rejects.toThrow(
      new InvalidArgumentError('At least one of label, score, or explanation must be provided'),
    );
    await expect(
      client.traces.logTraceAnnotations({
        traceAnnotations: [
          { traceId, annotationName: 'ok', label: 'x' },
          { traceId, annotationName: 'bad' },
        ],
      }),
    ).rejects.toThrow('traceAnnotations[1]: At least one of label, score, or explanation must be provided');
    await expect(
      client.traces.addTraceAnnotation({
        traceId,
        annotationName: 'x',
        label: 'y',
        annotatorKind: 'ROBOT' as never,
      }),
    ).rejects.toThrow('annotatorKind must be one of LLM, CODE, HUMAN, got "ROBOT"');
    await expect(client.traces.logTraceAnnotations({ traceAnnotations: [] })).rejects.toThrow(
      'traceAnnotations cannot be empty',
    );
    await expect(
      client.traces.addTraceAnnotation({ traceId: ' ', annotationName: 'x', label: 'y' }),
    ).rejects.toThrow('traceId must be a non-empty string');
    expect(requests).toEqual([]);
  });

  it('fails the whole sync request for an unknown trace', async () => {
    await expect(
      fawkes.client.traces.addTraceAnnotation({
        traceId: 'f'.repeat(32),
        annotationName: 'x',
        label: 'y',
        sync: true,
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('adds notes, kept apart from annotations unless asked for', async () => {
    const { traces } = fawkes.client;
    const traceId = traceIds[2]!;
    const one = await traces.addTraceNote({ traceId, note: 'first look' });
    const two = await traces.addTraceNote({ traceId, note: 'second look' });
    expect(one.id).not.toBe(two.id);
    const names = async (excludeAnnotationNames?: string[]) =>
      (
        await traces.getTraceAnnotations({
          projectName: PROJECT,
          traceIds: [traceId],
          ...(excludeAnnotationNames ? { excludeAnnotationNames } : {}),
        })
      ).map((a) => `${a.name}: ${a.result?.explanation ?? a.result?.score}`);
    expect((await names()).filter((n) => n.startsWith('note'))).toEqual([]);
    expect(await names([])).toEqual(expect.arrayContaining(['note: first look', 'note: second look']));
  });
});

describe('trace annotation DataFrames', () => {
  it('logs a polars DataFrame 100 rows per request and returns every id with sync', async () => {
    const { client, requests } = fawkes.recordingClient();
    const rows = 250;
    const frame = pl.DataFrame({
      trace_id: Array.from({ length: rows }, (_, i) => traceIds[i % 4]!),
      annotation_name: Array.from({ length: rows }, () => 'frame'),
      identifier: Array.from({ length: rows }, (_, i) => `row-${i}`),
      score: Array.from({ length: rows }, (_, i) => i),
      annotator_kind: Array.from({ length: rows }, () => 'CODE'),
    });
    const inserted = await client.traces.logTraceAnnotationsDataframe({ dataframe: frame, sync: true });
    expect(inserted).toHaveLength(rows);
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(posts.every((r) => new URL(r.url).searchParams.get('sync') === 'true')).toBe(true);
  });

  it('takes plain rows, a global name and kind, context.trace_id, and sends no sync parameter by default', async () => {
    const { client, requests } = fawkes.recordingClient();
    const answer = await client.traces.logTraceAnnotationsDataframe({
      dataframe: [
        { 'context.trace_id': traceIds[3], label: 'fine' },
        { 'context.trace_id': traceIds[3], label: null, explanation: 'why', identifier: 'second' },
      ],
      annotationName: 'rows',
      annotatorKind: 'LLM',
    });
    expect(answer).toBeUndefined();
    expect(new URL(requests[0]!.url).search).toBe('');
    const stored = await client.traces.getTraceAnnotations({
      projectName: PROJECT,
      traceIds: [traceIds[3]!],
      includeAnnotationNames: ['rows'],
    });
    expect(
      stored.map((a) => [a.annotator_kind, a.identifier, a.result?.label ?? a.result?.explanation]).sort(),
    ).toEqual([
      ['LLM', '', 'fine'],
      ['LLM', 'second', 'why'],
    ]);
  });

  it('checks the frame before sending anything', async () => {
    const { client, requests } = fawkes.recordingClient();
    const log = (dataframe: Record<string, unknown>[], annotationName?: string) =>
      client.traces.logTraceAnnotationsDataframe({
        dataframe,
        ...(annotationName ? { annotationName } : {}),
      });
    const traceId = traceIds[0];
    await expect(log([])).rejects.toThrow('DataFrame cannot be empty');
    await expect(log([{ trace_id: traceId, name: 'a', annotation_name: 'b', label: 'x' }])).rejects.toThrow(
      "DataFrame cannot have both 'name' and 'annotation_name' columns",
    );
    await expect(log([{ trace_id: traceId, label: 'x' }])).rejects.toThrow(
      "Give annotationName, or a 'name' or 'annotation_name' column",
    );
    await expect(log([{ trace_id: traceId, name: ' ', label: 'x' }])).rejects.toThrow(
      'name values must be non-empty strings',
    );
    await expect(log([{ label: 'x' }], 'n')).rejects.toThrow(
      "DataFrame must have a 'trace_id' or 'context.trace_id' column (or an 'index' column)",
    );
    await expect(log([{ trace_id: traceId, 'context.trace_id': traceId, label: 'x' }], 'n')).rejects.toThrow(
      "DataFrame cannot have both primary and fallback ID columns: 'trace_id' and 'context.trace_id'",
    );
    await expect(log([{ trace_id: traceId, annotator_kind: 'ROBOT', label: 'x' }], 'n')).rejects.toThrow(
      'Invalid annotator_kind values found in DataFrame: "ROBOT". Must be one of: LLM, CODE, HUMAN',
    );
    await expect(log([{ trace_id: traceId, metadata: { a: 1 } }], 'n')).rejects.toThrow(
      'DataFrame must contain at least one of: label, score, explanation',
    );
    await expect(
      log(
        [
          { trace_id: traceId, label: 'x' },
          { trace_id: traceId, label: null },
        ],
        'n',
      ),
    ).rejects.toThrow(
      'Error processing row 1: At least one of label, score, or explanation must be provided',
    );
    await expect(log([{ trace_id: traceId, score: 'high' }], 'n')).rejects.toThrow(
      "Error processing row 0: Score value 'high' cannot be converted to a number",
    );
    await expect(log([{ trace_id: null, label: 'x' }], 'n')).rejects.toThrow(
      'trace_id values cannot be null',
    );
    expect(requests).toEqual([]);
  });

  it('reads annotations back as a typed DataFrame, also from a traces frame', async () => {
    const { traces } = fawkes.client;
    const frame = await traces.getTraceAnnotationsDataframe({
      projectName: PROJECT,
      tracesDataframe: pl.DataFrame({ 'context.trace_id': [traceIds[0]!] }),
      includeAnnotationNames: ['quality'],
    });
    expect(frame.columns.slice(0, 3)).toEqual(['trace_id', 'id', 'annotation_name']);
    expect(frame.height).toBe(1);
    const types = Object.fromEntries(frame.columns.map((c, i) => [c, String(frame.dtypes[i])]));
    expect(types).toMatchObject({
      'result.score': 'DataType(Float64)',
      created_at: 'DataType(Datetime(us,UTC))',
      updated_at: 'DataType(Datetime(us,UTC))',
    });
    expect(frame.getColumn('created_at').toArray()[0]).toBeInstanceOf(Date);
    expect(frame.getColumn('result.score').toArray()).toEqual([0.5]);
    await expect(traces.getTraceAnnotations({ projectName: PROJECT })).rejects.toThrow(
      'Give exactly one of traceIds, traces',
    );
  });
});
