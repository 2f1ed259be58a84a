import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const hour = (h: number) => encodeURIComponent(`2024-01-01T0${h}:00:00+00:00`);

function llmSpan(traceId: string, start: string, model: string, tokens: Record<string, unknown>) {
  return loggedSpan({
    traceId,
    kind: 'LLM',
    start,
    attributes: { llm: { model_name: model, provider: 'openai', token_count: tokens } },
  });
}

describeEachDialect('metric=cost and top models', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    const [a, b, c] = [otelId(16), otelId(16), otelId(16)];
    const response = await http.post('/v1/projects/spend/spans', {
      data: [
        loggedSpan({ traceId: a, start: '2024-01-01T00:10:00Z' }),
        llmSpan(a, '2024-01-01T00:10:01Z', 'gpt-4o-2024-08-06', {
          prompt: 1000,
          completion: 200,
          prompt_details: { cache_read: 400 },
        }),
        llmSpan(b, '2024-01-01T00:20:00Z', 'gpt-4o-mini', { prompt: 10000, completion: 1000 }),
        llmSpan(c, '2024-01-01T02:30:00Z', ' in-house-model ', { prompt: 100, completion: 50 }),
        llmSpan(c, '2024-01-01T02:40:00Z', 'gpt-4o-2024-08-06', { prompt: 2000, completion: 0 }),
      ],
    });
    expect(response.status).toBe(202);
  });
  afterAll(() => t.close());

  // By hand, per million tokens (builtin-prices.ts): gpt-4o 2.5 / 10, cached 1.25; gpt-4o-mini 0.15 / 0.6.
  // 00:10 gpt-4o: prompt 600 × 2.5 + 400 × 1.25 = 0.002, completion 200 × 10 = 0.002
  // 00:20 gpt-4o-mini: prompt 10000 × 0.15 = 0.0015, completion 1000 × 0.6 = 0.0006
  // 02:30 in-house-model: no price (0); at the project's 1e-4 / 2e-4 below: 0.01 + 0.01
  // 02:40 gpt-4o: prompt 2000 × 2.5 = 0.005
  const closeTo = (values: number[]) => values.map((v) => expect.closeTo(v, 12));
  const costSeries = async () => {
    const response = await http.get(
      `/v1/projects/spend/metrics?metric=cost&start_time=${hour(0)}&end_time=${hour(3)}&bucket=hour`,
    );
    expect(response.status, response.text).toBe(200);
    return response.json.data.series;
  };
  const top = async (query: string) => {
    const response = await http.get(`/v1/projects/spend/metrics/top_models?${query}`);
    expect(response.status, response.text).toBe(200);
    return response.json.data;
  };
  const gpt4o = {
    model_name: 'gpt-4o-2024-08-06',
    span_count: 2,
    prompt_tokens: 3000,
    completion_tokens: 200,
    total_tokens: 3200,
    prompt_cost: expect.closeTo(0.007, 12),
    completion_cost: expect.closeTo(0.002, 12),
    total_cost: expect.closeTo(0.009, 12),
  };
  const mini = {
    model_name: 'gpt-4o-mini',
    span_count: 1,
    prompt_tokens: 10000,
    completion_tokens: 1000,
    total_tokens: 11000,
    prompt_cost: expect.closeTo(0.0015, 12),
    completion_cost: expect.closeTo(0.0006, 12),
    total_cost: expect.closeTo(0.0021, 12),
  };
  const inHouse = {
    model_name: 'in-house-model',
    span_count: 1,
    prompt_tokens: 100,
    completion_tokens: 50,
    total_tokens: 150,
    prompt_cost: null,
    completion_cost: null,
    total_cost: null,
  };

  it('sums prompt, completion and total cost per bucket, empty buckets 0', async () => {
    expect(await costSeries()).toEqual([
      { name: 'prompt', values: closeTo([0.0035, 0, 0.005]) },
      { name: 'completion', values: closeTo([0.0026, 0, 0]) },
      { name: 'total', values: closeTo([0.0061, 0, 0.005]) },
    ]);
  });

  it('adds up to what cost_summary answers for the range', async () => {
    const summary = await http.get(
      `/v1/projects/spend/cost_summary?start_time=${hour(0)}&end_time=${hour(3)}`,
    );
    const series = await costSeries();
    const total = series[2].values.reduce((acc: number, v: number) => acc + v, 0);
    expect(total).toBeCloseTo(summary.json.data.total, 12);
  });

  it('ranks models by cost and by tokens, an unpriced model with a null cost', async () => {
    expect(await top('')).toEqual({
      order_by: 'cost',
      start_time: null,
      end_time: null,
      models: [gpt4o, mini, inHouse],
    });
    expect((await top('order_by=tokens')).models).toEqual([mini, gpt4o, inHouse]);
    expect((await top('order_by=tokens&limit=1')).models).toEqual([mini]);
  });

  it('counts only the spans starting in [start_time, end_time)', async () => {
    const data = await top(`start_time=${hour(1)}&end_time=${hour(3)}`);
    expect(data.start_time).toBe('2024-01-01T01:00:00+00:00');
    expect(data.models).toEqual([
      {
        ...gpt4o,
        span_count: 1,
        prompt_tokens: 2000,
        completion_tokens: 0,
        total_tokens: 2000,
        prompt_cost: expect.closeTo(0.005, 12),
        completion_cost: 0,
        total_cost: expect.closeTo(0.005, 12),
      },
      inHouse,
    ]);
  });

  it("a project's own price shows at once in both, and is gone once deleted", async () => {
    const price = await http.post('/v1/projects/spend/model_prices', {
      model_name_pattern: '^in-house-model$',
      prompt_cost_per_token: 0.0001,
      completion_cost_per_token: 0.0002,
    });
    expect(price.status).toBe(200);
    expect(await costSeries()).toEqual([
      { name: 'prompt', values: closeTo([0.0035, 0, 0.015]) },
      { name: 'completion', values: closeTo([0.0026, 0, 0.01]) },
      { name: 'total', values: closeTo([0.0061, 0, 0.025]) },
    ]);
    const priced = {
      ...inHouse,
      prompt_cost: expect.closeTo(0.01, 12),
      completion_cost: expect.closeTo(0.01, 12),
      total_cost: expect.closeTo(0.02, 12),
    };
    expect((await top('')).models).toEqual([priced, gpt4o, mini]);
    expect((await http.delete(`/v1/projects/spend/model_prices/${price.json.data.id}`)).status).toBe(204);
    expect((await top('')).models).toEqual([gpt4o, mini, inHouse]);
  });

  describe('bad requests', () => {
    it('404 for an unknown project', async () => {
      expect((await http.get('/v1/projects/nope/metrics/top_models')).status).toBe(404);
    });

    it.each([
      ['order_by=price', 'order_by'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['start_time=soon', 'start_time'],
      [`start_time=${hour(2)}&end_time=${hour(1)}`, 'start_time'],
    ])('422 naming the parameter: ?%s', async (query, param) => {
      const response = await http.get(`/v1/projects/spend/metrics/top_models?${query}`);
      expect(response.status).toBe(422);
      expect(response.json.detail[0].loc).toEqual(['query', param]);
    });
  });
});
