import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn, type Fawkes, startFawkes } from '../../test-support/fixtures.js';
import { ApiError, InvalidArgumentError, NotFoundError } from '../errors.js';

const PROJECT = 'sessions-client';
let fawkes: Fawkes;
/** The trace ids of session s-1's three turns, in the order they were sent. */
let turnTraces: string[];

/** Sends `turns` turns of a session, one export each (so their start times are ordered). */
async function sendSession(sessionId: string, turns: number, project = PROJECT): Promise<string[]> {
  const traceIds: string[] = [];
  for (let i = 0; i < turns; i++) {
    const spans = conversationTurn({ projectName: project, sessionId, question: `${sessionId} q${i}` });
    await fawkes.exportSpans(spans);
    traceIds.push(spans[0]!.spanContext().traceId);
  }
  return traceIds;
}

beforeAll(async () => {
  fawkes = await startFawkes();
  turnTraces = await sendSession('s-1', 3);
  await sendSession('s-2', 1);
});
afterAll(() => fawkes.close());

describe('sessions.get', () => {
  it('gets a session by session_id or GlobalID, traces by start, tokens of its LLM spans', async () => {
    const { sessions } = fawkes.client;
    const session = await sessions.get({ sessionId: 's-1' });
    expect(session).toMatchObject({
      session_id: 's-1',
      token_count_prompt: 36,
      token_count_completion: 90,
      token_count_total: 126,
    });
    expect(session.traces.map((t) => t.trace_id)).toEqual(turnTraces);
    expect(session.id).toBe(btoa(atob(session.id)));
    expect(atob(session.id)).toMatch(/^ProjectSession:\d+$/);
    expect(await sessions.get({ sessionId: session.id })).toEqual(session);
  });

  it('throws NotFoundError for an unknown session, and refuses /, ? and # before sending', async () => {
    const { client, requests } = fawkes.recordingClient();
    const error = await client.sessions.get({ sessionId: 'nobody' }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect([error.status, error.detail]).toEqual([404, 'Session with session_id nobody not found']);
    for (const sessionId of ['a/b', 'a?b', 'a#b']) {
      await expect(client.sessions.get({ sessionId })).rejects.toThrow(
        new InvalidArgumentError(`sessionId '${sessionId}' cannot contain '/', '?' or '#'`),
      );
    }
    expect(requests).toHaveLength(1);
  });
});

describe('sessions.list', () => {
  it("lists a project's sessions, oldest first unless told otherwise", async () => {
    const { sessions, projects } = fawkes.client;
    const listed = await sessions.list({ projectName: PROJECT });
    expect(listed.map((s) => s.session_id)).toEqual(['s-1', 's-2']);
    const { id } = await projects.get({ projectName: PROJECT });
    const newest = await sessions.list({ projectId: id, order: 'desc', limit: 1 });
    expect(newest.map((s) => s.session_id)).toEqual(['s-2']);
  });

  it('follows cursors until the limit or the last session', async () => {
    const project = 'many-sessions';
    await fawkes.exportSpans(
      Array.from({ length: 104 }, (_, i) =>
        conversationTurn({ projectName: project, sessionId: `m-${i}` }),
      ).flat(),
    );
    const { client, requests } = fawkes.recordingClient();
    const some = await client.sessions.list({ projectName: project, limit: 102 });
    expect(some.map((s) => s.session_id)).toEqual(Array.from({ length: 102 }, (_, i) => `m-${i}`));
    expect(requests.map((r) => new URL(r.url).searchParams.get('limit'))).toEqual(['100', '2']);
    expect(await client.sessions.list({ projectName: project })).toHaveLength(104);
  });
});

describe('sessions.getSessionTurns', () => {
  it("gives each trace's root input and output, by start time", async () => {
    const turns = await fawkes.client.sessions.getSessionTurns({ sessionId: 's-1' });
    expect(turns.map((t) => t.trace_id)).toEqual(turnTraces);
    expect(turns.map((t) => [t.input?.value, t.output?.value])).toEqual([
      ['s-1 q0', 'An answer to: s-1 q0'],
      ['s-1 q1', 'An answer to: s-1 q1'],
      ['s-1 q2', 'An answer to: s-1 q2'],
    ]);
    expect(turns[0]?.root_span).toMatchObject({ name: 'agent', parent_id: null, span_kind: 'CHAIN' });
    await expect(fawkes.client.sessions.getSessionTurns({ sessionId: 'nobody' })).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe('sessions.getSessionsDataframe', () => {
  it('has typed columns: datetimes as datetimes', async () => {
    const frame = await fawkes.client.sessions.getSessionsDataframe({ projectName: PROJECT });
    expect(frame.columns).toEqual(['id', 'session_id', 'project_id', 'start_time', 'end_time', 'num_traces']);
    expect(frame.dtypes.map(String)).toEqual([
      'DataType(String)',
      'DataType(String)',
      'DataType(String)',
      'DataType(Datetime(us,UTC))',
      'DataType(Datetime(us,UTC))',
      'DataType(Int64)',
    ]);
    expect(frame.getColumn('session_id').toArray()).toEqual(['s-1', 's-2']);
    expect(frame.getColumn('num_traces').toArray()).toEqual([3, 1]);
    const [start] = frame.getColumn('start_time').toArray() as unknown as Date[];
    const session = await fawkes.client.sessions.get({ sessionId: 's-1' });
    expect(start?.getTime()).toBe(Date.parse(session.start_time));
    expect(
      (await fawkes.client.sessions.getSessionsDataframe({ projectName: PROJECT, limit: 1 })).height,
    ).toBe(1);
  });
});

describe('sessions.delete and bulkDelete', () => {
  it('deletes one session with its traces', async () => {
    const project = 'session-deleting';
    const [traceId] = await sendSession('gone', 1, project);
    await fawkes.client.sessions.delete({ sessionId: 'gone' });
    await expect(fawkes.client.sessions.get({ sessionId: 'gone' })).rejects.toThrow(NotFoundError);
    expect(await fawkes.client.spans.getSpans({ projectName: project, traceIds: [traceId!] })).toEqual([]);
  });

  it('deletes many by session_id or by GlobalID, skipping unknown ones, refusing a mix', async () => {
    const { sessions } = fawkes.client;
    const project = 'bulk-deleting';
    for (const id of ['b-1', 'b-2', 'b-3', 'b-4']) await sendSession(id, 1, project);
    await sessions.bulkDelete({ sessionIds: ['b-1', 'b-2', 'never-was'] });
    const b3 = await sessions.get({ sessionId: 'b-3' });
    const mixed = await sessions.bulkDelete({ sessionIds: [b3.id, 'b-4'] }).catch((e) => e);
    expect(mixed).toBeInstanceOf(ApiError);
    expect([mixed.status, mixed.detail]).toEqual([
      422,
      'All identifiers must be the same type: either all GlobalIDs or all session_id strings.',
    ]);
    await sessions.bulkDelete({ sessionIds: [b3.id] });
    expect((await sessions.list({ projectName: project })).map((s) => s.session_id)).toEqual(['b-4']);
    await expect(sessions.bulkDelete({ sessionIds: [] })).rejects.toThrow(
      new InvalidArgumentError('sessionIds cannot be empty'),
    );
  });
});

describe('session annotations and notes', () => {
  it('adds one: sync returns its id, the same (name, identifier) updates it', async () => {
    const { sessions } = fawkes.client;
    const first = await sessions.addSessionAnnotation({
      sessionId: 's-1',
      annotationName: 'satisfaction',
      label: 'happy',
      score: 0.9,
      explanation: 'thanked the agent',
      metadata: { reviewer: 'ada' },
      sync: true,
    });
    const again = await sessions.addSessionAnnotation({
      sessionId: 's-1',
      annotationName: 'satisfaction',
      label: 'neutral',
      annotatorKind: 'CODE',
      sync: true,
    });
    expect(again.id).toBe(first.id);
    const [stored] = await sessions.getSessionAnnotations({ projectName: PROJECT, sessionIds: ['s-1'] });
    expect(stored).toMatchObject({
      id: first.id,
      session_id: 's-1',
      name: 'satisfaction',
      annotator_kind: 'CODE',
      result: { label: 'neutral' },
    });
  });

  it('without sync returns nothing and stores it', async () => {
    const { sessions } = fawkes.client;
    expect(
      await sessions.addSessionAnnotation({ sessionId: 's-2', annotationName: 'resolved', label: 'yes' }),
    ).toBeUndefined();
    const stored = await sessions.getSessionAnnotations({ projectName: PROJECT, sessionIds: ['s-2'] });
    expect(stored.map((a) => [a.name, a.annotator_kind, a.result?.label])).toEqual([
      ['resolved', 'HUMAN', 'yes'],
    ]);
  });

  it('fails a sync request naming an unknown session, and writes nothing of it', async () => {
    const { sessions } = fawkes.client;
    const error = await sessions
      .logSessionAnnotations({
        sessionAnnotations: [
          { sessionId: 's-1', annotationName: 'all-or-nothing', label: 'x' },
          { sessionId: 'ghost', annotationName: 'all-or-nothing', label: 'x' },
        ],
        sync: true,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.detail).toBe('Sessions with IDs ghost do not exist.');
    const stored = await sessions.getSessionAnnotations({
      projectName: PROJECT,
      sessionIds: ['s-1'],
      includeAnnotationNames: ['all-or-nothing'],
    });
    expect(stored).toEqual([]);
  });

  it('logs many at once, and refuses the reserved name note', async () => {
    const { sessions } = fawkes.client;
    const inserted = await sessions.logSessionAnnotations({
      sessionAnnotations: [
        { sessionId: 's-1', annotationName: 'turns-ok', score: 1 },
        { sessionId: 's-2', annotationName: 'turns-ok', score: 0 },
      ],
      sync: true,
    });
    expect(inserted).toHaveLength(2);
    const note = await sessions
      .addSessionAnnotation({ sessionId: 's-1', annotationName: 'note', label: 'x' })
      .catch((e) => e);
    expect([note.constructor, note.status]).toEqual([ApiError, 400]);
  });

  it('checks every annotation before any request', async () => {
    const { client, requests } = fawkes.recordingClient();
    const { sessions } = client;
    await expect(sessions.addSessionAnnotation({ sessionId: 's-1', annotationName: 'x' })).rejects.toThrow(
      new InvalidArgumentError('At least one of label, score, or explanation must be provided'),
    );
    await expect(
      sessions.logSessionAnnotations({
        sessionAnnotations: [
          { sessionId: 's-1', annotationName: 'x', label: 'fine' },
          { sessionId: 's-1', annotationName: 'x', label: ' ', explanation: '' },
        ],
        sync: true,
      }),
    ).rejects.toThrow('sessionAnnotations[1]: At least one of label, score, or explanation must be provided');
    await expect(
      sessions.addSessionAnnotation({
        sessionId: 's-1',
        annotationName: 'x',
        label: 'y',
        annotatorKind: 'human' as never,
      }),
    ).rejects.toThrow('annotatorKind must be one of LLM, CODE, HUMAN, got "human"');
    await expect(sessions.logSessionAnnotations({ sessionAnnotations: [] })).rejects.toThrow(
      'sessionAnnotations cannot be empty',
    );
    await expect(
      sessions.addSessionAnnotation({
        sessionId: 's-1',
        annotationName: 'x',
        label: 'y',
        metadata: [1] as never,
      }),
    ).rejects.toThrow('metadata must be an object');
    expect(requests).toEqual([]);
  });

  it('adds notes, which annotation reads leave out unless asked', async () => {
    const { sessions } = fawkes.client;
    const one = await sessions.addSessionNote({ sessionId: 's-2', note: 'called back' });
    const two = await sessions.addSessionNote({ sessionId: 's-2', note: 'closed' });
    expect(one.id).not.toBe(two.id);
    const names = (await sessions.getSessionAnnotations({ projectName: PROJECT, sessionIds: ['s-2'] })).map(
      (a) => a.name,
    );
    expect(names).not.toContain('note');
    const notes = await sessions.getSessionAnnotations({
      projectName: PROJECT,
      sessionIds: ['s-2'],
      includeAnnotationNames: ['note'],
      excludeAnnotationNames: [],
    });
    expect(notes.map((n) => n.result?.explanation).sort()).toEqual(['called back', 'closed']);
  });
});

describe('session annotation DataFrames', () => {
  it('logs a DataFrame in chunks of 100 rows, every id back with sync', async () => {
    const { client, requests } = fawkes.recordingClient();
    const rows = 230;
    const inserted = await client.sessions.logSessionAnnotationsDataframe({
      dataframe: pl.DataFrame({
        session_id: Array.from({ length: rows }, (_, i) => (i % 2 ? 's-1' : 's-2')),
        name: Array.from({ length: rows }, () => 'framed'),
        identifier: Array.from({ length: rows }, (_, i) => `r${i}`),
        score: Array.from({ length: rows }, (_, i) => i / rows),
        annotator_kind: Array.from({ length: rows }, (_, i) => (i % 3 ? 'LLM' : 'CODE')),
      }),
      sync: true,
    });
    expect(inserted).toHaveLength(rows);
    expect(new Set(inserted.map((a) => a.id)).size).toBe(rows);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('takes rows with an index column and global name and kind', async () => {
    const { sessions } = fawkes.client;
    await sessions.logSessionAnnotationsDataframe({
      dataframe: [
        { index: 's-1', label: 'long' },
        { index: 's-2', label: 'short' },
      ],
      annotationName: 'length',
      annotatorKind: 'CODE',
      sync: true,
    });
    const frame = await sessions.getSessionAnnotationsDataframe({
      projectName: PROJECT,
      sessionsDataframe: await sessions.getSessionsDataframe({ projectName: PROJECT }),
      includeAnnotationNames: ['length'],
    });
    expect(frame.columns[0]).toBe('session_id');
    const rows = frame.select('session_id', 'annotator_kind', 'result.label').sort('session_id').toRecords();
    expect(rows).toEqual([
      { session_id: 's-1', annotator_kind: 'CODE', 'result.label': 'long' },
      { session_id: 's-2', annotator_kind: 'CODE', 'result.label': 'short' },
    ]);
    expect(String(frame.getColumn('updated_at').dtype)).toBe('DataType(Datetime(us,UTC))');
  });

  it("follows Phoenix's DataFrame rules before sending anything", async () => {
    const { client, requests } = fawkes.recordingClient();
    const log = (dataframe: Record<string, unknown>[], annotationName?: string) =>
      client.sessions.logSessionAnnotationsDataframe({
        dataframe,
        ...(annotationName ? { annotationName } : {}),
      });
    await expect(log([{ session_id: 's-1', name: 'a', annotation_name: 'a', label: 'x' }])).rejects.toThrow(
      "DataFrame cannot have both 'name' and 'annotation_name' columns",
    );
    await expect(log([{ label: 'x' }], 'n')).rejects.toThrow(
      "DataFrame must have a 'session_id' column (or an 'index' column)",
    );
    await expect(log([{ session_id: '  ', label: 'x' }], 'n')).rejects.toThrow(
      'session_id values must be non-empty strings',
    );
    await expect(log([{ session_id: 's-1', annotator_kind: 'human', label: 'x' }], 'n')).rejects.toThrow(
      'Invalid annotator_kind values found in DataFrame: "human"',
    );
    await expect(
      client.sessions.logSessionAnnotationsDataframe({
        dataframe: [{ session_id: 's-1', label: 'x' }],
        annotationName: 'n',
        annotatorKind: 'ROBOT' as never,
      }),
    ).rejects.toThrow('annotatorKind must be one of LLM, CODE, HUMAN, got "ROBOT"');
    await expect(log([{ session_id: 's-1', identifier: 'x' }], 'n')).rejects.toThrow(
      'DataFrame must contain at least one of: label, score, explanation',
    );
    await expect(
      client.sessions.logSessionAnnotationsDataframe({
        dataframe: 'not a frame' as never,
        annotationName: 'n',
      }),
    ).rejects.toThrow('dataframe must be a nodejs-polars DataFrame or an array of row objects');
    expect(requests).toEqual([]);
  });
});
