import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const at = (iso: string, seconds = 0) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const hour = (h: number) => `2024-01-01T0${h}:00:00+00:00`;
/** In a query string, where a bare + is a space. */
const qHour = (h: number) => encodeURIComponent(hour(h));

describeEachDialect('metrics API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  const llmSpans: Record<string, string> = {};

  interface ChildSpec {
    kind: 'LLM' | 'TOOL';
    status?: 'OK' | 'ERROR';
    tokens?: [number, number];
  }

  /** A trace of a root CHAIN span lasting `seconds`, its children starting a second after it. */
  async function logTrace(
    name: string,
    start: string,
    seconds: number,
    children: ChildSpec[],
    rootStatus: 'OK' | 'UNSET' = 'OK',
  ) {
    const traceId = otelId(16);
    const rootId = otelId(8);
    const spans = [
      loggedSpan({ traceId, spanId: rootId, start, end: at(start, seconds), statusCode: rootStatus }),
      ...children.map((child) => {
        const spanId = otelId(8);
        if (child.kind === 'LLM') llmSpans[name] = spanId;
        return loggedSpan({
          traceId,
          spanId,
          parentId: rootId,
          kind: child.kind,
          start: at(start, 1),
          end: at(start, 1),
          statusCode: child.status ?? 'OK',
          attributes: child.tokens
            ? { 'llm.token_count.prompt': child.tokens[0], 'llm.token_count.completion': child.tokens[1] }
            : {},
        });
      }),
    ];
    const response = await http.post('/v1/projects/metrics/spans', { data: spans });
    expect(response.status).toBe(202);
  }

  async function annotate(span: string, name: string, result: { score?: number; label?: string }) {
    const response = await http.post('/v1/span_annotations?sync=true', {
      data: [{ span_id: llmSpans[span], name, annotator_kind: 'HUMAN', result }],
    });
    expect(response.status, response.text).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    // Hour 0: traces A (4 s, a failed tool) and B (1 s, a failed LLM call); hour 1 empty;
    // hour 2: traces C (10 s) and D (2 s, a lone UNSET root, at 02:50).
    await logTrace('A', '2024-01-01T00:10:00Z', 4, [
      { kind: 'LLM', tokens: [10, 20] },
      { kind: 'TOOL', status: 'ERROR' },
    ]);
    await logTrace('B', '2024-01-01T00:40:00Z', 1, [{ kind: 'LLM', status: 'ERROR', tokens: [5, 0] }]);
    await logTrace('C', '2024-01-01T02:30:00Z', 10, [{ kind: 'LLM', tokens: [100, 50] }]);
    await logTrace('D', '2024-01-01T02:50:00Z', 2, [], 'UNSET');
    await annotate('A', 'quality', { score: 1 });
    await annotate('B', 'quality', { score: 0.5 });
    await annotate('C', 'quality', { score: 0.2 });
    await annotate('C', 'relevance', { score: 1 });
    expect((await http.post('/v1/span_notes', { data: { span_id: llmSpans.C, note: 'fine' } })).status).toBe(
      200,
    );
    await annotate('A', 'tone', { label: 'polite' });
  });
  afterAll(() => t.close());

  const metrics = (query: string) => http.get(`/v1/projects/metrics/metrics?${query}`);
  const hourly = async (metric: string) => {
    const response = await metrics(
      `metric=${metric}&start_time=${qHour(0)}&end_time=${qHour(3)}&bucket=hour`,
    );
    expect(response.status).toBe(200);
    return response.json.data;
  };

  it('counts spans by status per hour, empty hours as 0', async () => {
    expect(await hourly('spans')).toEqual({
      metric: 'spans',
      bucket: 'hour',
      start_time: hour(0),
      end_time: hour(3),
      timestamps: [hour(0), hour(1), hour(2)],
      series: [
        { name: 'ok', values: [3, 0, 2] },
        { name: 'error', values: [2, 0, 0] },
        { name: 'unset', values: [0, 0, 1] },
      ],
    });
  });

  it('counts traces as failed when any of their spans failed', async () => {
    expect((await hourly('traces')).series).toEqual([
      { name: 'ok', values: [0, 0, 2] },
      { name: 'error', values: [2, 0, 0] },
    ]);
  });

  it('gives trace latency percentiles in ms (linear), null for empty hours', async () => {
    expect((await hourly('latency')).series).toEqual([
      { name: 'p50', values: [2500, null, 6000] },
      { name: 'p90', values: [3700, null, 9200] },
      { name: 'p99', values: [expect.closeTo(3970, 6), null, expect.closeTo(9920, 6)] },
    ]);
  });

  it("sums LLM spans' tokens", async () => {
    expect((await hourly('tokens')).series).toEqual([
      { name: 'prompt', values: [15, 0, 100] },
      { name: 'completion', values: [20, 0, 50] },
      { name: 'total', values: [35, 0, 150] },
    ]);
  });

  it('counts LLM and tool spans and their errors', async () => {
    expect((await hourly('errors')).series).toEqual([
      { name: 'llm', values: [2, 0, 1] },
      { name: 'llm_error', values: [1, 0, 0] },
      { name: 'tool', values: [1, 0, 0] },
      { name: 'tool_error', values: [1, 0, 0] },
    ]);
  });

  it('averages span annotation scores per name, notes and label-only annotations left out', async () => {
    expect((await hourly('annotations')).series).toEqual([
      { name: 'quality', values: [0.75, null, 0.2] },
      { name: 'relevance', values: [null, null, 1] },
    ]);
  });

  it('counts only what starts in [start_time, end_time)', async () => {
    const response = await metrics(
      `metric=spans&start_time=2024-01-01T00:30:00Z&end_time=2024-01-01T02:45:00Z&bucket=hour`,
    );
    expect(response.json.data.timestamps).toEqual([hour(0), hour(1), hour(2)]);
    expect(response.json.data.series).toEqual([
      { name: 'ok', values: [1, 0, 2] },
      { name: 'error', values: [1, 0, 0] },
      { name: 'unset', values: [0, 0, 0] },
    ]);
  });

  describe('bucket chosen from the range, as Phoenix', () => {
    it('minutes up to five hours', async () => {
      const { bucket, timestamps, series } = (
        await metrics(`metric=spans&start_time=${qHour(0)}&end_time=${qHour(3)}`)
      ).json.data;
      expect(bucket).toBe('minute');
      expect(timestamps).toHaveLength(180);
      expect(timestamps[10]).toBe('2024-01-01T00:10:00+00:00');
      expect(series[0].values[10]).toBe(2);
      expect(series[1].values[10]).toBe(1);
      expect(series[0].values.reduce((a: number, b: number) => a + b)).toBe(5);
    });

    it('weeks from Monday past five weeks', async () => {
      const response = await metrics(
        'metric=traces&start_time=2023-12-27T00:00:00Z&end_time=2024-02-15T00:00:00Z',
      );
      const { bucket, timestamps, series } = response.json.data;
      expect(bucket).toBe('week');
      expect(timestamps.slice(0, 2)).toEqual(['2023-12-25T00:00:00+00:00', '2024-01-01T00:00:00+00:00']);
      expect(series).toEqual([
        { name: 'ok', values: [0, 2, 0, 0, 0, 0, 0, 0] },
        { name: 'error', values: [0, 2, 0, 0, 0, 0, 0, 0] },
      ]);
    });

    it('calendar months past five months', async () => {
      const response = await metrics(
        'metric=tokens&start_time=2023-11-15T00:00:00Z&end_time=2024-06-01T00:00:00Z',
      );
      const { bucket, timestamps, series } = response.json.data;
      expect(bucket).toBe('month');
      expect(timestamps).toEqual(
        ['2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05'].map(
          (m) => `${m}-01T00:00:00+00:00`,
        ),
      );
      expect(series[2]).toEqual({ name: 'total', values: [0, 0, 185, 0, 0, 0, 0] });
    });

    it('calendar years, and the range from the first trace to now when not given', async () => {
      const response = await metrics('metric=spans&bucket=year');
      const { bucket, start_time, timestamps, series } = response.json.data;
      expect(bucket).toBe('year');
      expect(start_time).toBe('2024-01-01T00:10:00+00:00');
      expect(timestamps[0]).toBe('2024-01-01T00:00:00+00:00');
      expect(timestamps.at(-1)).toBe(`${new Date().getUTCFullYear()}-01-01T00:00:00+00:00`);
      expect(series[0].values[0]).toBe(5);
    });
  });

  it('answers an empty series for a project without traces', async () => {
    await http.post('/v1/projects', { name: 'empty' });
    const response = await http.get('/v1/projects/empty/metrics?metric=latency');
    expect(response.status).toBe(200);
    expect(response.json.data).toMatchObject({ bucket: 'day', start_time: null, timestamps: [] });
    expect(response.json.data.series.map((s: { values: unknown[] }) => s.values)).toEqual([[], [], []]);
  });

  describe('bad requests', () => {
    it('404 for an unknown project', async () => {
      const response = await http.get('/v1/projects/nope/metrics?metric=spans');
      expect(response.status).toBe(404);
      expect(response.text).toContain('nope');
    });

    it.each([
      ['', 'metric'],
      ['metric=cost_of_living', 'metric'],
      ['metric=spans&bucket=fortnight', 'bucket'],
      ['metric=spans&start_time=yesterday', 'start_time'],
      [`metric=spans&start_time=${qHour(3)}&end_time=${qHour(3)}`, 'start_time'],
      ['metric=spans&start_time=2000-01-01T00:00:00Z&end_time=2024-01-01T00:00:00Z&bucket=minute', 'bucket'],
    ])('422 naming the parameter: ?%s', async (query, param) => {
      const response = await metrics(query);
      expect(response.status).toBe(422);
      expect(response.json.detail[0].loc).toEqual(['query', param]);
      expect(response.json.detail[0].msg).toEqual(expect.any(String));
    });
  });
});
