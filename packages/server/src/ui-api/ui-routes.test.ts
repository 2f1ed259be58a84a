import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSampleData } from '../../e2e/sample-traces.js';
import { describeEachDialect } from '../../test-support/dialects.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { globalId } from './ids.js';
import type { UiProjectsResponse, UiSession, UiSessionPage, UiSpanPage, UiTrace } from './wire.js';

describeEachDialect('UI endpoints', (dialect) => {
  let t: TestServer;
  const get = async <T>(path: string) => {
    const response = await fetch(`${t.server.url}${path}`);
    const text = await response.text();
    return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
  };

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    await sendSampleData(t.server.url, Date.parse('2025-03-01T12:00:00Z'));
  });
  afterAll(() => t.close());

  describe('projects', () => {
    it('lists every project with its figures', async () => {
      const { body } = await get<UiProjectsResponse>('/v1/ui/projects');
      const byName = Object.fromEntries(body.data.map((p) => [p.name, p]));
      expect(byName.chatbot).toMatchObject({
        trace_count: 6,
        span_count: 30,
        session_count: 2,
        latency_ms_p50: 1160,
        latency_ms_p99: 1160,
        // Root spans' cumulative counts: 300+340+380 (×2 sessions) prompt, 80+90+100 (×2) completion.
        token_count_prompt: 2040,
        token_count_completion: 540,
        token_count_total: 2580,
        last_activity: '2025-03-01T11:07:31.160000+00:00',
      });
      expect(byName['batch-jobs']).toMatchObject({ trace_count: 3, span_count: 15, session_count: 0 });
    });

    it('counts within a time range, and names a project by GlobalID too', async () => {
      const { body: stats } = await get<{ trace_count: number; id: string }>(
        '/v1/ui/projects/chatbot/stats?start_time=2025-03-01T11:03:00Z&end_time=2025-03-01T11:06:00Z',
      );
      expect(stats.trace_count).toBe(2);
      const { body: byId } = await get<{ name: string }>(
        `/v1/ui/projects/${encodeURIComponent(stats.id)}/stats`,
      );
      expect(byId.name).toBe('chatbot');
    });

    it('answers 404 for an unknown project and 422 for a bad time', async () => {
      expect((await get('/v1/ui/projects/nope/stats')).status).toBe(404);
      const bad = await get<string>('/v1/ui/projects/chatbot/stats?start_time=yesterday');
      expect(bad.status).toBe(422);
      expect(bad.body).toContain('start_time');
    });
  });

  describe('span tables', () => {
    it('lists root spans newest first, with previews, tokens and latency', async () => {
      const { body } = await get<UiSpanPage>('/v1/ui/projects/chatbot/spans?root_spans_only=true');
      expect(body.data).toHaveLength(6);
      expect(body.next_cursor).toBeNull();
      const starts = body.data.map((r) => r.start_time);
      expect(starts).toEqual([...starts].sort().reverse());
      expect(body.data[0]).toMatchObject({
        name: 'agent',
        span_kind: 'CHAIN',
        parent_id: null,
        latency_ms: 1160,
        input: 'What is a session?',
        token_count_total: 480,
        annotations: [],
        note_count: 0,
      });
    });

    it('pages with cursors: every row once, in order, whatever the sort, spans and traces', async () => {
      for (const [roots, total] of [
        ['', 30],
        ['&root_spans_only=true', 6],
        [`&root_spans_only=true&filter=${encodeURIComponent('latency_ms > 0')}`, 6],
      ] as const) {
        for (const sort of [
          'start_time',
          'latency_ms',
          'name',
          'span_kind',
          'status_code',
          'token_count_total',
        ]) {
          for (const order of ['asc', 'desc']) {
            const path = `/v1/ui/projects/chatbot/spans?sort=${sort}&order=${order}${roots}`;
            const all = await get<UiSpanPage>(`${path}&limit=1000`);
            const paged: string[] = [];
            let cursor: string | null = null;
            do {
              const page: { body: UiSpanPage } = await get<UiSpanPage>(
                `${path}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
              );
              paged.push(...page.body.data.map((r) => r.span_id));
              cursor = page.body.next_cursor;
            } while (cursor);
            expect(paged, path).toEqual(all.body.data.map((r) => r.span_id));
            expect(new Set(paged).size, path).toBe(total);
          }
        }
      }
    });

    it('sorts by latency', async () => {
      const { body } = await get<UiSpanPage>('/v1/ui/projects/chatbot/spans?sort=latency_ms&order=asc');
      const latencies = body.data.map((r) => r.latency_ms);
      expect(latencies).toEqual([...latencies].sort((a, b) => a - b));
    });

    it('filters with the query language', async () => {
      const { body } = await get<UiSpanPage>(
        `/v1/ui/projects/chatbot/spans?filter=${encodeURIComponent("span_kind == 'LLM' and llm.token_count.total > 100")}`,
      );
      expect(body.data.length).toBeGreaterThan(0);
      expect(body.data.every((r) => r.span_kind === 'LLM')).toBe(true);
      const errors = await get<UiSpanPage>(
        `/v1/ui/projects/chatbot/spans?filter=${encodeURIComponent("status_code == 'ERROR'")}`,
      );
      expect(errors.body.data.map((r) => r.name).sort()).toEqual(['agent', 'search_docs']);
    });

    it('answers an invalid filter with 422, its position and what was expected', async () => {
      const { status, body } = await get<string>(
        `/v1/ui/projects/chatbot/spans?filter=${encodeURIComponent("span_kind == 'LLM' and")}`,
      );
      expect(status).toBe(422);
      expect(body).toMatch(/column \d+/);
    });

    it('rejects bad parameters with 422', async () => {
      for (const query of [
        'sort=cost',
        'order=up',
        'limit=0',
        'limit=x',
        'cursor=garbage',
        'root_spans_only=maybe',
      ]) {
        const { status } = await get(`/v1/ui/projects/chatbot/spans?${query}`);
        expect(status, query).toBe(422);
      }
    });
  });

  describe('traces', () => {
    it('returns a trace with its spans, attributes and events', async () => {
      const { body: roots } = await get<UiSpanPage>(
        `/v1/ui/projects/chatbot/spans?root_spans_only=true&filter=${encodeURIComponent("status_code == 'ERROR'")}`,
      );
      const { body } = await get<UiTrace>(`/v1/ui/traces/${roots.data[0]!.trace_id}`);
      expect(body.project_name).toBe('chatbot');
      expect(body.session_id).toBe('conversation-beta');
      expect(body.spans.map((s) => s.name)).toEqual([
        'agent',
        'retrieve',
        'ChatCompletion',
        'search_docs',
        'ChatCompletion',
      ]);
      const llm = body.spans[2]!;
      expect((llm.attributes as { llm: { input_messages: unknown[] } }).llm.input_messages).toHaveLength(2);
      const tool = body.spans[3]!;
      expect(tool.status_code).toBe('ERROR');
      expect(tool.events[0]!.name).toBe('exception');
      expect(body.latency_ms).toBe(1160);
      expect(body.truncated).toBe(false);
    });

    it('answers 404 for an unknown trace', async () => {
      expect((await get('/v1/ui/traces/0123456789abcdef0123456789abcdef')).status).toBe(404);
    });
  });

  describe('sessions', () => {
    it('lists sessions with their rollups', async () => {
      const { body } = await get<UiSessionPage>('/v1/ui/projects/chatbot/sessions');
      expect(body.data.map((s) => s.session_id)).toEqual(['conversation-beta', 'conversation-alpha']);
      expect(body.data[1]).toMatchObject({
        num_traces: 3,
        first_input: 'Where does Fawkes keep my spans?',
        last_output: "Type span_kind == 'LLM' in the filter bar.",
        latency_ms_p50: 1160,
        error_count: 0,
      });
      expect(body.data[0]!.error_count).toBeGreaterThan(0);
      const page = await get<UiSessionPage>(
        '/v1/ui/projects/chatbot/sessions?limit=1&sort=num_traces&order=asc',
      );
      expect(page.body.data).toHaveLength(1);
      const next = await get<UiSessionPage>(
        `/v1/ui/projects/chatbot/sessions?limit=1&sort=num_traces&order=asc&cursor=${page.body.next_cursor}`,
      );
      expect(next.body.data[0]!.session_id).not.toBe(page.body.data[0]!.session_id);
      expect(next.body.next_cursor).toBeNull();
    });

    it("filters sessions by their traces' root spans with the query language", async () => {
      const ids = async (filter: string) => {
        const { status, body } = await get<UiSessionPage>(
          `/v1/ui/projects/chatbot/sessions?filter=${encodeURIComponent(filter)}`,
        );
        expect(status, filter).toBe(200);
        return body.data.map((s) => s.session_id);
      };
      expect(await ids("status_code == 'ERROR'")).toEqual(['conversation-beta']);
      expect(await ids("'keep my spans' in input.value")).toEqual(['conversation-alpha']);
      expect(await ids("'session' in input.value")).toEqual(['conversation-beta']);
      expect(await ids("span_kind == 'CHAIN' and latency_ms > 0")).toEqual([
        'conversation-beta',
        'conversation-alpha',
      ]);
      // Only root spans are read: the LLM spans are children, so no session matches.
      expect(await ids("span_kind == 'LLM'")).toEqual([]);
      expect(await ids('  ')).toEqual(['conversation-beta', 'conversation-alpha']);
      const paged = await get<UiSessionPage>(
        `/v1/ui/projects/chatbot/sessions?limit=1&filter=${encodeURIComponent("span_kind == 'CHAIN'")}`,
      );
      expect(paged.body.data).toHaveLength(1);
      expect(paged.body.next_cursor).not.toBeNull();
    });

    it('answers a bad session filter with 422 and its position', async () => {
      const { status, body } = await get<string>(
        `/v1/ui/projects/chatbot/sessions?filter=${encodeURIComponent("span_kind == 'LLM' and latncy_ms > 3")}`,
      );
      expect(status).toBe(422);
      expect(body).toMatch(/column 24/);
      expect(body).toContain('latency_ms');
    });

    it('returns a session as turns, by session_id or GlobalID', async () => {
      const { body } = await get<UiSession>('/v1/ui/sessions/conversation-alpha');
      expect(body.turns.map((turn) => turn.input)).toEqual([
        'Where does Fawkes keep my spans?',
        'Can I use the Phoenix client?',
        'How do I filter LLM spans?',
      ]);
      expect(body.turns[0]).toMatchObject({
        user_id: 'ada',
        root_name: 'agent',
        input_mime_type: 'text/plain',
      });
      const byId = await get<UiSession>(`/v1/ui/sessions/${encodeURIComponent(body.id)}`);
      expect(byId.body.session_id).toBe('conversation-alpha');
      expect((await get('/v1/ui/sessions/nope')).status).toBe(404);
      expect(
        (await get(`/v1/ui/sessions/${encodeURIComponent(globalId('ProjectSession', 999))}`)).status,
      ).toBe(404);
    });
  });
});
