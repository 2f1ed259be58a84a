import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { api, loggedSpan, otelId, sendSpans } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { encodeGlobalId } from '../global-id.js';

describeEachDialect('sessions API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
  });
  afterAll(() => t.close());

  const count = (table: string) => t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
  const rowId = (sessionId: string) =>
    t.query<{ id: number }>('SELECT id FROM project_sessions WHERE session_id = ?', sessionId)[0]!.id;

  /** A conversation of `turns` turns, each its own trace, sent by the real OTel SDK over OTLP. */
  async function conversation(sessionId: string, turns: number, projectName = 'chat') {
    for (let i = 0; i < turns; i++) {
      await sendSpans(
        t.server.url,
        conversationTurn({
          projectName,
          sessionId,
          question: `question ${i}`,
          tokens: [10 + i, 20],
          toolFails: i === 0,
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  describe('GET /v1/sessions/{session_identifier}', () => {
    beforeAll(() => conversation('s-get', 3));

    it('answers the session with its traces by start time, tokens of LLM spans and rollups', async () => {
      const response = await http.get('/v1/sessions/s-get');
      expect(response.status).toBe(200);
      const session = response.json.data;
      const projectId = (await http.get('/v1/projects/chat')).json.data.id;
      expect(session).toEqual({
        id: encodeGlobalId('ProjectSession', rowId('s-get')),
        session_id: 's-get',
        project_id: projectId,
        start_time: expect.stringMatching(/\+00:00$/),
        end_time: expect.stringMatching(/\+00:00$/),
        traces: [expect.any(Object), expect.any(Object), expect.any(Object)],
        token_count_prompt: 10 + 11 + 12,
        token_count_completion: 60,
        token_count_total: 93,
        num_traces: 3,
        error_count: 1,
        first_input: 'question 0',
        last_output: 'An answer to: question 2',
      });
      const starts = session.traces.map((tr: { start_time: string }) => tr.start_time);
      expect([...starts].sort()).toEqual(starts);
      expect(Buffer.from(session.traces[0].id, 'base64').toString()).toMatch(/^Trace:\d+$/);
      expect(session.traces[0]).toEqual({
        id: expect.any(String),
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        start_time: starts[0],
        end_time: expect.any(String),
      });
      const byGid = await http.get(`/v1/sessions/${session.id}`);
      expect(byGid.json).toEqual(response.json);
    });

    it('answers 404 with the identifier kind', async () => {
      expect(await http.get('/v1/sessions/unknown')).toMatchObject({
        status: 404,
        text: 'Session with session_id unknown not found',
      });
      const gid = encodeGlobalId('ProjectSession', 424242);
      expect((await http.get(`/v1/sessions/${gid}`)).text).toBe(`Session with ID ${gid} not found`);
    });

    it('answers the turns in one call', async () => {
      const response = await http.get('/v1/sessions/s-get/turns');
      expect(response.status).toBe(200);
      const turns = response.json.data;
      expect(turns).toHaveLength(3);
      expect(turns.map((turn: { input: { value: string } }) => turn.input.value)).toEqual([
        'question 0',
        'question 1',
        'question 2',
      ]);
      const session = (await http.get('/v1/sessions/s-get')).json.data;
      expect(turns[1]).toEqual({
        trace_id: session.traces[1].trace_id,
        start_time: session.traces[1].start_time,
        end_time: session.traces[1].end_time,
        input: { value: 'question 1', mime_type: null },
        output: { value: 'An answer to: question 1', mime_type: null },
        root_span: expect.objectContaining({ name: 'agent', parent_id: null, span_kind: 'CHAIN' }),
      });
      expect(turns[1].root_span.attributes['input.value']).toBe('question 1');
      expect((await http.get('/v1/sessions/nope/turns')).status).toBe(404);
    });

    it('shows mime types, and a turn whose trace has no root span', async () => {
      const traceId = otelId(16);
      const orphanTrace = otelId(16);
      await http.post('/v1/projects/chat/spans', {
        data: [
          loggedSpan({
            traceId,
            start: '2030-01-01T00:00:00Z',
            attributes: {
              'session.id': 's-mime',
              'input.value': '{"q": 1}',
              'input.mime_type': 'application/json',
              'output.value': 'ok',
              'output.mime_type': 'text/plain',
            },
          }),
          loggedSpan({
            traceId: orphanTrace,
            parentId: otelId(8),
            start: '2030-01-01T00:01:00Z',
            attributes: { 'session.id': 's-mime' },
          }),
        ],
      });
      const turns = (await http.get('/v1/sessions/s-mime/turns')).json.data;
      expect(turns[0]).toMatchObject({
        input: { value: '{"q": 1}', mime_type: 'application/json' },
        output: { value: 'ok', mime_type: 'text/plain' },
      });
      expect(turns[1]).toMatchObject({ trace_id: orphanTrace, input: null, output: null, root_span: null });
    });
  });

  describe('GET /v1/projects/{project}/sessions', () => {
    beforeAll(async () => {
      for (const id of ['l-1', 'l-2', 'l-3']) await conversation(id, 1, 'listing');
    });

    it('pages by id in either order', async () => {
      const ids = (r: { json: { data: { session_id: string }[] } }) => r.json.data.map((s) => s.session_id);
      const asc1 = await http.get('/v1/projects/listing/sessions?limit=2');
      expect(ids(asc1)).toEqual(['l-1', 'l-2']);
      expect(asc1.json.next_cursor).toBe(encodeGlobalId('ProjectSession', rowId('l-3')));
      const asc2 = await http.get(`/v1/projects/listing/sessions?limit=2&cursor=${asc1.json.next_cursor}`);
      expect(ids(asc2)).toEqual(['l-3']);
      expect(asc2.json.next_cursor).toBeNull();
      const desc = await http.get('/v1/projects/listing/sessions?order=desc&limit=2');
      expect(ids(desc)).toEqual(['l-3', 'l-2']);
      const desc2 = await http.get(
        `/v1/projects/listing/sessions?order=desc&limit=2&cursor=${desc.json.next_cursor}`,
      );
      expect(ids(desc2)).toEqual(['l-1']);
      expect(asc1.json.data[0].traces).toHaveLength(1);
      expect(asc1.json.data[0].token_count_total).toBe(30);
    });

    it('answers errors', async () => {
      expect((await http.get('/v1/projects/nope/sessions')).status).toBe(404);
      expect((await http.get('/v1/projects/listing/sessions?order=sideways')).status).toBe(422);
      expect(await http.get('/v1/projects/listing/sessions?cursor=@@')).toMatchObject({
        status: 422,
        text: 'Invalid cursor format: @@',
      });
      expect((await http.get('/v1/projects/listing/sessions?limit=-1')).status).toBe(422);
    });
  });

  describe('deleting sessions', () => {
    it('deletes one by session_id or GlobalID, with its traces, spans and annotations', async () => {
      await conversation('d-1', 2, 'deleting');
      await conversation('d-2', 1, 'deleting');
      await http.post('/v1/session_annotations?sync=true', {
        data: [{ session_id: 'd-1', name: 'q', annotator_kind: 'HUMAN', result: { label: 'ok' } }],
      });
      const spans = count('spans');
      expect(await http.delete('/v1/sessions/d-1')).toMatchObject({ status: 204, text: '' });
      expect(count('spans')).toBe(spans - 6);
      expect(count('project_session_annotations')).toBe(0);
      expect((await http.get('/v1/sessions/d-1')).status).toBe(404);
      expect(
        (await http.delete(`/v1/sessions/${encodeGlobalId('ProjectSession', rowId('d-2'))}`)).status,
      ).toBe(204);
      expect(
        t.query("SELECT 1 FROM traces t JOIN projects p ON p.id = t.project_id WHERE p.name = 'deleting'"),
      ).toEqual([]);
    });

    it('answers 404 with quotes, as Phoenix does', async () => {
      expect(await http.delete('/v1/sessions/gone')).toMatchObject({
        status: 404,
        text: "Session with session_id 'gone' not found",
      });
      const gid = encodeGlobalId('ProjectSession', 999);
      expect((await http.delete(`/v1/sessions/${gid}`)).text).toBe(`Session with ID '${gid}' not found`);
    });

    it('bulk deletes by one kind of identifier, skipping unknown ones', async () => {
      for (const id of ['b-1', 'b-2', 'b-3']) await conversation(id, 1, 'bulk');
      expect(
        (await http.post('/v1/sessions/delete', { session_identifiers: ['b-1', 'missing'] })).status,
      ).toBe(204);
      const gids = ['b-2', 'b-3'].map((id) => encodeGlobalId('ProjectSession', rowId(id)));
      expect(
        (
          await http.post('/v1/sessions/delete', {
            session_identifiers: [...gids, encodeGlobalId('ProjectSession', 1e6)],
          })
        ).status,
      ).toBe(204);
      expect((await http.get('/v1/projects/bulk/sessions')).json.data).toEqual([]);
      expect((await http.get('/v1/projects/bulk/traces')).json.data).toEqual([]);
    });

    it('refuses empty and mixed lists, deleting nothing', async () => {
      await conversation('m-1', 1, 'mixed');
      await conversation('m-2', 1, 'mixed');
      const sessions = count('project_sessions');
      expect(await http.post('/v1/sessions/delete', { session_identifiers: [] })).toMatchObject({
        status: 422,
        text: 'Session identifier list must not be empty.',
      });
      expect(
        await http.post('/v1/sessions/delete', {
          session_identifiers: ['m-1', encodeGlobalId('ProjectSession', rowId('m-2'))],
        }),
      ).toMatchObject({
        status: 422,
        text: 'All identifiers must be the same type: either all GlobalIDs or all session_id strings.',
      });
      expect((await http.post('/v1/sessions/delete', {})).json.detail[0]).toMatchObject({
        loc: ['body', 'session_identifiers'],
        type: 'missing',
      });
      expect(count('project_sessions')).toBe(sessions);
    });
  });
});
