import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceModel, type InferenceModelSets } from '@fawkes/inferences';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, launchApp } from '../../../server/src/app/launch-app.js';
import { resolveConfig } from '../../../server/src/server/config.js';
import { createServer, type FawkesServer } from '../../../server/src/server/create-server.js';
import { DEFAULT_UMAP_PARAMETERS } from '../../../server/src/server/umap-parameters.js';
import { fixtureExpected, loadFixtureSet } from '../../../server/test-support/inference-fixtures.js';
import { startTestServer, type TestServer } from '../../../server/test-support/test-server.js';
import { createClient, type FawkesClient } from '../client.js';
import { ApiError, InvalidArgumentError, NotFoundError } from '../errors.js';

const expected = fixtureExpected('tabular');
const DATA_QUALITY = ['count', 'cardinality', 'mean', 'sum', 'min', 'max', 'p01', 'p25', 'p50', 'p75', 'p99'];

/** Equal within a relative tolerance (the fixtures' 1e-9 unless told), null for null. */
function close(actual: number | null | undefined, wanted: number | null, tolerance = 1e-9) {
  if (wanted === null) return expect(actual).toBeNull();
  expect(actual).toBeTypeOf('number');
  expect(Math.abs(actual! - wanted)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(wanted)));
}

interface Point {
  timestamp: string;
  value: number | null;
}

function closeSeries(actual: Point[], wanted: Point[], tolerance = 1e-9) {
  expect(actual.map((p) => p.timestamp)).toEqual(wanted.map((p) => p.timestamp));
  for (const [i, point] of actual.entries()) close(point.value, wanted[i]!.value, tolerance);
}

/** What a call threw (it must throw). */
async function thrown(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('expected the call to throw'),
    (error: unknown) => error,
  );
}

/** The call failed with a 422 naming `parameter`; returns its message. */
async function invalid(call: Promise<unknown>, parameter: string): Promise<string> {
  const error = await thrown(call);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).not.toBeInstanceOf(NotFoundError);
  const apiError = error as ApiError;
  expect(apiError.status).toBe(422);
  expect(apiError.validationErrors[0]?.loc).toEqual(['query', parameter]);
  expect(apiError.message).toContain(`query.${parameter}`);
  return apiError.message;
}

describe('client.inferences (tabular fixture: primary and reference)', () => {
  let client: FawkesClient;
  beforeAll(async () => {
    const [primary, reference] = await Promise.all([
      loadFixtureSet('tabular', 'primary'),
      loadFixtureSet('tabular', 'reference'),
    ]);
    const session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true });
    client = createClient({ baseUrl: session.url.replace(/\/$/, '') });
  });
  afterAll(() => closeApp({ deleteData: true }));

  it('gets the sets and dimensions', async () => {
    const info = await client.inferences.get();
    expect(info.primary).toMatchObject({ name: 'primary', row_count: 2000 });
    expect(info.reference?.row_count).toBe(3000);
    expect(info.dimensions.find((d) => d.name === 'income')).toEqual({
      name: 'income',
      type: 'feature',
      data_type: 'numeric',
      shape: 'continuous',
    });
  });

  it("gets the model home page's tables: each dimension's primary figures and PSI", async () => {
    const summary = await client.inferences.summary();
    expect(summary.embeddings).toEqual([]);
    expect(summary.dimensions.map((d) => d.name).sort()).toEqual(Object.keys(expected.dimensions).sort());
    for (const row of summary.dimensions) {
      const want = expected.dimensions[row.name];
      close(row.cardinality, want.primary.cardinality);
      close(row.percent_empty, want.primary.percentEmpty);
      for (const key of ['min', 'mean', 'max'] as const) close(row[key], want.primary[key]);
      close(row.psi, want.drift.psi);
    }
    expect(summary.dimensions.find((d) => d.name === 'income')).toMatchObject({
      type: 'feature',
      data_type: 'numeric',
    });
    const empty = await client.inferences.summary({
      startTime: new Date('2020-01-01T00:00:00Z'),
      endTime: '2020-01-02T00:00:00Z',
    });
    expect(empty.dimensions.find((d) => d.name === 'age')?.mean).toBeNull();
  });

  it("gets a dimension's data quality in each set as Phoenix computes it", async () => {
    for (const inferences of ['primary', 'reference'] as const) {
      for (const dimension of ['income', 'state', 'age']) {
        const quality = await client.inferences.dataQuality(dimension, { inferences });
        const want = expected.dimensions[dimension][inferences];
        for (const key of DATA_QUALITY) close(quality[key as keyof typeof quality], want[key]);
        close(quality.percent_empty, want.percentEmpty);
      }
    }
    expect((await client.inferences.dataQuality('income')).cardinality).toBeNull();
  });

  it('narrows data quality to a time range given as Dates or ISO strings', async () => {
    const { start, stop } = expected.time_ranges.primary;
    const whole = await client.inferences.dataQuality('age', {
      startTime: new Date(start),
      endTime: stop,
    });
    expect(whole.count).toBe(2000);
    const before = await client.inferences.dataQuality('age', {
      startTime: '2020-01-01T00:00:00Z',
      endTime: new Date('2020-01-02T00:00:00Z'),
    });
    expect(before.count).toBe(0);
    expect(before.mean).toBeNull();
  });

  it('gets PSI, KL divergence and JS distance of the primary against the reference', async () => {
    for (const dimension of ['income', 'state', 'prediction_label']) {
      const drift = expected.dimensions[dimension].drift;
      close(await client.inferences.drift(dimension, { metric: 'psi' }), drift.psi);
      close(await client.inferences.drift(dimension, { metric: 'kl_divergence' }), drift.klDivergence);
      close(await client.inferences.drift(dimension, { metric: 'js_distance' }), drift.jsDistance);
    }
    close(await client.inferences.drift('income'), expected.dimensions.income.drift.psi);
  });

  it('gets the distribution segments of the dimension page', async () => {
    const key = (s: { bin: object }) => JSON.stringify(s.bin);
    const sorted = <T extends { bin: object }>(list: T[]) =>
      [...list].sort((a, b) => key(a).localeCompare(key(b)));
    for (const dimension of ['income', 'state', 'channel']) {
      const segments = await client.inferences.segments(dimension);
      expect(sorted(segments)).toEqual(sorted(expected.dimensions[dimension].segments));
    }
  });

  it("gets PSI over time with Phoenix's rolling window, and counts per hour", async () => {
    const psi = await client.inferences.timeSeries('income', {
      metric: 'psi',
      evaluationWindowMinutes: 2880,
      samplingIntervalMinutes: 1440,
    });
    closeSeries(psi, expected.dimensions.income.psi_time_series);
    for (const inferences of ['primary', 'reference'] as const) {
      const counts = await client.inferences.timeSeries('age', {
        metric: 'count',
        inferences,
        evaluationWindowMinutes: 60,
        samplingIntervalMinutes: 60,
      });
      expect(counts).toEqual(expected.count_time_series_hourly[inferences]);
    }
  });

  it('gets accuracy per set, and a number or null for the other metrics', async () => {
    for (const inferences of ['primary', 'reference'] as const) {
      close(
        await client.inferences.performance({ metric: 'accuracy', inferences }),
        expected.accuracy[inferences],
      );
    }
    close(await client.inferences.performance(), expected.accuracy.primary);
    for (const metric of ['precision', 'recall', 'f1', 'mae', 'rmse', 'auc'] as const) {
      const value = await client.inferences.performance({ metric });
      expect(value === null || typeof value === 'number', metric).toBe(true);
    }
  });

  it('throws NotFoundError naming an unknown dimension or embedding', async () => {
    const calls = {
      dataQuality: () => client.inferences.dataQuality('nope'),
      drift: () => client.inferences.drift('nope'),
      segments: () => client.inferences.segments('nope'),
      timeSeries: () => client.inferences.timeSeries('nope', { metric: 'count' }),
      embeddingDrift: () => client.inferences.embeddingDrift('nope'),
      embeddingTimeSeries: () => client.inferences.embeddingTimeSeries('nope'),
    };
    for (const [method, call] of Object.entries(calls)) {
      const error = await thrown(call());
      expect(error, method).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).status).toBe(404);
      expect((error as NotFoundError).detail, method).toContain('nope');
      expect((error as NotFoundError).message, method).toContain('nope');
    }
  });

  it('throws ApiError 422 naming the parameter for a bad metric, set, time range or granularity', async () => {
    const { inferences } = client;
    await invalid(inferences.drift('income', { metric: 'wasserstein' as never }), 'metric');
    await invalid(inferences.dataQuality('income', { inferences: 'corpus' as never }), 'inferences');
    await invalid(inferences.dataQuality('income', { startTime: 'yesterday' }), 'start_time');
    await invalid(inferences.drift('income', { endTime: '2026-13-01T00:00:00Z' }), 'end_time');
    const inverted = await invalid(
      inferences.segments('income', {
        startTime: new Date('2026-03-15T00:00:00Z'),
        endTime: new Date('2026-03-12T00:00:00Z'),
      }),
      'start_time',
    );
    expect(inverted).toContain('before end_time');
    await invalid(inferences.timeSeries('income', {} as never), 'metric');
    await invalid(
      inferences.timeSeries('income', { metric: 'count', evaluationWindowMinutes: 0 }),
      'evaluation_window_minutes',
    );
    await invalid(
      inferences.timeSeries('income', { metric: 'psi', samplingIntervalMinutes: 1.5 }),
      'sampling_interval_minutes',
    );
    await invalid(inferences.performance({ metric: 'r2' as never }), 'metric');
    await invalid(inferences.summary({ endTime: 'soon' }), 'end_time');
  });

  it('refuses an invalid Date or an empty name before sending anything', async () => {
    const error = await thrown(client.inferences.drift('income', { startTime: new Date('soon') }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe('startTime is an invalid Date');
    await expect(client.inferences.segments('')).rejects.toThrow(
      new InvalidArgumentError('dimension must be a non-empty string'),
    );
  });
});

describe('client.inferences with embeddings and a corpus', () => {
  const servers: FawkesServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  async function serve(sets: InferenceModelSets): Promise<FawkesClient> {
    const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-client-inferences-'));
    dirs.push(workingDir);
    const server = await createServer(resolveConfig({ port: 0, grpcPort: 0, workingDir }, {}), {
      inferences: { model: new InferenceModel(sets), umapParameters: { ...DEFAULT_UMAP_PARAMETERS } },
    });
    servers.push(server);
    return createClient({ baseUrl: server.url });
  }
  const granularity = { evaluationWindowMinutes: 2880, samplingIntervalMinutes: 1440 };

  it("gets an embedding's drift against the reference and its series (nlp fixture)", async () => {
    const client = await serve({
      primary: await loadFixtureSet('nlp', 'primary'),
      reference: await loadFixtureSet('nlp', 'reference'),
    });
    const want = fixtureExpected('nlp').embeddings.text_embedding;
    close(await client.inferences.embeddingDrift('text_embedding'), want.euclideanDistance, 1e-6);
    close(
      await client.inferences.embeddingDrift('text_embedding', { metric: 'euclidean_distance' }),
      want.euclideanDistance,
      1e-6,
    );
    closeSeries(
      await client.inferences.embeddingTimeSeries('text_embedding', granularity),
      want.euclidean_time_series,
      1e-6,
    );
    const [row] = (await client.inferences.summary()).embeddings;
    expect(row).toMatchObject({ name: 'text_embedding', query_distance: null });
    close(row!.euclidean_distance, want.euclideanDistance, 1e-6);
  });

  it("gets the prompt's query distance to the corpus and its series (rag fixture)", async () => {
    const client = await serve({
      primary: await loadFixtureSet('rag', 'primary'),
      corpus: await loadFixtureSet('rag', 'corpus'),
    });
    const want = fixtureExpected('rag').embeddings.embedding;
    close(
      await client.inferences.embeddingDrift('prompt', { metric: 'query_distance' }),
      want.queryDistance,
      1e-6,
    );
    closeSeries(
      await client.inferences.embeddingTimeSeries('prompt', { metric: 'query_distance', ...granularity }),
      want.query_distance_time_series,
      1e-6,
    );
    const [row] = (await client.inferences.summary()).embeddings;
    expect(row).toMatchObject({ name: 'prompt', euclidean_distance: null });
    close(row!.query_distance, want.queryDistance, 1e-6);
    // Without a reference there is nothing to drift from.
    const error = await thrown(client.inferences.embeddingDrift('prompt'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).detail).toMatch(/reference/);
  });

  it("gets a retrieval prompt's point cloud with the corpus and its links, re-clusters it, and names bad options (rag fixture)", async () => {
    const client = await serve({
      primary: await loadFixtureSet('rag', 'primary'),
      corpus: await loadFixtureSet('rag', 'corpus'),
    });
    const cloud = await client.inferences.pointCloud('prompt', { nSamples: 100, nComponents: 2 });
    expect(cloud.n_components).toBe(2);
    expect(cloud.points.some((p) => p.set === 'corpus')).toBe(true);
    expect(cloud.retrieval_links.length).toBeGreaterThan(0);
    const again = await client.inferences.recluster('prompt', cloud.points);
    expect(again).toEqual(cloud.clusters);
    const error = await thrown(client.inferences.pointCloud('prompt', { nNeighbors: 1 }));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect(await thrown(client.inferences.pointCloud('nope'))).toBeInstanceOf(NotFoundError);
  });
});

describe('client.inferences against an app without inference sets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('throws NotFoundError saying how to launch with them', async () => {
    const client = createClient({ baseUrl: t.server.url });
    for (const call of [
      () => client.inferences.get(),
      () => client.inferences.drift('income'),
      () => client.inferences.performance(),
      () => client.inferences.summary(),
    ]) {
      const error = await thrown(call());
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).detail).toMatch(/launched without inference sets/);
    }
  });
});
