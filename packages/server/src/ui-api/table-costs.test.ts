import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import type { UiSession, UiSessionPage, UiSpanPage, UiSpanRow } from './wire.js';

function llm(model: string, prompt: number, completion: number, extra: Record<string, unknown> = {}) {
  return { llm: { model_name: model, provider: 'openai', token_count: { prompt, completion }, ...extra } };
}

/**
 * The tables' cost, model, session and user columns, and the message previews of LLM spans that
 * record only chat messages, against a real server.
 */
describeEachDialect('UI tables: cost, model, session and user columns', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  const trace = { a: otelId(16), b: otelId(16), c: otelId(16) };
  const span = { a: otelId(8), a1: otelId(8), a2: otelId(8), b: otelId(8), c: otelId(8) };
  const at = (s: string) => ({ start: `2025-03-01T10:00:${s}Z`, end: `2025-03-01T10:00:${s}.5Z` });
  const s1 = { session: { id: 's1' }, user: { id: 'ada' } };

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    const logged = await http.post('/v1/projects/tables/spans', {
      data: [
        loggedSpan({
          traceId: trace.a,
          spanId: span.a,
          ...at('00'),
          attributes: { ...s1, input: { value: 'hi' } },
        }),
        loggedSpan({
          traceId: trace.a,
          spanId: span.a1,
          parentId: span.a,
          kind: 'LLM',
          ...at('01'),
          attributes: { ...s1, ...llm('gpt-4o-mini-2024-07-18', 1000, 200), input: { value: 'plain input' } },
        }),
        loggedSpan({
          traceId: trace.a,
          spanId: span.a2,
          parentId: span.a,
          kind: 'LLM',
          ...at('02'),
          attributes: {
            ...s1,
            ...llm('gpt-4o', 100, 50, {
              input_messages: [
                { message: { role: 'system', content: 'Be brief.' } },
                { message: { role: 'user', content: 'first question' } },
                { message: { role: 'assistant', content: 'first answer' } },
                {
                  message: {
                    role: 'user',
                    contents: [{ message_content: { type: 'text', text: 'last question' } }],
                  },
                },
              ],
              output_messages: [{ message: { role: 'assistant', content: 'the answer' } }],
            }),
          },
        }),
        loggedSpan({
          traceId: trace.b,
          spanId: span.b,
          kind: 'LLM',
          ...at('10'),
          attributes: {
            ...s1,
            ...llm('gpt-4o', 2000, 100, {
              input_messages: [{ message: { role: 'user', content: 'look it up' } }],
              output_messages: [
                {
                  message: {
                    role: 'assistant',
                    tool_calls: [{ tool_call: { function: { name: 'search', arguments: '{"q":"x"}' } } }],
                  },
                },
              ],
            }),
          },
        }),
        loggedSpan({
          traceId: trace.c,
          spanId: span.c,
          kind: 'LLM',
          ...at('20'),
          attributes: { session: { id: 's2' }, ...llm('in-house', 10, 10) },
        }),
      ],
    });
    expect(logged.status).toBe(202);
  });
  afterAll(() => t.close());

  const page = async (query: string) => {
    const response = await http.get(`/v1/ui/projects/tables/spans?${query}`);
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    return response.json as UiSpanPage;
  };
  /** Every row of a table, one page of `limit` at a time through the cursors. */
  const all = async (query: string, limit = 1) => {
    const rows: UiSpanRow[] = [];
    let cursor: string | null = null;
    do {
      const next: UiSpanPage = await page(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      rows.push(...next.data);
      cursor = next.next_cursor;
    } while (cursor);
    return rows;
  };

  // By hand, from builtin-prices.ts (per million tokens: gpt-4o-mini 0.15 / 0.6, gpt-4o 2.5 / 10):
  // a1: 1000 × 0.15 + 200 × 0.6 = 270e-6; a2: 100 × 2.5 + 50 × 10 = 750e-6;
  // b: 2000 × 2.5 + 100 × 10 = 6000e-6; c: no price (in-house). Trace a: 1020e-6.
  const cost = { a1: 0.00027, a2: 0.00075, b: 0.006, a: 0.00102 };

  it("shows each span's own cost, model, session and user; none where no price matches", async () => {
    const rows = await all('sort=start_time&order=asc', 100);
    const byId = Object.fromEntries(rows.map((r) => [r.span_id, r]));
    expect(byId[span.a]).toMatchObject({
      cost_total: null,
      model_name: null,
      session_id: 's1',
      user_id: 'ada',
    });
    expect(byId[span.a1]!.cost_total).toBeCloseTo(cost.a1, 12);
    expect(byId[span.a1]!.cost_prompt).toBeCloseTo(0.00015, 12);
    expect(byId[span.a1]!.cost_completion).toBeCloseTo(0.00012, 12);
    expect(byId[span.a1]!.model_name).toBe('gpt-4o-mini-2024-07-18');
    expect(byId[span.a2]!.cost_total).toBeCloseTo(cost.a2, 12);
    expect(byId[span.c]).toMatchObject({
      cost_total: null,
      cost_prompt: null,
      model_name: 'in-house',
      session_id: 's2',
    });
  });

  it("previews an LLM span's messages when it has no input.value / output.value", async () => {
    const byId = Object.fromEntries((await all('sort=start_time', 100)).map((r) => [r.span_id, r]));
    expect(byId[span.a1]).toMatchObject({ input: 'plain input', output: null });
    expect(byId[span.a2]).toMatchObject({ input: 'last question', output: 'the answer' });
    expect(byId[span.b]).toMatchObject({ input: 'look it up', output: 'search({"q":"x"})' });
  });

  it("shows a trace's total cost and its models in the traces table", async () => {
    const rows = await all('root_spans_only=true&sort=start_time&order=asc', 100);
    expect(rows.map((r) => r.span_id)).toEqual([span.a, span.b, span.c]);
    expect(rows[0]!.cost_total).toBeCloseTo(cost.a, 12);
    expect(rows[0]!.model_name).toBe('gpt-4o-mini-2024-07-18, gpt-4o');
    expect(rows[1]!.cost_total).toBeCloseTo(cost.b, 12);
    expect(rows[2]!.cost_total).toBeNull();
  });

  it('sorts by cost on the server, unpriced rows last (descending), paging by cursor', async () => {
    const spans = await all('sort=cost_total&order=desc');
    expect(spans.map((r) => r.span_id)).toEqual([span.b, span.a2, span.a1, span.c, span.a]);
    const ascending = await all('sort=cost_total&order=asc', 2);
    expect(ascending.map((r) => r.span_id)).toEqual([span.a, span.c, span.a1, span.a2, span.b]);
    const traces = await all('root_spans_only=true&sort=cost_total&order=desc');
    expect(traces.map((r) => r.span_id)).toEqual([span.b, span.a, span.c]);
    const filtered = await all("root_spans_only=true&sort=cost_total&order=asc&filter=span_kind == 'LLM'");
    expect(filtered.map((r) => r.span_id)).toEqual([span.c, span.b]);
  });

  it('totals and sorts sessions by cost, and costs each turn', async () => {
    const sessions = async (order: string) => {
      const response = await http.get(
        `/v1/ui/projects/tables/sessions?sort=cost_total&order=${order}&limit=1`,
      );
      expect(response.status).toBe(200);
      const first = response.json as UiSessionPage;
      const second = (await http
        .get(
          `/v1/ui/projects/tables/sessions?sort=cost_total&order=${order}&limit=1&cursor=${first.next_cursor}`,
        )
        .then((r) => r.json)) as UiSessionPage;
      return [...first.data, ...second.data];
    };
    const desc = await sessions('desc');
    expect(desc.map((s) => s.session_id)).toEqual(['s1', 's2']);
    expect(desc[0]!.cost_total).toBeCloseTo(cost.a + cost.b, 12);
    expect(desc[1]!.cost_total).toBeNull();
    expect((await sessions('asc')).map((s) => s.session_id)).toEqual(['s2', 's1']);

    const detail = (await http.get('/v1/ui/sessions/s1')).json as UiSession;
    expect(detail.cost_total).toBeCloseTo(cost.a + cost.b, 12);
    expect(detail.turns.map((turn) => turn.cost_total)).toEqual([
      expect.closeTo(cost.a, 12),
      expect.closeTo(cost.b, 12),
    ]);
  });

  it("prices with the project's own prices, at once", async () => {
    const created = await http.post('/v1/projects/tables/model_prices', {
      model_name_pattern: 'in-house',
      prompt_cost_per_token: 0.001,
      completion_cost_per_token: 0.002,
    });
    expect(created.status).toBe(200);
    const traces = await all('root_spans_only=true&sort=cost_total&order=desc');
    expect(traces.map((r) => r.span_id)).toEqual([span.c, span.b, span.a]);
    expect(traces[0]!.cost_total).toBeCloseTo(0.03, 12);
    const id = (created.json as { data: { id: string } }).data.id;
    expect((await http.delete(`/v1/projects/tables/model_prices/${id}`)).status).toBeLessThan(300);
    expect((await page(`root_spans_only=true&sort=cost_total&order=desc&limit=1`)).data[0]!.span_id).toBe(
      span.b,
    );
  });

  it('refuses an unknown sort with a 422 naming it', async () => {
    const response = await http.get('/v1/ui/projects/tables/spans?sort=cost');
    expect(response.status).toBe(422);
    expect(response.text).toContain('sort must be one of');
    expect(response.text).toContain('cost_total');
  });
});
