import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { api, loggedSpan, otelId, sendSpans } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { encodeGlobalId } from '../global-id.js';

describeEachDialect('spans API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    await sendSpans(
      t.server.url,
      conversationTurn({ projectName: 'sp', sessionId: 'sp-1', toolFails: true }),
    );
  });
  afterAll(() => t.close());

  const count = (table: string) => t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
  type Span = {
    name: string;
    span_kind: string;
    parent_id: string | null;
    context: { span_id: string; trace_id: string };
  };
  const names = (spans: Span[]) => spans.map((s) => s.name);

  describe('GET /v1/projects/{project}/spans', () => {
    it("answers in Phoenix's span shape, newest first", async () => {
      const response = await http.get('/v1/projects/sp/spans');
      expect(response.status).toBe(200);
      expect(names(response.json.data)).toEqual(['agent', 'tool', 'llm']);
      const llm = response.json.data[2];
      expect(llm).toEqual({
        id: expect.any(String),
        name: 'llm',
        context: {
          trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
          span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
        span_kind: 'LLM',
        parent_id: response.json.data[0].context.span_id,
        start_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/),
        end_time: expect.any(String),
        status_code: 'UNSET',
        status_message: '',
        attributes: {
          'llm.token_count.prompt': 12,
          'llm.token_count.completion': 30,
          'llm.token_count.total': 42,
          'llm.model_name': 'gpt-test',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'What is Fawkes?',
          'session.id': 'sp-1',
        },
        events: [{ name: 'first token', timestamp: expect.any(String), attributes: { 'token.index': 0 } }],
      });
      expect(Buffer.from(llm.id, 'base64').toString()).toMatch(/^Span:\d+$/);
      expect(response.json.data[0].attributes).toMatchObject({
        'metadata.user': 'ada',
        'input.value': 'What is Fawkes?',
      });
    });

    it('filters by a parent that was never stored (its children are found all the same)', async () => {
      const turn = conversationTurn({ projectName: 'sp-orphans' });
      const root = turn.find((s) => s.name === 'agent')!;
      await sendSpans(
        t.server.url,
        turn.filter((s) => s !== root),
      );
      const response = await http.get(`/v1/projects/sp-orphans/spans?parent_id=${root.spanContext().spanId}`);
      expect(names(response.json.data)).toEqual(['tool', 'llm']);
    });

    it('filters by trace, parent, name, kind, status, attribute and time', async () => {
      const all = (await http.get('/v1/projects/sp/spans')).json.data as Span[];
      const traceId = all[0]!.context.trace_id;
      const q = async (query: string) => names((await http.get(`/v1/projects/sp/spans?${query}`)).json.data);
      expect(await q(`trace_id=${traceId}&trace_id=${'0'.repeat(31)}1`)).toHaveLength(3);
      expect(await q('parent_id=null')).toEqual(['agent']);
      expect(await q(`parent_id=${all[0]!.context.span_id}`)).toEqual(['tool', 'llm']);
      expect(await q('name=llm&name=tool')).toEqual(['tool', 'llm']);
      expect(await q('span_kind=LLM')).toEqual(['llm']);
      expect(await q('span_kind=tool')).toEqual(['tool']);
      expect(await q('status_code=ERROR')).toEqual(['tool']);
      expect(await q('attribute=llm.model_name:gpt-test')).toEqual(['llm']);
      expect(await q('attribute=llm.token_count.prompt:12&attribute=session.id:sp-1')).toEqual(['llm']);
      expect(await q('attribute=llm.token_count.prompt:%2212%22')).toEqual([]);
      expect(await q('attribute=metadata.user:ada')).toEqual(['agent']);
      expect(await q('start_time=2000-01-01T00:00:00Z')).toHaveLength(3);
      expect(await q('end_time=2000-01-01T00:00:00Z')).toEqual([]);
    });

    it('filters with the query language (ours: ?filter=), with the other filters and cursors', async () => {
      const q = async (filter: string, more = '') =>
        (await http.get(`/v1/projects/sp/spans?filter=${encodeURIComponent(filter)}${more}`)).json;
      expect(names((await q("span_kind == 'LLM' and llm.token_count.total > 40")).data)).toEqual(['llm']);
      expect(names((await q('llm.token_count.total > 42')).data)).toEqual([]);
      expect(names((await q("status_code == 'ERROR' or parent_id is None")).data)).toEqual(['agent', 'tool']);
      expect(names((await q("metadata['user'] == 'ada'")).data)).toEqual(['agent']);
      expect(names((await q("span_kind != 'AGENT'", '&name=llm')).data)).toEqual(['llm']);
      const first = await q('parent_id is not None', '&limit=1');
      expect(names(first.data)).toEqual(['tool']);
      expect(names((await q('parent_id is not None', `&limit=1&cursor=${first.next_cursor}`)).data)).toEqual([
        'llm',
      ]);
      expect(names((await http.get('/v1/projects/sp/spans?filter=%20')).json.data)).toHaveLength(3);
    });

    it('answers an invalid query-language filter with a 422 that points at the error', async () => {
      const response = await http.get(
        `/v1/projects/sp/spans?filter=${encodeURIComponent("span_kind == 'LLM' and")}`,
      );
      expect(response.status).toBe(422);
      expect(response.json.detail[0]).toMatchObject({
        loc: ['query', 'filter'],
        type: 'value_error',
        ctx: { position: expect.any(Number), column: expect.any(Number) },
      });
      expect(response.json.detail[0].msg).toMatch(/^Invalid filter: /);
      const unknown = await http.get(
        `/v1/projects/sp/spans?filter=${encodeURIComponent('no_such_field > 1')}`,
      );
      expect(unknown.status).toBe(422);
    });

    it('pages with Span GlobalID cursors', async () => {
      const first = await http.get('/v1/projects/sp/spans?limit=2');
      expect(names(first.json.data)).toEqual(['agent', 'tool']);
      expect(Buffer.from(first.json.next_cursor, 'base64').toString()).toMatch(/^Span:\d+$/);
      const second = await http.get(`/v1/projects/sp/spans?limit=2&cursor=${first.json.next_cursor}`);
      expect(names(second.json.data)).toEqual(['llm']);
      expect(second.json.next_cursor).toBeNull();
    });

    it('answers bad filters with 422 and unknown projects with 404', async () => {
      expect(await http.get('/v1/projects/sp/spans?span_kind=BOGUS')).toMatchObject({
        status: 422,
        text: expect.stringContaining('Invalid span_kind value(s): BOGUS'),
      });
      expect((await http.get('/v1/projects/sp/spans?status_code=fine')).status).toBe(422);
      expect((await http.get('/v1/projects/sp/spans?attribute=nocolon')).text).toBe(
        "Invalid attribute 'nocolon': expected format 'key:value'",
      );
      expect((await http.get('/v1/projects/sp/spans?attribute=a:[1]')).status).toBe(422);
      expect((await http.get('/v1/projects/sp/spans?cursor=abc')).text).toBe('Invalid cursor');
      expect((await http.get('/v1/projects/nope/spans')).status).toBe(404);
    });
  });

  describe('GET /v1/projects/{project}/spans/otlpv1', () => {
    it('answers in OTLP/JSON form', async () => {
      const response = await http.get('/v1/projects/sp/spans/otlpv1?name=llm');
      const [span] = response.json.data;
      expect(span).toMatchObject({
        name: 'llm',
        kind: 'SPAN_KIND_INTERNAL',
        start_time_unix_nano: expect.stringMatching(/^\d{19}$/),
        status: { code: 0, message: null },
      });
      const attributes = Object.fromEntries(
        span.attributes.map((kv: { key: string; value: unknown }) => [kv.key, kv.value]),
      );
      expect(attributes['llm.model_name']).toEqual({ string_value: 'gpt-test' });
      expect(attributes['llm.token_count.prompt']).toEqual({ int_value: 12 });
      expect(attributes['openinference.span.kind']).toEqual({ string_value: 'LLM' });
      expect(span.events[0]).toMatchObject({
        name: 'first token',
        time_unix_nano: expect.stringMatching(/^\d{19}$/),
      });
      const tool = (await http.get('/v1/projects/sp/spans/otlpv1?status_code=ERROR')).json.data[0];
      expect(tool.status).toEqual({ code: 2, message: 'tool exploded' });
    });
  });

  describe('POST /v1/projects/{project}/spans', () => {
    it('stores spans (creating the project) and lists them back the same', async () => {
      const traceId = otelId(16);
      const span = loggedSpan({
        traceId,
        name: 'logged',
        kind: 'LLM',
        start: '2024-05-01T00:00:00.250000+00:00',
        end: '2024-05-01T00:00:01+00:00',
        attributes: { 'llm.model_name': 'm', 'llm.input_messages.0.message.role': 'user', 'metadata.k': 'v' },
      });
      const response = await http.post('/v1/projects/logged-project/spans', { data: [span] });
      expect(response).toMatchObject({ status: 202, json: { total_received: 1, total_queued: 1 } });
      const [listed] = (await http.get('/v1/projects/logged-project/spans')).json.data;
      expect(listed).toMatchObject({
        name: 'logged',
        span_kind: 'LLM',
        context: span.context,
        start_time: '2024-05-01T00:00:00.250000+00:00',
        end_time: '2024-05-01T00:00:01+00:00',
        attributes: span.attributes,
      });
    });

    it('refuses duplicates and invalid spans with a JSON detail, storing none', async () => {
      const existing = (await http.get('/v1/projects/sp/spans?limit=1')).json.data[0];
      const fresh = loggedSpan({ traceId: otelId(16), start: '2024-05-01T00:00:00Z' });
      const bad = loggedSpan({ traceId: 'not-hex', start: '2024-05-01T00:00:00Z' });
      const spans = count('spans');
      const response = await http.post('/v1/projects/sp/spans', {
        data: [fresh, { ...existing, id: undefined }, bad],
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toEqual({
        error: 'Request contains invalid or duplicate spans',
        total_received: 3,
        total_queued: 0,
        total_duplicates: 1,
        total_invalid: 1,
        duplicate_spans: [existing.context],
        invalid_spans: [{ ...bad.context, error: expect.stringContaining('trace_id must be 32 hex digits') }],
      });
      expect(count('spans')).toBe(spans);
    });

    it('answers schema problems and naive timestamps with 422s at the span', async () => {
      const naive = loggedSpan({ traceId: otelId(16), start: '2024-05-01T00:00:00' });
      const response = await http.post('/v1/projects/sp/spans', { data: [naive] });
      expect(response.status).toBe(422);
      expect(response.json.detail[0]).toMatchObject({ loc: ['body', 'data', 0], type: 'value_error' });
      expect(response.json.detail[0].msg).toContain('timezone-naive');
      const missing = await http.post('/v1/projects/sp/spans', { data: [{ name: 'x' }] });
      expect(missing.json.detail.map((d: { loc: unknown[] }) => d.loc)).toContainEqual([
        'body',
        'data',
        0,
        'context',
      ]);
      const gid = encodeGlobalId('Project', 9999);
      expect(await http.post(`/v1/projects/${gid}/spans`, { data: [] })).toMatchObject({
        status: 404,
        text: `Project with ID ${gid} not found`,
      });
    });
  });

  describe('DELETE /v1/spans/{span_identifier}', () => {
    it("deletes one span, subtracting its counts from its ancestors and fixing its trace's range", async () => {
      const traceId = otelId(16);
      const [root, child, leaf] = [otelId(8), otelId(8), otelId(8)];
      await http.post('/v1/projects/del-spans/spans', {
        data: [
          loggedSpan({ traceId, spanId: root, start: '2024-06-01T00:00:00Z', end: '2024-06-01T00:00:10Z' }),
          loggedSpan({
            traceId,
            spanId: child,
            parentId: root,
            kind: 'LLM',
            statusCode: 'ERROR',
            start: '2024-06-01T00:00:01Z',
            end: '2024-06-01T00:00:20Z',
            attributes: { 'llm.token_count.prompt': 5 },
          }),
          loggedSpan({
            traceId,
            spanId: leaf,
            parentId: child,
            start: '2024-06-01T00:00:02Z',
            end: '2024-06-01T00:00:03Z',
          }),
        ],
      });
      const cumulative = () =>
        t.query(
          'SELECT cumulative_error_count AS e, cumulative_llm_token_count_prompt AS p FROM spans WHERE span_id = ?',
          root,
        )[0];
      expect(cumulative()).toEqual({ e: 1, p: 5 });
      expect((await http.delete(`/v1/spans/${child}`)).status).toBe(204);
      expect(cumulative()).toEqual({ e: 0, p: 0 });
      expect(t.query('SELECT end_time FROM traces WHERE trace_id = ?', traceId)[0]).toEqual({
        end_time: Date.parse('2024-06-01T00:00:10Z') * 1000,
      });
      expect(names((await http.get('/v1/projects/del-spans/spans')).json.data).length).toBe(2);

      const leafRow = t.query<{ id: number }>('SELECT id FROM spans WHERE span_id = ?', leaf)[0]!.id;
      expect((await http.delete(`/v1/spans/${encodeGlobalId('Span', leafRow)}`)).status).toBe(204);
      expect((await http.delete(`/v1/spans/${root}`)).status).toBe(204);
      expect(t.query('SELECT 1 FROM traces WHERE trace_id = ?', traceId)).toEqual([]);
    });

    it('answers 404 with the identifier kind', async () => {
      expect(await http.delete('/v1/spans/0000000000000abc')).toMatchObject({
        status: 404,
        text: "Span with span_id '0000000000000abc' not found",
      });
      const gid = encodeGlobalId('Span', 123456);
      expect((await http.delete(`/v1/spans/${gid}`)).text).toBe(`Span with relay ID '${gid}' not found`);
    });
  });
});
