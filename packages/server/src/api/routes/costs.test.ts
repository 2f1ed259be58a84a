import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

function llm(model: string, provider: string, token_count: Record<string, unknown>, session?: string) {
  return {
    llm: { model_name: model, provider, token_count },
    ...(session ? { session: { id: session } } : {}),
  };
}

describeEachDialect('costs', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  const traceA = otelId(16);
  const traceB = otelId(16);
  const span = { a1: otelId(8), a2: otelId(8), a3: otelId(8), b1: otelId(8), b2: otelId(8) };
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    const at = (s: string) => ({ start: `2025-03-01T10:00:${s}Z`, end: `2025-03-01T10:00:${s}Z` });
    const logged = await http.post('/v1/projects/spend/spans', {
      data: [
        loggedSpan({ traceId: traceA, spanId: span.a3, ...at('00'), attributes: { session: { id: 's1' } } }),
        loggedSpan({
          traceId: traceA,
          spanId: span.a1,
          parentId: span.a3,
          kind: 'LLM',
          ...at('01'),
          attributes: llm('gpt-4o-2024-08-06', 'openai', {
            prompt: 1000,
            completion: 200,
            prompt_details: { cache_read: 400 },
          }),
        }),
        loggedSpan({
          traceId: traceA,
          spanId: span.a2,
          parentId: span.a3,
          kind: 'LLM',
          ...at('02'),
          attributes: llm('claude-3-5-sonnet-20241022', 'anthropic', {
            prompt: 2000,
            completion: 100,
            prompt_details: { cache_write: 1000 },
          }),
        }),
        loggedSpan({
          traceId: traceB,
          spanId: span.b1,
          kind: 'LLM',
          ...at('30'),
          attributes: llm('gemini-2.5-flash-preview-04-17', 'google', {
            prompt: 100,
            completion: 1000,
            completion_details: { reasoning: 800 },
          }),
        }),
        loggedSpan({
          traceId: traceB,
          spanId: span.b2,
          kind: 'LLM',
          ...at('31'),
          attributes: llm('in-house-model', 'acme', { prompt: 5, completion: 5 }),
        }),
      ],
    });
    expect(logged.status).toBe(202);
  });
  afterAll(() => t.close());

  const summary = async (query = '') => {
    const response = await http.get(`/v1/projects/spend/cost_summary${query}`);
    expect(response.status).toBe(200);
    return response.json.data;
  };
  const close = (actual: Record<string, number>, expected: Record<string, number>) => {
    for (const [key, value] of Object.entries(expected)) expect(actual[key], key).toBeCloseTo(value, 12);
  };

  // By hand, from builtin-prices.ts (per million: gpt-4o 2.5 / 10, cached 1.25; claude-3-5-sonnet
  // 3 / 15, cache write 3.75; gemini-2.5-flash-preview-04-17 0.15 / 0.6, reasoning 3.5):
  // a1: prompt 600 × 2.5 + 400 × 1.25 = 2000e-6, completion 200 × 10 = 2000e-6
  // a2: prompt 1000 × 3 + 1000 × 3.75 = 6750e-6, completion 100 × 15 = 1500e-6
  // b1: prompt 100 × 0.15 = 15e-6, completion 200 × 0.6 + 800 × 3.5 = 2920e-6
  const a1 = { prompt: 0.002, completion: 0.002, total: 0.004 };
  const a2 = { prompt: 0.00675, completion: 0.0015, total: 0.00825 };
  const b1 = { prompt: 0.000015, completion: 0.00292, total: 0.002935 };
  const sum = (...costs: Record<string, number>[]) =>
    Object.fromEntries(
      ['prompt', 'completion', 'total'].map((k) => [k, costs.reduce((acc, c) => acc + c[k]!, 0)]),
    );

  describe('GET /v1/projects/{project}/cost_summary', () => {
    it('a span: its token counts at its model’s prices; none for a span without a known model', async () => {
      close(await summary(`?span_id=${span.a1}`), { ...a1, priced_spans: 1 });
      close(await summary(`?span_id=${span.a2}`), { ...a2, priced_spans: 1 });
      close(await summary(`?span_id=${span.b1}`), { ...b1, priced_spans: 1 });
      expect(await summary(`?span_id=${span.b2}`)).toEqual({
        prompt: 0,
        completion: 0,
        total: 0,
        priced_spans: 0,
      });
      expect(await summary(`?span_id=${span.a3}`)).toEqual({
        prompt: 0,
        completion: 0,
        total: 0,
        priced_spans: 0,
      });
    });

    it('a trace, a session, the project, and the project in a time range', async () => {
      close(await summary(`?trace_id=${traceA}`), { ...sum(a1, a2), priced_spans: 2 });
      close(await summary(`?trace_id=${traceB}`), { ...b1, priced_spans: 1 });
      close(await summary('?session_id=s1'), { ...sum(a1, a2), priced_spans: 2 });
      close(await summary(), { ...sum(a1, a2, b1), priced_spans: 3 });
      close(await summary('?start_time=2025-03-01T10:00:01Z&end_time=2025-03-01T10:00:30Z'), {
        ...sum(a1, a2),
        priced_spans: 2,
      });
      close(await summary('?start_time=2025-03-01T10:00:02Z'), { ...sum(a2, b1), priced_spans: 2 });
      expect((await summary('?session_id=none')).priced_spans).toBe(0);
    });

    it("a project's own price shows at once, and the table again once it is deleted", async () => {
      const created = await http.post('/v1/projects/spend/model_prices', {
        model_name_pattern: '^gpt-4o',
        prompt_cost_per_token: 0.000001,
        completion_cost_per_token: 0.000002,
      });
      expect(created.status).toBe(200);
      // cached tokens are not priced apart by this price: all 1000 at 1e-6
      const own = { prompt: 0.001, completion: 0.0004, total: 0.0014 };
      close(await summary(`?span_id=${span.a1}`), own);
      close(await summary(), sum(own, a2, b1));
      const custom = await http.post('/v1/projects/spend/model_prices', {
        model_name_pattern: '^in-house-model$',
        provider: 'acme',
        prompt_cost_per_token: 0.5,
        completion_cost_per_token: 1,
      });
      close(await summary(`?span_id=${span.b2}`), {
        prompt: 2.5,
        completion: 5,
        total: 7.5,
        priced_spans: 1,
      });
      for (const price of [created, custom]) {
        expect((await http.delete(`/v1/projects/spend/model_prices/${price.json.data.id}`)).status).toBe(204);
      }
      close(await summary(), { ...sum(a1, a2, b1), priced_spans: 3 });
    });

    it('404 for an unknown project, 422 for a bad time', async () => {
      expect((await http.get('/v1/projects/nowhere/cost_summary')).status).toBe(404);
      const bad = await http.get('/v1/projects/spend/cost_summary?start_time=yesterday');
      expect(bad.status).toBe(422);
      expect(bad.json.detail[0].loc).toEqual(['query', 'start_time']);
    });
  });

  describe('cost fields in the query language: GET /v1/projects/{project}/spans?filter=', () => {
    const matching = async (filter: string) => {
      const response = await http.get(`/v1/projects/spend/spans?filter=${encodeURIComponent(filter)}`);
      expect(response.status, response.text).toBe(200);
      return response.json.data.map((s: { context: { span_id: string } }) => s.context.span_id).sort();
    };
    const ids = (...names: (keyof typeof span)[]) => names.map((n) => span[n]).sort();

    it('compares cost.total, cost.prompt and cost.completion; a span without a price has none', async () => {
      expect(await matching('cost.total > 0.005')).toEqual(ids('a2'));
      expect(await matching('cost.total > 0.001')).toEqual(ids('a1', 'a2', 'b1'));
      expect(await matching('cost.prompt > 0.005')).toEqual(ids('a2'));
      expect(await matching('cost.completion > 0.0025')).toEqual(ids('b1'));
      expect(await matching('cost.total is None')).toEqual(ids('a3', 'b2'));
      expect(await matching("span_kind == 'LLM' and not cost.total < 0.003")).toEqual(ids('a1', 'a2'));
    });

    it("uses the project's own prices", async () => {
      const price = await http.post('/v1/projects/spend/model_prices', {
        model_name_pattern: '^in-house-model$',
        prompt_cost_per_token: 0.5,
        completion_cost_per_token: 1,
      });
      expect(await matching('cost.total > 1')).toEqual(ids('b2'));
      expect((await http.delete(`/v1/projects/spend/model_prices/${price.json.data.id}`)).status).toBe(204);
      expect(await matching('cost.total > 1')).toEqual([]);
    });

    it('an unknown cost field is a 422 at its position', async () => {
      const response = await http.get(
        `/v1/projects/spend/spans?filter=${encodeURIComponent('cost.totl > 1')}`,
      );
      expect(response.status).toBe(422);
      expect(response.json.detail[0].loc).toEqual(['query', 'filter']);
      expect(response.json.detail[0].ctx.position).toBe(0);
    });
  });
});
