import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceModel, type InferenceModelSets, Inferences } from '@fawkes/inferences';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureExpected, loadFixtureSet } from '../../../test-support/inference-fixtures.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { type ApiResponse, api, sendSpans } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { closeApp, launchApp } from '../../app/launch-app.js';
import type { Session } from '../../app/session.js';
import { resolveConfig } from '../../server/config.js';
import { createServer, type FawkesServer } from '../../server/create-server.js';
import { DEFAULT_UMAP_PARAMETERS } from '../../server/umap-parameters.js';

const expected = fixtureExpected('tabular');
const DATA_QUALITY = ['count', 'cardinality', 'mean', 'sum', 'min', 'max', 'p01', 'p25', 'p50', 'p75', 'p99'];

/** Equal within a relative 1e-9 (the fixtures' tolerance), null for null. */
function close(actual: number | null, wanted: number | null) {
  if (wanted === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - wanted)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(wanted)));
}

const detail422 = (response: ApiResponse) => {
  expect(response.status).toBe(422);
  return response.json.detail[0] as { loc: (string | number)[]; msg: string };
};

describe('/v1/inferences (tabular fixture: primary and reference)', () => {
  let session: Session;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    const [primary, reference] = await Promise.all([
      loadFixtureSet('tabular', 'primary'),
      loadFixtureSet('tabular', 'reference'),
    ]);
    session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true });
    http = api(session.url.replace(/\/$/, ''));
  });
  afterAll(() => closeApp({ deleteData: true }));

  it('lists the sets with their time ranges, the dimensions and the UMAP defaults', async () => {
    const response = await http.get('/v1/inferences');
    expect(response.status).toBe(200);
    const { data } = response.json;
    expect(data.primary).toEqual({
      name: 'primary',
      row_count: 2000,
      start_time: expected.time_ranges.primary.start,
      end_time: expected.time_ranges.primary.stop,
    });
    expect(data.reference).toMatchObject({ name: 'reference', row_count: 3000 });
    expect(data.reference.start_time).toBe(expected.time_ranges.reference.start);
    expect(data.corpus).toBeNull();
    const byName = Object.fromEntries(data.dimensions.map((d: { name: string }) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(Object.keys(expected.dimensions).sort());
    expect(byName.income).toEqual({
      name: 'income',
      type: 'feature',
      data_type: 'numeric',
      shape: 'continuous',
    });
    expect(byName.state).toEqual({
      name: 'state',
      type: 'feature',
      data_type: 'categorical',
      shape: 'discrete',
    });
    expect(byName.region).toMatchObject({ type: 'tag' });
    expect(byName.prediction_label).toMatchObject({ type: 'prediction', shape: 'discrete' });
    expect(byName.actual_score).toMatchObject({ type: 'actual', shape: 'continuous' });
    expect(data.embeddings).toEqual([]);
    expect(data.default_umap_parameters).toEqual({ min_dist: 0, n_neighbors: 30, n_samples: 500 });
  });

  it("answers a dimension's data quality in each set as Phoenix computes it (NaN as null)", async () => {
    for (const set of ['primary', 'reference'] as const) {
      for (const dimension of ['income', 'state', 'age']) {
        const response = await http.get(
          `/v1/inferences/dimensions/${dimension}/data_quality?inferences=${set}`,
        );
        expect(response.status).toBe(200);
        const want = expected.dimensions[dimension][set];
        for (const key of DATA_QUALITY) close(response.json.data[key], want[key]);
        close(response.json.data.percent_empty, want.percentEmpty);
      }
    }
    const income = (await http.get('/v1/inferences/dimensions/income/data_quality')).json.data;
    expect(income.cardinality).toBeNull();
    expect((await http.get('/v1/inferences/dimensions/state/data_quality')).json.data.mean).toBeNull();
  });

  it('narrows data quality to a time range (an empty one counts 0 rows)', async () => {
    const { start, stop } = expected.time_ranges.primary;
    const whole = await http.get(
      `/v1/inferences/dimensions/age/data_quality?start_time=${encodeURIComponent(start)}&end_time=${encodeURIComponent(stop)}`,
    );
    expect(whole.json.data.count).toBe(2000);
    const before = await http.get(
      '/v1/inferences/dimensions/age/data_quality?start_time=2020-01-01T00:00:00Z&end_time=2020-01-02T00:00:00Z',
    );
    expect(before.status).toBe(200);
    expect(before.json.data.count).toBe(0);
    expect(before.json.data.mean).toBeNull();
  });

  it('answers PSI, KL divergence and JS distance of the whole primary against the reference', async () => {
    for (const dimension of ['income', 'state', 'prediction_label']) {
      const drift = expected.dimensions[dimension].drift;
      const metrics = { psi: drift.psi, kl_divergence: drift.klDivergence, js_distance: drift.jsDistance };
      for (const [metric, value] of Object.entries(metrics)) {
        const response = await http.get(`/v1/inferences/dimensions/${dimension}/drift?metric=${metric}`);
        expect(response.status).toBe(200);
        close(response.json.data.value, value as number);
      }
    }
    close(
      (await http.get('/v1/inferences/dimensions/income/drift')).json.data.value,
      expected.dimensions.income.drift.psi,
    );
  });

  it('answers the distribution segments of the dimension page', async () => {
    for (const dimension of ['income', 'state', 'channel']) {
      const response = await http.get(`/v1/inferences/dimensions/${dimension}/segments`);
      expect(response.status).toBe(200);
      const key = (s: { bin: object }) => JSON.stringify(s.bin);
      const sorted = (list: { bin: object }[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sorted(response.json.data)).toEqual(sorted(expected.dimensions[dimension].segments));
    }
  });

  it("answers PSI over time with Phoenix's rolling window, and counts per hour", async () => {
    const psi = await http.get(
      '/v1/inferences/dimensions/income/time_series?metric=psi&evaluation_window_minutes=2880&sampling_interval_minutes=1440',
    );
    expect(psi.status).toBe(200);
    const want = expected.dimensions.income.psi_time_series as { timestamp: string; value: number }[];
    expect(psi.json.data.map((p: { timestamp: string }) => p.timestamp)).toEqual(
      want.map((p) => p.timestamp),
    );
    for (const [i, p] of (psi.json.data as { value: number }[]).entries()) close(p.value, want[i]!.value);

    for (const set of ['primary', 'reference'] as const) {
      const counts = await http.get(
        `/v1/inferences/dimensions/age/time_series?metric=count&inferences=${set}&evaluation_window_minutes=60&sampling_interval_minutes=60`,
      );
      expect(counts.status).toBe(200);
      expect(counts.json.data).toEqual(expected.count_time_series_hourly[set]);
    }
  });

  it('answers accuracy per set, and null for a metric the set has no columns for', async () => {
    for (const set of ['primary', 'reference'] as const) {
      const response = await http.get(`/v1/inferences/performance?metric=accuracy&inferences=${set}`);
      expect(response.status).toBe(200);
      close(response.json.data.value, expected.accuracy[set]);
    }
    for (const metric of ['precision', 'recall', 'f1', 'mae', 'rmse', 'auc']) {
      const response = await http.get(`/v1/inferences/performance?metric=${metric}`);
      expect(response.status).toBe(200);
      expect(response.json.data.value === null || typeof response.json.data.value === 'number').toBe(true);
    }
  });

  it('answers 404 with a plain-text detail for an unknown dimension or embedding', async () => {
    for (const path of [
      '/v1/inferences/dimensions/nope/data_quality',
      '/v1/inferences/dimensions/nope/drift',
      '/v1/inferences/dimensions/nope/segments',
      '/v1/inferences/dimensions/nope/time_series?metric=count',
      '/v1/inferences/embeddings/nope/drift',
      '/v1/inferences/embeddings/nope/time_series',
    ]) {
      const response = await http.get(path);
      expect(response.status, path).toBe(404);
      expect(response.contentType).toMatch(/^text\/plain/);
      expect(response.text).toContain('nope');
    }
  });

  it('answers 422 naming the parameter for a bad metric, set, time or granularity', async () => {
    const dq = '/v1/inferences/dimensions/income';
    expect(detail422(await http.get(`${dq}/drift?metric=wasserstein`)).loc).toEqual(['query', 'metric']);
    expect(detail422(await http.get(`${dq}/data_quality?inferences=corpus`)).loc).toEqual([
      'query',
      'inferences',
    ]);
    expect(detail422(await http.get(`${dq}/data_quality?start_time=yesterday`)).loc).toEqual([
      'query',
      'start_time',
    ]);
    expect(detail422(await http.get(`${dq}/drift?end_time=2026-13-01T00:00:00Z`)).loc).toEqual([
      'query',
      'end_time',
    ]);
    const inverted = detail422(
      await http.get(`${dq}/segments?start_time=2026-03-15T00:00:00Z&end_time=2026-03-12T00:00:00Z`),
    );
    expect(inverted.loc).toEqual(['query', 'start_time']);
    expect(inverted.msg).toContain('before end_time');
    expect(detail422(await http.get(`${dq}/time_series`)).loc).toEqual(['query', 'metric']);
    expect(
      detail422(await http.get(`${dq}/time_series?metric=count&evaluation_window_minutes=0`)).loc,
    ).toEqual(['query', 'evaluation_window_minutes']);
    expect(
      detail422(await http.get(`${dq}/time_series?metric=psi&sampling_interval_minutes=often`)).loc,
    ).toEqual(['query', 'sampling_interval_minutes']);
    expect(detail422(await http.get('/v1/inferences/performance?metric=r2')).loc).toEqual([
      'query',
      'metric',
    ]);
  });

  it("answers the home page's tables in one call, each value as the single-metric routes give it", async () => {
    const response = await http.get('/v1/inferences/summary');
    expect(response.status).toBe(200);
    const { dimensions, embeddings } = response.json.data;
    const listed = (await http.get('/v1/inferences')).json.data.dimensions;
    expect(dimensions.map((d: { name: string }) => d.name)).toEqual(
      listed.map((d: { name: string }) => d.name),
    );
    expect(embeddings).toEqual([]);
    for (const dimension of ['income', 'state', 'age', 'prediction_label']) {
      const row = dimensions.find((d: { name: string }) => d.name === dimension);
      const want = expected.dimensions[dimension];
      for (const key of ['cardinality', 'min', 'mean', 'max']) close(row[key], want.primary[key]);
      close(row.percent_empty, want.primary.percentEmpty);
      close(row.psi, want.drift.psi);
    }
    const narrowed = await http.get(
      '/v1/inferences/summary?start_time=2020-01-01T00:00:00Z&end_time=2020-01-02T00:00:00Z',
    );
    expect(narrowed.status).toBe(200);
    expect(narrowed.json.data.dimensions.every((d: { mean: unknown }) => d.mean === null)).toBe(true);
    expect(detail422(await http.get('/v1/inferences/summary?end_time=soon')).loc).toEqual([
      'query',
      'end_time',
    ]);
  });

  it('is in the OpenAPI document beside the rest of /v1', async () => {
    const { paths } = (await http.get('/openapi.json')).json;
    for (const path of [
      '/v1/inferences',
      '/v1/inferences/dimensions/{name}/data_quality',
      '/v1/inferences/dimensions/{name}/drift',
      '/v1/inferences/dimensions/{name}/segments',
      '/v1/inferences/dimensions/{name}/time_series',
      '/v1/inferences/embeddings/{name}/drift',
      '/v1/inferences/embeddings/{name}/time_series',
      '/v1/inferences/performance',
      '/v1/inferences/summary',
      '/v1/projects',
    ]) {
      expect(paths[path], path).toBeDefined();
    }
  });

  it('serves projects and traces beside the inferences', async () => {
    await sendSpans(session.url.replace(/\/$/, ''), conversationTurn({ projectName: 'beside' }));
    const projects = await http.get('/v1/projects');
    expect(projects.status).toBe(200);
    expect(projects.json.data.map((p: { name: string }) => p.name)).toContain('beside');
    expect((await http.get('/v1/projects/beside/spans')).json.data.length).toBeGreaterThan(0);
    expect((await http.get('/v1/inferences')).status).toBe(200);
  });
});

describe('/v1/inferences with embeddings and a corpus', () => {
  const servers: FawkesServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  async function serve(sets: InferenceModelSets) {
    const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-inferences-'));
    dirs.push(workingDir);
    const server = await createServer(resolveConfig({ port: 0, grpcPort: 0, workingDir }, {}), {
      inferences: { model: new InferenceModel(sets), umapParameters: { ...DEFAULT_UMAP_PARAMETERS } },
    });
    servers.push(server);
    return api(server.url);
  }

  it('lists an embedding feature by its name, with its vectors’ length', async () => {
    const http = await serve({
      primary: await loadFixtureSet('nlp', 'primary'),
      reference: await loadFixtureSet('nlp', 'reference'),
    });
    const { data } = (await http.get('/v1/inferences')).json;
    expect(data.embeddings).toEqual([{ name: 'text_embedding', dimension: 128 }]);
    const summary = (await http.get('/v1/inferences/summary')).json.data;
    const want = fixtureExpected('nlp').embeddings.text_embedding.euclideanDistance;
    expect(summary.embeddings).toHaveLength(1);
    expect(summary.embeddings[0].name).toBe('text_embedding');
    expect(Math.abs(summary.embeddings[0].euclidean_distance - want)).toBeLessThanOrEqual(1e-6 * want);
    expect(summary.embeddings[0].query_distance).toBeNull();
  });

  it("shares a large model's summary out to threads, with the same values as computed in this thread", async () => {
    const rows = 20_000;
    const start = Date.UTC(2026, 2, 1);
    const set = (shift: number, name: string) =>
      new Inferences(
        Array.from({ length: rows }, (_, i) => ({
          t: new Date(start + i * 60_000),
          x: ((i * 7919) % 1000) / 10 + shift,
          n: (i * 31) % 17,
          c: i % 11 === 0 ? null : `c${(i + shift) % 7}`,
        })),
        { timestampColumnName: 't', featureColumnNames: ['x', 'n', 'c'] },
        name,
      );
    const sets = { primary: set(15, 'production'), reference: set(0, 'training') };
    const http = await serve(sets);
    const response = await http.get('/v1/inferences/summary');
    expect(response.status).toBe(200);
    const want = new InferenceModel(sets).summary();
    expect(response.json.data.dimensions).toEqual(
      want.dimensions.map((d) => ({
        name: d.name,
        type: d.type,
        data_type: d.dataType,
        cardinality: d.cardinality,
        percent_empty: d.percentEmpty,
        min: d.min,
        mean: d.mean,
        max: d.max,
        psi: d.psi,
      })),
    );
    expect(response.json.data.dimensions[0].psi).toBeGreaterThan(0.1);
  });

  it('lists the corpus and the prompt embedding as `prompt`', async () => {
    const http = await serve({
      primary: await loadFixtureSet('rag', 'primary'),
      corpus: await loadFixtureSet('rag', 'corpus'),
    });
    const { data } = (await http.get('/v1/inferences')).json;
    expect(data.corpus).toMatchObject({ name: 'corpus', row_count: 300 });
    expect(data.reference).toBeNull();
    expect(data.embeddings.map((e: { name: string }) => e.name)).toEqual(['prompt']);
    const summary = (await http.get('/v1/inferences/summary')).json.data;
    const want = fixtureExpected('rag').embeddings.embedding.queryDistance;
    expect(summary.embeddings[0].euclidean_distance).toBeNull();
    expect(Math.abs(summary.embeddings[0].query_distance - want)).toBeLessThanOrEqual(1e-6 * want);
    expect(summary.dimensions.every((d: { psi: unknown }) => d.psi === null)).toBe(true);
  });
});

describe('/v1/inferences without inference sets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers 404 saying how to launch with inferences', async () => {
    const http = api(t.server.url);
    const response = await http.get('/v1/inferences');
    expect(response.status).toBe(404);
    expect(response.contentType).toMatch(/^text\/plain/);
    expect(response.text).toContain('launched without inference sets');
  });
});
