import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureSet } from '../../../test-support/inference-fixtures.js';
import { type ApiResponse, api } from '../../../test-support/rest-client.js';
import { closeApp, launchApp } from '../../app/launch-app.js';
import type { Session } from '../../app/session.js';

const detail422 = (response: ApiResponse) => {
  expect(response.status).toBe(422);
  return response.json.detail[0] as { loc: (string | number)[]; msg: string };
};

interface Cluster {
  id: string;
  size: number;
  drift_ratio: number | null;
  event_ids: string[];
  accuracy: { primary: number | null; reference: number | null };
  dimension_mean: { dimension: string; primary: number | null } | null;
}

describe('/v1/inferences/embeddings/{name}/umap and /clusters (nlp fixture)', () => {
  let session: Session;
  let http: ReturnType<typeof api>;
  const umap = (body: object, name = 'text_embedding') =>
    http.post(`/v1/inferences/embeddings/${name}/umap`, body);
  beforeAll(async () => {
    const [primary, reference] = await Promise.all([
      loadFixtureSet('nlp', 'primary'),
      loadFixtureSet('nlp', 'reference'),
    ]);
    session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true });
    http = api(session.url.replace(/\/$/, ''));
  });
  afterAll(() => closeApp({ deleteData: true }));

  it('projects and clusters the sampled points in a worker: a purely primary and a purely reference cluster', async () => {
    const response = await umap({ n_samples: 300, metric_dimension: 'length' });
    expect(response.status).toBe(200);
    const { data } = response.json;
    expect(data.n_components).toBe(3);
    const points = data.points as {
      event_id: string;
      set: string;
      coordinates: number[];
      cluster_id: string | null;
    }[];
    expect(points.filter((p) => p.set === 'reference')).toHaveLength(300);
    expect(points.every((p) => p.coordinates.length === 3)).toBe(true);
    const clusters = data.clusters as Cluster[];
    expect(clusters.some((c) => c.drift_ratio === 1)).toBe(true);
    expect(clusters.some((c) => c.drift_ratio === -1)).toBe(true);
    const clusterOf = new Map(points.map((p) => [p.event_id, p.cluster_id]));
    for (const c of clusters) {
      expect(c.event_ids).toHaveLength(c.size);
      for (const id of c.event_ids) expect(clusterOf.get(id)).toBe(c.id);
      expect(c.dimension_mean?.dimension).toBe('length');
    }
    expect(data.points[0].raw_data).toEqual(expect.any(String));
    expect(data.retrieval_links).toEqual([]);
    // Asked again, and twice at once: the same cloud (cached, or the running layout shared).
    const [again, twice] = await Promise.all([
      umap({ n_samples: 300, metric_dimension: 'length' }),
      umap({ n_samples: 300, metric_dimension: 'length' }),
    ]);
    expect(again.json).toEqual(response.json);
    expect(twice.json).toEqual(response.json);
    expect((await http.get('/v1/inferences/embeddings/text_embedding/umap/progress')).json).toEqual({
      data: [],
    });
  });

  it('re-clusters the coordinates it was given without another layout', async () => {
    const { data } = (await umap({ n_samples: 200, n_components: 2 })).json;
    const event_ids = data.points.map((p: { event_id: string }) => p.event_id);
    const coordinates = data.points.map((p: { coordinates: number[] }) => p.coordinates);
    const same = await http.post('/v1/inferences/embeddings/text_embedding/clusters', {
      event_ids,
      coordinates,
    });
    expect(same.status).toBe(200);
    expect(same.json.data.clusters).toEqual(data.clusters);
    const coarse = await http.post('/v1/inferences/embeddings/text_embedding/clusters', {
      event_ids,
      coordinates,
      min_cluster_size: 150,
      min_samples: 5,
    });
    expect(coarse.status).toBe(200);
    expect(coarse.json.data.clusters.length).toBeLessThanOrEqual(data.clusters.length);
  });

  it('answers bad input with 404 or a 422 naming the parameter, and changes nothing', async () => {
    expect((await umap({}, 'nope')).status).toBe(404);
    expect(detail422(await umap({ n_neighbors: 2 })).loc).toEqual(['body', 'n_neighbors']);
    expect(detail422(await umap({ min_dist: 1.5 })).loc).toEqual(['body', 'min_dist']);
    expect(detail422(await umap({ n_components: 4 })).loc).toEqual(['body', 'n_components']);
    expect(detail422(await umap({ window_end: 'yesterday' })).loc).toEqual(['body', 'window_end']);
    expect(detail422(await umap({ n_samples: 50, metric_dimension: 'prediction_label' })).loc).toEqual([
      'body',
      'metric_dimension',
    ]);
    const clusters = (body: object) => http.post('/v1/inferences/embeddings/text_embedding/clusters', body);
    expect(detail422(await clusters({ event_ids: ['x'], coordinates: [[0, 0]] })).loc).toEqual([
      'body',
      'event_ids',
    ]);
    expect(detail422(await clusters({ event_ids: ['0:primary'], coordinates: [] })).loc).toEqual([
      'body',
      'coordinates',
    ]);
    expect(
      detail422(await clusters({ event_ids: ['0:primary'], coordinates: [[0, 0]], min_cluster_size: 1 })).loc,
    ).toEqual(['body', 'min_cluster_size']);
  });
});
