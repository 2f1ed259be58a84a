import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { api, loggedSpan, otelId, sendSpans } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

describeEachDialect('annotations API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  let llmSpanId: string;
  let rootSpanId: string;
  let traceId: string;
  const retrieverSpanId = otelId(8);

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    await sendSpans(t.server.url, conversationTurn({ projectName: 'an', sessionId: 'an-1' }));
    const spans = (await http.get('/v1/projects/an/spans')).json.data;
    rootSpanId = spans.find((s: { name: string }) => s.name === 'agent').context.span_id;
    llmSpanId = spans.find((s: { name: string }) => s.name === 'llm').context.span_id;
    traceId = spans[0].context.trace_id;
    await http.post('/v1/projects/an/spans', {
      data: [
        loggedSpan({
          traceId: otelId(16),
          spanId: retrieverSpanId,
          kind: 'RETRIEVER',
          start: '2024-01-01T00:00:00Z',
          attributes: {
            'retrieval.documents.0.document.content': 'a',
            'retrieval.documents.1.document.content': 'b',
          },
        }),
      ],
    });
  });
  afterAll(() => t.close());

  const rows = (table: string, where = '1 = 1', ...params: unknown[]) =>
    t.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE ${where} ORDER BY id`, ...params);
  const decode = (gid: string) => Buffer.from(gid, 'base64').toString();
  const annotation = (target: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    name: 'correctness',
    annotator_kind: 'LLM',
    result: { label: 'correct', score: 0.9, explanation: 'fine' },
    metadata: { model: 'judge' },
    ...target,
    ...extra,
  });

  describe('POST /v1/span_annotations', () => {
    it('answers GlobalIDs when sync, and upserts on (span, name, identifier)', async () => {
      const first = await http.post('/v1/span_annotations?sync=true', {
        data: [annotation({ span_id: llmSpanId })],
      });
      expect(first.status).toBe(200);
      const [{ id }] = first.json.data;
      expect(decode(id)).toMatch(/^SpanAnnotation:\d+$/);
      const stored = rows('span_annotations', 'name = ?', 'correctness');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        label: 'correct',
        score: 0.9,
        explanation: 'fine',
        metadata: '{"model":"judge"}',
        annotator_kind: 'LLM',
        identifier: '',
        source: 'API',
        user_id: null,
      });

      const again = await http.post('/v1/span_annotations?sync=True', {
        data: [annotation({ span_id: llmSpanId }, { result: { label: 'wrong' }, annotator_kind: 'HUMAN' })],
      });
      expect(again.json.data[0].id).toBe(id);
      expect(rows('span_annotations', 'name = ?', 'correctness')[0]).toMatchObject({
        label: 'wrong',
        score: null,
        annotator_kind: 'HUMAN',
        created_at: stored[0]!.created_at,
      });

      const other = await http.post('/v1/span_annotations?sync=true', {
        data: [annotation({ span_id: llmSpanId }, { identifier: 'run-2' })],
      });
      expect(other.json.data[0].id).not.toBe(id);
      expect(rows('span_annotations', 'name = ?', 'correctness')).toHaveLength(2);
    });

    it('stores annotations sent without sync before answering, with an empty list', async () => {
      const response = await http.post('/v1/span_annotations', {
        data: [annotation({ span_id: rootSpanId }, { name: 'async-one' })],
      });
      expect(response.json).toEqual({ data: [] });
      expect(rows('span_annotations', 'name = ?', 'async-one')).toHaveLength(1);
      expect((await http.post('/v1/span_annotations?sync=false', { data: [] })).json).toEqual({ data: [] });
    });

    it('keeps annotations sent without sync for spans still to come, and applies them on arrival', async () => {
      const futureTrace = otelId(16);
      const futureSpan = otelId(8);
      const response = await http.post('/v1/span_annotations', {
        data: [annotation({ span_id: futureSpan }, { name: 'early' })],
      });
      expect(response.json).toEqual({ data: [] });
      expect(rows('pending_annotations')).toHaveLength(1);
      await http.post('/v1/projects/an/spans', {
        data: [loggedSpan({ traceId: futureTrace, spanId: futureSpan, start: '2024-01-01T00:00:00Z' })],
      });
      await expect
        .poll(() => rows('span_annotations', 'name = ?', 'early').length, { timeout: 5000, interval: 100 })
        .toBe(1);
      expect(rows('pending_annotations')).toEqual([]);
    });

    it('writes nothing when sync and a span is unknown (404)', async () => {
      const before = rows('span_annotations').length;
      const response = await http.post('/v1/span_annotations?sync=true', {
        data: [
          annotation({ span_id: llmSpanId }, { name: 'x' }),
          annotation({ span_id: 'ffffffffffffffff' }, { name: 'x' }),
        ],
      });
      expect(response).toMatchObject({ status: 404, text: 'Spans with IDs ffffffffffffffff do not exist.' });
      expect(rows('span_annotations')).toHaveLength(before);
    });

    it('reserves the name note (400) and validates every field (422)', async () => {
      const before = rows('span_annotations').length;
      expect(
        await http.post('/v1/span_annotations', {
          data: [annotation({ span_id: llmSpanId }, { name: 'note' })],
        }),
      ).toMatchObject({
        status: 400,
        text: "The name 'note' is reserved for trace and span notes. Use POST /v1/span_notes instead.",
      });
      const invalid = async (body: unknown, query = '') =>
        (await http.post(`/v1/span_annotations${query}`, body)).json.detail;
      expect(
        (await invalid({ data: [{ span_id: llmSpanId, annotator_kind: 'LLM', result: { label: 'x' } }] }))[0],
      ).toMatchObject({
        loc: ['body', 'data', 0, 'name'],
        type: 'missing',
      });
      expect(
        (await invalid({ data: [annotation({ span_id: llmSpanId }, { annotator_kind: 'ROBOT' })] }))[0],
      ).toMatchObject({
        loc: ['body', 'data', 0, 'annotator_kind'],
        msg: "Input should be 'LLM', 'CODE' or 'HUMAN'",
      });
      expect(
        (await invalid({ data: [annotation({ span_id: llmSpanId }, { metadata: [1] })] }))[0].loc,
      ).toEqual(['body', 'data', 0, 'metadata']);
      expect(
        (await invalid({ data: [annotation({ span_id: llmSpanId }, { result: { score: 'high' } })] }))[0],
      ).toMatchObject({
        loc: ['body', 'data', 0, 'result', 'score'],
        type: 'float_type',
      });
      expect(
        (await invalid({ data: [annotation({ span_id: llmSpanId }, { result: { label: null } })] }))[0],
      ).toMatchObject({
        loc: ['body', 'data', 0, 'result'],
        msg: 'At least one of label, score, or explanation must be provided',
      });
      expect((await invalid({ data: [annotation({ span_id: llmSpanId })] }, '?sync=maybe'))[0]).toMatchObject(
        {
          loc: ['query', 'sync'],
          type: 'bool_parsing',
        },
      );
      expect((await invalid({ data: {} }))[0].loc).toEqual(['body', 'data']);
      expect(rows('span_annotations')).toHaveLength(before);
    });
  });

  describe('trace, session and document annotations', () => {
    it('annotates traces by trace_id and sessions by session_id', async () => {
      const trace = await http.post('/v1/trace_annotations?sync=true', {
        data: [annotation({ trace_id: traceId })],
      });
      expect(decode(trace.json.data[0].id)).toMatch(/^TraceAnnotation:\d+$/);
      const session = await http.post('/v1/session_annotations?sync=true', {
        data: [annotation({ session_id: 'an-1' })],
      });
      expect(decode(session.json.data[0].id)).toMatch(/^ProjectSessionAnnotation:\d+$/);
      expect(rows('trace_annotations')).toHaveLength(1);
      expect(rows('project_session_annotations')).toHaveLength(1);
      expect(
        await http.post('/v1/session_annotations?sync=true', {
          data: [annotation({ session_id: 'a' }), annotation({ session_id: 'b' })],
        }),
      ).toMatchObject({
        status: 404,
        text: 'Sessions with IDs a, b do not exist.',
      });
      expect(
        (await http.post('/v1/trace_annotations?sync=true', { data: [annotation({ trace_id: 'abc' })] }))
          .text,
      ).toBe('Traces with IDs abc do not exist.');
      expect(
        (
          await http.post('/v1/session_annotations', {
            data: [annotation({ session_id: 'an-1' }, { name: 'note' })],
          })
        ).text,
      ).toBe("The name 'note' is reserved for session notes. Use POST /v1/session_notes instead.");
      expect(
        (
          await http.post('/v1/trace_annotations', {
            data: [annotation({ trace_id: traceId }, { name: 'note' })],
          })
        ).status,
      ).toBe(400);
    });

    it('annotates retrieved documents by position', async () => {
      const ok = await http.post('/v1/document_annotations?sync=true', {
        data: [annotation({ span_id: retrieverSpanId }, { document_position: 1, name: 'relevance' })],
      });
      expect(decode(ok.json.data[0].id)).toMatch(/^DocumentAnnotation:\d+$/);
      expect(rows('document_annotations')[0]).toMatchObject({ document_position: 1, name: 'relevance' });
      expect(
        await http.post('/v1/document_annotations?sync=true', {
          data: [annotation({ span_id: retrieverSpanId }, { document_position: 2 })],
        }),
      ).toMatchObject({
        status: 422,
        text: `Document position 2 is out of bounds for span ${retrieverSpanId} (max: 1)`,
      });
      expect(
        await http.post('/v1/document_annotations?sync=true', {
          data: [annotation({ span_id: retrieverSpanId }, { document_position: 0, identifier: 'x' })],
        }),
      ).toMatchObject({ status: 422, text: "Non-empty identifier 'x' is not supported" });
      expect(rows('document_annotations')).toHaveLength(1);
    });
  });

  describe('notes', () => {
    it('adds a note per call, or replaces the one named by an identifier', async () => {
      const first = await http.post('/v1/span_notes', {
        data: { span_id: ` ${llmSpanId} `, note: ' looks good ' },
      });
      expect(decode(first.json.data.id)).toMatch(/^SpanAnnotation:\d+$/);
      await http.post('/v1/span_notes', { data: { span_id: llmSpanId, note: 'second' } });
      const notes = rows('span_annotations', "name = 'note'");
      expect(notes.map((n) => n.explanation)).toEqual(['looks good', 'second']);
      expect(notes[0]).toMatchObject({ annotator_kind: 'HUMAN', label: null, score: null, metadata: '{}' });
      expect(notes[0]!.identifier).toMatch(/^px-span-note:[0-9a-f-]{36}$/);
      expect(notes[0]!.identifier).not.toBe(notes[1]!.identifier);

      const a = await http.post('/v1/trace_notes', {
        data: { trace_id: traceId, note: 'v1', identifier: 'mine' },
      });
      const b = await http.post('/v1/trace_notes', {
        data: { trace_id: traceId, note: 'v2', identifier: 'mine' },
      });
      expect(b.json.data.id).toBe(a.json.data.id);
      expect(rows('trace_annotations', "name = 'note'").map((n) => n.explanation)).toEqual(['v2']);

      const session = await http.post('/v1/session_notes', {
        data: { session_id: 'an-1', note: 'about the session' },
      });
      expect(decode(session.json.data.id)).toMatch(/^ProjectSessionAnnotation:\d+$/);
      expect(rows('project_session_annotations', "name = 'note'")[0]!.identifier).toMatch(
        /^px-session-note:/,
      );
    });

    it('answers 404 for unknown targets and 422 for blank notes', async () => {
      expect(await http.post('/v1/span_notes', { data: { span_id: 'nope', note: 'x' } })).toMatchObject({
        status: 404,
        text: 'Span with ID nope not found',
      });
      expect((await http.post('/v1/trace_notes', { data: { trace_id: 'nope', note: 'x' } })).text).toBe(
        'Trace with ID nope not found',
      );
      expect((await http.post('/v1/session_notes', { data: { session_id: 'nope', note: 'x' } })).text).toBe(
        'Session with session_id nope not found',
      );
      const blank = await http.post('/v1/span_notes', { data: { span_id: llmSpanId, note: '   ' } });
      expect(blank.json.detail[0]).toMatchObject({ loc: ['body', 'data', 'note'], type: 'string_too_short' });
    });
  });

  describe('GET and DELETE /v1/projects/{project}/{kind}_annotations', () => {
    it('lists by target or identifier, newest first, with names filters and cursors', async () => {
      const bySpan = await http.get(`/v1/projects/an/span_annotations?span_ids=${llmSpanId}&limit=100`);
      expect(bySpan.status).toBe(200);
      const names = bySpan.json.data.map((a: { name: string }) => a.name);
      expect(names).toEqual(['note', 'note', 'correctness', 'correctness']);
      expect(bySpan.json.data[2]).toEqual({
        id: expect.any(String),
        created_at: expect.stringMatching(/\+00:00$/),
        updated_at: expect.any(String),
        source: 'API',
        user_id: null,
        name: 'correctness',
        annotator_kind: 'LLM',
        result: { label: 'correct', score: 0.9, explanation: 'fine' },
        metadata: { model: 'judge' },
        identifier: 'run-2',
        span_id: llmSpanId,
      });
      const excluded = await http.get(
        `/v1/projects/an/span_annotations?span_ids=${llmSpanId}&exclude_annotation_names=note`,
      );
      expect(excluded.json.data).toHaveLength(2);
      const included = await http.get(
        `/v1/projects/an/span_annotations?span_ids=${llmSpanId}&span_ids=${rootSpanId}&include_annotation_names=async-one`,
      );
      expect(included.json.data.map((a: { span_id: string }) => a.span_id)).toEqual([rootSpanId]);
      expect((await http.get('/v1/projects/an/span_annotations?identifier=run-2')).json.data).toHaveLength(1);

      const page1 = await http.get(`/v1/projects/an/span_annotations?span_ids=${llmSpanId}&limit=3`);
      expect(page1.json.data).toHaveLength(3);
      const page2 = await http.get(
        `/v1/projects/an/span_annotations?span_ids=${llmSpanId}&limit=3&cursor=${page1.json.next_cursor}`,
      );
      expect(page2.json.data).toHaveLength(1);
      expect(page2.json.next_cursor).toBeNull();

      const traces = await http.get(`/v1/projects/an/trace_annotations?trace_ids=${traceId}`);
      expect(traces.json.data.map((a: { trace_id: string }) => a.trace_id)).toEqual([traceId, traceId]);
      const sessions = await http.get('/v1/projects/an/session_annotations?session_ids=an-1');
      expect(sessions.json.data.map((a: { session_id: string }) => a.session_id)).toEqual(['an-1', 'an-1']);
    });

    it('answers Phoenix errors for lists', async () => {
      expect(await http.get('/v1/projects/an/span_annotations')).toMatchObject({
        status: 422,
        text: 'At least one of span_ids or identifier must be supplied',
      });
      expect(await http.get('/v1/projects/an/span_annotations?span_ids=0000000000000000')).toMatchObject({
        status: 404,
        text: 'None of the supplied span_ids exist in this project',
      });
      expect((await http.get('/v1/projects/an/session_annotations?session_ids=zzz')).text).toBe(
        'None of the supplied session_ids exist in this project',
      );
      expect((await http.get('/v1/projects/nope/trace_annotations?trace_ids=x')).status).toBe(404);
      expect((await http.get(`/v1/projects/an/span_annotations?span_ids=${llmSpanId}&cursor=zz`)).text).toBe(
        'Invalid cursor value',
      );
      expect((await http.get('/v1/projects/an/span_annotations?identifier=')).status).toBe(422);
    });

    it('deletes by filter within a bounded window or with delete_all', async () => {
      expect(await http.delete('/v1/projects/an/span_annotations?name=note')).toMatchObject({
        status: 422,
        text: 'Delete is unbounded. Set delete_all=true to acknowledge, or supply both start_time and end_time to bound the time range.',
      });
      expect(
        (
          await http.delete(
            '/v1/projects/an/span_annotations?start_time=2030-01-01T00:00:00Z&end_time=2020-01-01T00:00:00Z',
          )
        ).text,
      ).toBe('`start_time` must be strictly earlier than `end_time`.');
      expect((await http.delete('/v1/projects/an/span_annotations?delete_all=true&name=')).status).toBe(422);
      expect((await http.delete('/v1/projects/nope/span_annotations?delete_all=true')).status).toBe(404);

      const total = rows('span_annotations').length;
      const old = await http.delete(
        '/v1/projects/an/span_annotations?start_time=2000-01-01T00:00:00Z&end_time=2001-01-01T00:00:00Z',
      );
      expect(old.status).toBe(204);
      expect(rows('span_annotations')).toHaveLength(total);
      await http.delete('/v1/projects/an/span_annotations?delete_all=true&name=note&annotator_kind=HUMAN');
      expect(rows('span_annotations', "name = 'note'")).toEqual([]);
      expect(rows('span_annotations')).toHaveLength(total - 2);
      await http.delete('/v1/projects/an/trace_annotations?delete_all=true');
      expect(rows('trace_annotations')).toEqual([]);
      await http.delete('/v1/projects/an/session_annotations?delete_all=true&identifier=nothing-like-this');
      expect(rows('project_session_annotations')).toHaveLength(2);
    });

    it('goes with the span it annotates', async () => {
      const before = rows(
        'span_annotations',
        'span_rowid = (SELECT id FROM spans WHERE span_id = ?)',
        llmSpanId,
      ).length;
      expect(before).toBeGreaterThan(0);
      await http.delete(`/v1/spans/${llmSpanId}`);
      expect(
        rows('span_annotations', 'span_rowid = (SELECT id FROM spans WHERE span_id = ?)', llmSpanId),
      ).toEqual([]);
    });
  });
});
