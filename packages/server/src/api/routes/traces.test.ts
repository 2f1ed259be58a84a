import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { api, loggedSpan, otelId, sendSpans } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { encodeGlobalId } from '../global-id.js';

describeEachDialect('traces API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
  });
  afterAll(() => t.close());

  const count = (table: string) => t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
  const session = (id: string) =>
    t.query<Record<string, number | string | null>>(
      'SELECT * FROM project_sessions WHERE session_id = ?',
      id,
    )[0];

  /** A trace of a root CHAIN span and an LLM child, logged through the REST API. */
  async function logTrace(project: string, start: string, seconds: number, sessionId?: string) {
    const traceId = otelId(16);
    const rootId = otelId(8);
    const end = new Date(Date.parse(start) + seconds * 1000).toISOString();
    const sessionAttr = sessionId ? { 'session.id': sessionId } : {};
    const response = await http.post(`/v1/projects/${project}/spans`, {
      data: [
        loggedSpan({
          traceId,
          spanId: rootId,
          start,
          end,
          attributes: { 'input.value': `q ${start}`, 'output.value': `a ${start}`, ...sessionAttr },
        }),
        loggedSpan({
          traceId,
          parentId: rootId,
          kind: 'LLM',
          name: 'llm',
          start,
          end,
          attributes: { 'llm.token_count.prompt': 10, 'llm.token_count.completion': 20, ...sessionAttr },
        }),
      ],
    });
    expect(response.status).toBe(202);
    return traceId;
  }

  describe('GET /v1/projects/{project}/traces', () => {
    let first: string;
    let second: string;
    let third: string;
    beforeAll(async () => {
      first = await logTrace('tr', '2024-01-01T00:00:00Z', 5, 's-1');
      second = await logTrace('tr', '2024-01-01T00:01:00Z', 1, 's-1');
      third = await logTrace('tr', '2024-01-01T00:02:00Z', 10);
    });

    it('lists newest first with token counts of LLM spans', async () => {
      const response = await http.get('/v1/projects/tr/traces');
      expect(response.status).toBe(200);
      expect(response.json.next_cursor).toBeNull();
      expect(response.json.data.map((d: { trace_id: string }) => d.trace_id)).toEqual([third, second, first]);
      const [trace] = response.json.data;
      const projectId = (await http.get('/v1/projects/tr')).json.data.id;
      expect(trace).toEqual({
        id: expect.any(String),
        trace_id: third,
        project_id: projectId,
        start_time: '2024-01-01T00:02:00+00:00',
        end_time: '2024-01-01T00:02:10+00:00',
        token_count_prompt: 10,
        token_count_completion: 20,
        token_count_total: 30,
        spans: null,
      });
      expect(Buffer.from(trace.id, 'base64').toString()).toMatch(/^Trace:\d+$/);
    });

    it('pages with cursors in either order, and sorts by latency', async () => {
      const page1 = await http.get('/v1/projects/tr/traces?limit=2&order=asc');
      expect(page1.json.data.map((d: { trace_id: string }) => d.trace_id)).toEqual([first, second]);
      const page2 = await http.get(
        `/v1/projects/tr/traces?limit=2&order=asc&cursor=${page1.json.next_cursor}`,
      );
      expect(page2.json.data.map((d: { trace_id: string }) => d.trace_id)).toEqual([third]);
      expect(page2.json.next_cursor).toBeNull();
      const byLatency = await http.get('/v1/projects/tr/traces?sort=latency_ms&limit=1');
      expect(byLatency.json.data[0].trace_id).toBe(third);
      const next = await http.get(
        `/v1/projects/tr/traces?sort=latency_ms&limit=1&cursor=${byLatency.json.next_cursor}`,
      );
      expect(next.json.data[0].trace_id).toBe(first);
    });

    it('filters by time range and session, and includes spans when asked', async () => {
      const range = await http.get(
        '/v1/projects/tr/traces?start_time=2024-01-01T00:00:30Z&end_time=2024-01-01T00:02:00%2B00:00',
      );
      expect(range.json.data.map((d: { trace_id: string }) => d.trace_id)).toEqual([second]);
      const bySessionId = await http.get('/v1/projects/tr/traces?session_identifier=s-1');
      expect(bySessionId.json.data).toHaveLength(2);
      const sessionGid = encodeGlobalId('ProjectSession', session('s-1')!.id as number);
      const byGid = await http.get(
        `/v1/projects/tr/traces?session_identifier=${sessionGid}&session_identifier=none`,
      );
      expect(byGid.json.data).toHaveLength(2);
      const withSpans = await http.get('/v1/projects/tr/traces?include_spans=True&limit=1');
      expect(withSpans.json.data[0].spans).toEqual([
        expect.objectContaining({ parent_id: null, span_kind: 'CHAIN', status_code: 'OK', name: 'span' }),
        expect.objectContaining({ span_kind: 'LLM', name: 'llm', id: expect.any(String) }),
      ]);
    });

    it('answers bad requests with Phoenix errors', async () => {
      expect(await http.get('/v1/projects/none/traces')).toMatchObject({
        status: 404,
        text: 'Project with name none not found',
      });
      expect((await http.get('/v1/projects/tr/traces?sort=name')).json.detail[0]).toMatchObject({
        loc: ['query', 'sort'],
        type: 'enum',
      });
      expect((await http.get('/v1/projects/tr/traces?limit=1001')).status).toBe(422);
      expect((await http.get('/v1/projects/tr/traces?start_time=yesterday')).json.detail[0].loc).toEqual([
        'query',
        'start_time',
      ]);
      expect((await http.get('/v1/projects/tr/traces?cursor=xyz')).status).toBe(422);
    });
  });

  describe('DELETE /v1/traces/{trace_identifier}', () => {
    it('deletes by trace_id or GlobalID with spans, keeping session rollups right', async () => {
      const a = await logTrace('del', '2024-02-01T00:00:00Z', 1, 'del-session');
      const b = await logTrace('del', '2024-02-01T00:05:00Z', 2, 'del-session');
      expect(session('del-session')).toMatchObject({ num_traces: 2, token_count_prompt: 20 });

      const spans = count('spans');
      expect((await http.delete(`/v1/traces/${b}`)).status).toBe(204);
      expect(count('spans')).toBe(spans - 2);
      expect(session('del-session')).toMatchObject({
        num_traces: 1,
        token_count_prompt: 10,
        token_count_completion: 20,
        last_output: 'a 2024-02-01T00:00:00Z',
        end_time: Date.parse('2024-02-01T00:00:01Z') * 1000,
      });

      const rowId = t.query<{ id: number }>('SELECT id FROM traces WHERE trace_id = ?', a)[0]!.id;
      const response = await http.delete(`/v1/traces/${encodeGlobalId('Trace', rowId)}`);
      expect(response).toMatchObject({ status: 204, text: '' });
      expect(session('del-session')).toBeUndefined();
    });

    it('answers 404 with the identifier kind', async () => {
      expect(await http.delete('/v1/traces/abc123')).toMatchObject({
        status: 404,
        text: "Trace with trace_id 'abc123' not found",
      });
      const gid = encodeGlobalId('Trace', 99999);
      expect((await http.delete(`/v1/traces/${gid}`)).text).toBe(`Trace with relay ID '${gid}' not found`);
    });
  });

  describe('POST /v1/traces/transfer', () => {
    it('moves traces, and a session whose traces all move, to another project', async () => {
      await http.post('/v1/projects', { name: 'dest' });
      const a = await logTrace('src', '2024-03-01T00:00:00Z', 1, 'moving');
      const b = await logTrace('src', '2024-03-01T00:01:00Z', 1, 'moving');
      const response = await http.post('/v1/traces/transfer', {
        trace_identifiers: [a, b, a],
        destination_project_identifier: 'dest',
      });
      const dest = (await http.get('/v1/projects/dest')).json.data.id;
      expect(response.json).toEqual({ data: { transferred_trace_count: 2, destination_project_id: dest } });
      expect((await http.get('/v1/projects/src/traces')).json.data).toEqual([]);
      expect((await http.get('/v1/projects/dest/traces')).json.data).toHaveLength(2);
      const destRow = t.query<{ id: number }>("SELECT id FROM projects WHERE name = 'dest'")[0]!.id;
      expect(session('moving')!.project_id).toBe(destRow);
    });

    it('takes traces out of a session they leave behind', async () => {
      const a = await logTrace('src2', '2024-03-02T00:00:00Z', 1, 'split');
      await logTrace('src2', '2024-03-02T00:01:00Z', 1, 'split');
      const rowId = t.query<{ id: number }>('SELECT id FROM traces WHERE trace_id = ?', a)[0]!.id;
      const response = await http.post('/v1/traces/transfer', {
        trace_identifiers: [encodeGlobalId('Trace', rowId)],
        destination_project_identifier: (await http.get('/v1/projects/dest')).json.data.id,
      });
      expect(response.json.data.transferred_trace_count).toBe(1);
      expect(session('split')).toMatchObject({
        num_traces: 1,
        start_time: Date.parse('2024-03-02T00:01:00Z') * 1000,
      });
      expect(t.query('SELECT project_session_id FROM traces WHERE id = ?', rowId)[0]).toEqual({
        project_session_id: null,
      });
    });

    it('refuses bad requests and changes nothing', async () => {
      const a = await logTrace('p1', '2024-04-01T00:00:00Z', 1);
      const b = await logTrace('p2', '2024-04-01T00:00:00Z', 1);
      const before = t.query('SELECT id, project_id, project_session_id FROM traces ORDER BY id');
      const transfer = (body: unknown) => http.post('/v1/traces/transfer', body);
      expect(
        await transfer({ trace_identifiers: [a, 'nope'], destination_project_identifier: 'dest' }),
      ).toMatchObject({
        status: 404,
        text: 'Traces with IDs nope do not exist.',
      });
      expect(
        await transfer({ trace_identifiers: [a, b], destination_project_identifier: 'dest' }),
      ).toMatchObject({
        status: 422,
        text: 'All traces must belong to the same source project',
      });
      expect(
        await transfer({ trace_identifiers: [a], destination_project_identifier: 'nowhere' }),
      ).toMatchObject({
        status: 404,
        text: 'Project with name nowhere not found',
      });
      const empty = await transfer({ trace_identifiers: [], destination_project_identifier: 'dest' });
      expect(empty.status).toBe(422);
      expect(empty.json.detail[0].loc).toEqual(['body', 'trace_identifiers']);
      expect(
        (await transfer({ trace_identifiers: 'x', destination_project_identifier: 'dest' })).status,
      ).toBe(422);
      expect(t.query('SELECT id, project_id, project_session_id FROM traces ORDER BY id')).toEqual(before);
    });
  });

  describe('traces from a real exporter', () => {
    it('lists a conversation turn sent over OTLP', async () => {
      await sendSpans(t.server.url, conversationTurn({ projectName: 'otlp-traces', tokens: [7, 9] }));
      const response = await http.get('/v1/projects/otlp-traces/traces?include_spans=true');
      expect(response.json.data).toHaveLength(1);
      expect(response.json.data[0]).toMatchObject({ token_count_prompt: 7, token_count_completion: 9 });
      expect(response.json.data[0].spans.map((s: { name: string }) => s.name).sort()).toEqual([
        'agent',
        'llm',
        'tool',
      ]);
    });
  });
});
