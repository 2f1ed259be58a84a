import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceModel, type InferenceModelSets } from '@fawkes/inferences';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, launchApp } from '../../app/launch-app.js';
import type { Session } from '../../app/session.js';
import { resolveConfig } from '../../server/config.js';
import { createServer, type FawkesServer } from '../../server/create-server.js';
import { DEFAULT_UMAP_PARAMETERS } from '../../server/umap-parameters.js';
import { fixtureExpected, loadFixtureSet } from '../../testing/inference-fixtures.js';
import { conversationTurn } from '../../testing/otel-spans.js';
import { api, sendSpans } from '../../testing/rest-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

const expected = fixtureExpected('tabular');
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

  it('is in the OpenAPI document beside the rest of /v1', async () => {
    const { paths } = (await http.get('/openapi.json')).json;
    for (const path of ['/v1/inferences', '/v1/projects']) {
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
