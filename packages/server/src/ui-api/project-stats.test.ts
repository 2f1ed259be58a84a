/**
 * A project's figures: percentiles as numpy's linear interpolation, and one snapshot per answer, so
 * traces deleted while the figures are read never make an answer fail or disagree with itself.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../test-support/rest-client.js';
import type { UiProjectStats } from './wire.js';

/** numpy.percentile(values, q) with its default linear method. */
function numpyPercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = ((sorted.length - 1) * q) / 100;
  const below = Math.floor(position);
  const a = sorted[below]!;
  const b = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return a + (b - a) * (position - below);
}

const START = Date.parse('2025-05-01T00:00:00Z');

/** One root span per trace, lasting the given milliseconds. */
async function logTraces(url: string, project: string, latenciesMs: number[]): Promise<string[]> {
  const traceIds = latenciesMs.map(() => otelId(16));
  const spans = latenciesMs.map((ms, i) =>
    loggedSpan({
      traceId: traceIds[i]!,
      start: new Date(START + i * 1000).toISOString(),
      end: new Date(START + i * 1000 + ms).toISOString(),
    }),
  );
  const response = await api(url).post(`/v1/projects/${project}/spans`, { data: spans });
  expect(response.status).toBe(202);
  return traceIds;
}

describeEachDialect('project figures', (dialect) => {
  let t: DialectTestServer;
  const stats = async (project: string) => {
    const response = await api(t.server.url).get(`/v1/ui/projects/${project}/stats`);
    return { status: response.status, body: response.json as UiProjectStats };
  };
  const waitForTraces = async (project: string, count: number) => {
    while ((await stats(project)).body?.trace_count !== count) await new Promise((r) => setImmediate(r));
  };
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
  });
  afterAll(() => t.close());

  it('p50 and p99 are numpy linear percentiles of the trace latencies', async () => {
    const latencies = [7, 130, 45, 2_000, 13, 980, 64, 5, 311, 77, 1_500, 42, 9];
    await logTraces(t.server.url, 'percentiles', latencies);
    await waitForTraces('percentiles', latencies.length);
    const { body } = await stats('percentiles');
    expect(body.latency_ms_p50).toBeCloseTo(numpyPercentile(latencies, 50), 6);
    expect(body.latency_ms_p99).toBeCloseTo(numpyPercentile(latencies, 99), 6);
    expect(body.span_count).toBe(latencies.length);
  });

  it('an empty project has no percentiles', async () => {
    expect((await api(t.server.url).post('/v1/projects', { name: 'empty-stats' })).status).toBe(200);
    const { body } = await stats('empty-stats');
    expect(body).toMatchObject({ trace_count: 0, span_count: 0, latency_ms_p50: null, latency_ms_p99: null });
  });

  it('answers consistently while its traces are deleted', async () => {
    const latencies = Array.from({ length: 40 }, (_, i) => 10 + i);
    const traceIds = await logTraces(t.server.url, 'shrinking', latencies);
    await waitForTraces('shrinking', latencies.length);
    let deleting = true;
    const deletes = (async () => {
      for (const traceId of traceIds)
        expect((await api(t.server.url).delete(`/v1/traces/${traceId}`)).status).toBe(204);
      deleting = false;
    })();
    const answers: { status: number; body: UiProjectStats }[] = [];
    const readers = Array.from({ length: 4 }, async () => {
      while (deleting) answers.push(await stats('shrinking'));
    });
    await Promise.all([deletes, ...readers]);
    answers.push(await stats('shrinking'));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    for (const { body } of answers) {
      // One span per trace: figures read at different moments would disagree.
      expect(body.span_count).toBe(body.trace_count);
      expect(body.latency_ms_p50 === null).toBe(body.trace_count === 0);
    }
    expect(answers.at(-1)!.body.trace_count).toBe(0);
  });
});
