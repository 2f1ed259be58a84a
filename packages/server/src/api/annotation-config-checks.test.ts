import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { api, sendSpans } from '../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

/** Annotation writes against the configs assigned to the target's project (POST /v1/*_annotations). */
describeEachDialect('annotation writes follow the project’s configs', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  const ids = { span: '', other: '', trace: '', session: 'checked-session' };

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    await sendSpans(t.server.url, conversationTurn({ projectName: 'checked', sessionId: ids.session }));
    await sendSpans(t.server.url, conversationTurn({ projectName: 'unchecked' }));
    const spans = (await http.get('/v1/projects/checked/spans')).json.data;
    ids.span = spans[0].context.span_id;
    ids.trace = spans[0].context.trace_id;
    ids.other = (await http.get('/v1/projects/unchecked/spans')).json.data[0].context.span_id;
    await http.post('/v1/annotation_configs', {
      name: 'correctness',
      type: 'CATEGORICAL',
      optimization_direction: 'MAXIMIZE',
      values: [
        { label: 'correct', score: 1 },
        { label: 'incorrect', score: 0 },
      ],
    });
    await http.post('/v1/annotation_configs', {
      name: 'quality',
      type: 'CONTINUOUS',
      optimization_direction: 'MAXIMIZE',
      lower_bound: 0,
      upper_bound: 5,
    });
    await http.put('/v1/projects/checked/annotation_configs/correctness');
    await http.put('/v1/projects/checked/annotation_configs/quality');
  });
  afterAll(() => t.close());

  const count = (table: string) => Number(t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n);
  const annotation = (target: Record<string, string>, name: string, result: object, identifier = '') => ({
    ...target,
    name,
    annotator_kind: 'HUMAN',
    result,
    identifier,
  });

  it('stores annotations that follow their configs', async () => {
    const response = await http.post('/v1/span_annotations?sync=true', {
      data: [
        annotation({ span_id: ids.span }, 'correctness', { label: 'correct', score: 1 }),
        annotation({ span_id: ids.span }, 'quality', { score: 5 }),
        annotation({ span_id: ids.span }, 'quality', { score: 0 }, 'low'),
        annotation({ span_id: ids.span }, 'correctness', { explanation: 'no label at all' }, 'why'),
        annotation({ span_id: ids.span }, 'unconfigured', { label: 'anything', score: 99 }),
      ],
    });
    expect(response.status).toBe(200);
    expect(response.json.data).toHaveLength(5);
  });

  it('refuses a label outside the values and a score outside the bounds (422), storing none of the batch', async () => {
    const before = count('span_annotations');
    const response = await http.post('/v1/span_annotations?sync=true', {
      data: [
        annotation({ span_id: ids.span }, 'correctness', { label: 'correct' }, 'fine'),
        annotation({ span_id: ids.span }, 'correctness', { label: 'maybe' }, 'bad-label'),
        annotation({ span_id: ids.span }, 'quality', { score: 5.5 }, 'too-high'),
        annotation({ span_id: ids.span }, 'quality', { score: -1 }, 'too-low'),
      ],
    });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      detail: [
        {
          loc: ['body', 'data', 1, 'result', 'label'],
          msg: "Input should be 'correct' or 'incorrect' (the values of annotation config 'correctness')",
          type: 'enum',
          input: 'maybe',
        },
        {
          loc: ['body', 'data', 2, 'result', 'score'],
          msg: "Input should be less than or equal to 5 (the upper bound of annotation config 'quality')",
          type: 'less_than_equal',
          input: 5.5,
        },
        {
          loc: ['body', 'data', 3, 'result', 'score'],
          msg: "Input should be greater than or equal to 0 (the lower bound of annotation config 'quality')",
          type: 'greater_than_equal',
          input: -1,
        },
      ],
    });
    // Without sync too: the target is stored, so its project's configs apply.
    const unsynced = await http.post('/v1/span_annotations', {
      data: [annotation({ span_id: ids.span }, 'quality', { score: 6 }, 'async')],
    });
    expect(unsynced.status).toBe(422);
    expect(count('span_annotations')).toBe(before);
    expect(count('pending_annotations')).toBe(0);
  });

  it('checks trace, session and document annotations by their target’s project', async () => {
    const before = {
      trace: count('trace_annotations'),
      session: count('project_session_annotations'),
      document: count('document_annotations'),
    };
    const trace = await http.post('/v1/trace_annotations?sync=true', {
      data: [annotation({ trace_id: ids.trace }, 'quality', { score: 10 })],
    });
    expect(trace.status).toBe(422);
    expect(trace.json.detail[0].loc).toEqual(['body', 'data', 0, 'result', 'score']);
    const session = await http.post('/v1/session_annotations?sync=true', {
      data: [annotation({ session_id: ids.session }, 'correctness', { label: 'wrong' })],
    });
    expect(session.status).toBe(422);
    const document = await http.post('/v1/document_annotations?sync=true', {
      data: [{ ...annotation({ span_id: ids.span }, 'quality', { score: 9 }), document_position: 0 }],
    });
    expect(document.status).toBe(422);
    expect(count('trace_annotations')).toBe(before.trace);
    expect(count('project_session_annotations')).toBe(before.session);
    expect(count('document_annotations')).toBe(before.document);

    const fine = await http.post('/v1/trace_annotations?sync=true', {
      data: [annotation({ trace_id: ids.trace }, 'quality', { score: 2.5 })],
    });
    expect(fine.status).toBe(200);
  });

  it('leaves projects without the config, and configs once unassigned, alone', async () => {
    const elsewhere = await http.post('/v1/span_annotations?sync=true', {
      data: [annotation({ span_id: ids.other }, 'quality', { score: 50 })],
    });
    expect(elsewhere.status).toBe(200);

    await http.delete('/v1/projects/checked/annotation_configs/quality');
    const unassigned = await http.post('/v1/span_annotations?sync=true', {
      data: [annotation({ span_id: ids.span }, 'quality', { score: 50 }, 'after-unassign')],
    });
    expect(unassigned.status).toBe(200);
    await http.put('/v1/projects/checked/annotation_configs/quality');
  });

  it('follows the config as it is now: an update changes what is accepted', async () => {
    const quality = (await http.get('/v1/annotation_configs/quality')).json.data;
    await http.put(`/v1/annotation_configs/${quality.id}`, {
      name: 'quality',
      type: 'CONTINUOUS',
      optimization_direction: 'MAXIMIZE',
      lower_bound: 0,
      upper_bound: 100,
    });
    const wider = await http.post('/v1/span_annotations?sync=true', {
      data: [annotation({ span_id: ids.span }, 'quality', { score: 50 }, 'wider')],
    });
    expect(wider.status).toBe(200);
  });

  describe('targets not stored yet', () => {
    it('are accepted without sync (kept pending, not checked)', async () => {
      const response = await http.post('/v1/span_annotations', {
        data: [annotation({ span_id: 'feedfacefeedface' }, 'quality', { score: 1000 })],
      });
      expect(response.status).toBe(200);
    });
  });
});
