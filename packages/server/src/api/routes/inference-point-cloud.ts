import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  clusterParameters,
  describePoints,
  type EventRow,
  eventRows,
  type InferenceModel,
  InvalidParameterError,
  type PointCloudCluster,
  pointCloudClusters,
  pointCloudParameters,
  retrievalLinks,
} from '@fawkes/inferences';
import { type PointCloud, PointCloudService } from '../../server/point-cloud-service.js';
import { responses } from '../schemas/common.js';
import {
  ClustersRequestBody,
  ClustersResponseBody,
  UmapProgressBody,
  UmapRequestBody,
  UmapResponseBody,
} from '../schemas/inference-point-cloud.js';
import { EmbeddingParams } from '../schemas/inferences.js';
import type { ApiContext } from './context.js';
import { answer, answerLater, isoFromMillis, millis, requireInferences } from './inferences-calls.js';

const wireClusters = (clusters: readonly PointCloudCluster[]) =>
  clusters.map((c) => ({
    id: c.id,
    size: c.size,
    drift_ratio: c.driftRatio,
    primary_to_corpus_ratio: c.primaryToCorpusRatio,
    event_ids: c.eventIds,
    accuracy: c.accuracy,
    dimension_mean: c.dimensionMean ?? null,
  }));

/** Points described and written out per slice, one slice an event-loop turn. */
const SLICE_POINTS = 1_000;

/**
 * The umap answer as UTF-8 JSON: the points with their details and cluster (built and written a
 * slice at a time, between event-loop turns: 10,000 points are ~9 MB), the clusters, the links.
 */
async function wireCloud(
  model: InferenceModel,
  name: string,
  { sample, layout }: PointCloud,
  metricDimension?: string,
): Promise<Buffer> {
  const clusters = answer(
    () => pointCloudClusters(model, sample.events, layout.labels, { metricDimension }),
    'body',
  );
  const k = layout.nComponents;
  const slices: Buffer[] = [];
  for (let start = 0; start < sample.events.length; start += SLICE_POINTS) {
    if (start > 0) await nextTurn();
    const points = describePoints(model, name, sample.events.slice(start, start + SLICE_POINTS));
    const wirePoints = points.map((p, j) => {
      const i = start + j;
      return {
        event_id: p.eventId,
        set: p.role,
        coordinates: Array.from(layout.coordinates.subarray(i * k, (i + 1) * k)),
        cluster_id: layout.labels[i]! < 0 ? null : String(layout.labels[i]),
        prediction_id: p.predictionId,
        prediction_label: p.predictionLabel,
        prediction_score: p.predictionScore,
        actual_label: p.actualLabel,
        actual_score: p.actualScore,
        raw_data: p.rawData,
        link_to_data: p.linkToData,
        dimensions: p.dimensions,
      };
    });
    // UTF-8 a slice at a time: the socket would otherwise encode all of it (9 MB) in one turn (~100 ms).
    const json = JSON.stringify(wirePoints).slice(1, -1);
    slices.push(Buffer.from(start === 0 ? json : `,${json}`));
  }
  const window = {
    start_time: isoFromMillis(sample.window.start),
    end_time: isoFromMillis(sample.window.end),
  };
  const parts = [
    Buffer.from(`{"data":{"window":${JSON.stringify(window)},"n_components":${k},"points":[`),
    ...slices,
    Buffer.from(
      `],"clusters":${JSON.stringify(wireClusters(clusters))},"retrieval_links":${JSON.stringify(retrievalLinks(model, sample.events))}}}`,
    ),
  ];
  return Buffer.concat(parts);
}

/** The embedding page's point cloud: `POST /v1/inferences/embeddings/{name}/umap`, `/clusters` and the layout's progress. */
export const inferencePointCloudRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { inferences },
) => {
  const tags = ['inferences'];
  const context = () => requireInferences(inferences);
  // Started at the first cloud, stopped with the server.
  let service: PointCloudService | undefined;
  const wireBodies = new WeakMap<PointCloud, Map<string, Promise<Buffer>>>();
  const clouds = () => {
    service ??= new PointCloudService(context().model);
    return service;
  };
  app.addHook('onClose', async () => {
    await service?.close();
  });

  app.post(
    '/v1/inferences/embeddings/:name/umap',
    {
      schema: {
        tags,
        operationId: 'projectEmbedding',
        summary: "An embedding's point cloud: UMAP and HDBSCAN (Fawkes)",
        description:
          'Samples the primary’s 2-day window ending at window_end and the reference (n_samples each; the whole corpus for a retrieval prompt), projects them with UMAP and clusters the points with HDBSCAN, in a worker thread. The same parameters again answer from the cache; while a layout runs, GET …/umap/progress tells its epochs.',
        params: EmbeddingParams,
        body: UmapRequestBody,
        response: responses(UmapResponseBody, 404),
      },
    },
    async (request, reply) => {
      const { model, umapParameters } = context();
      const body = request.body ?? {};
      const name = request.params.name;
      const parameters = answer(() => {
        model.embedding(name);
        const windowEnd = millis(body.window_end);
        if (body.window_end !== undefined && windowEnd === undefined) {
          throw new InvalidParameterError(
            `window_end is not a date and time: ${body.window_end}`,
            'window_end',
          );
        }
        return pointCloudParameters(
          {
            nNeighbors: body.n_neighbors,
            minDist: body.min_dist,
            nSamples: body.n_samples,
            nComponents: body.n_components,
            seed: body.seed,
            windowEnd,
            minClusterSize: body.min_cluster_size,
            minSamples: body.min_samples,
            clusterSelectionEpsilon: body.cluster_selection_epsilon,
          },
          umapParameters,
        );
      }, 'body');
      const cloud = await answerLater(() => clouds().cloud(name, parameters), 'body');
      // The body is made once per cloud and metric (thousands of points): later requests only send it.
      const key = body.metric_dimension ?? '';
      let bodies = wireBodies.get(cloud);
      if (!bodies) {
        bodies = new Map();
        wireBodies.set(cloud, bodies);
      }
      let text = bodies.get(key);
      if (text === undefined) {
        text = wireCloud(model, name, cloud, body.metric_dimension);
        bodies.set(key, text);
        text.catch(() => bodies.delete(key));
      }
      const json = await text;
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.post(
    '/v1/inferences/embeddings/:name/clusters',
    {
      schema: {
        tags,
        operationId: 'clusterEmbedding',
        summary: 'Re-cluster a point cloud with other HDBSCAN settings (Fawkes)',
        description:
          'HDBSCAN over the coordinates the umap call returned (no second UMAP run), in a worker thread: the clusters with their drift ratios, event ids, accuracy and metric_dimension’s mean per set.',
        params: EmbeddingParams,
        body: ClustersRequestBody,
        response: responses(ClustersResponseBody, 404),
      },
    },
    async (request) => {
      const { model } = context();
      const body = request.body;
      const { events, coordinates, nComponents, parameters } = answer(() => {
        model.embedding(request.params.name);
        const events: EventRow[] = eventRows(model, body.event_ids);
        if (body.coordinates.length !== events.length) {
          throw new InvalidParameterError(
            `coordinates has ${body.coordinates.length} points for ${events.length} event_ids`,
            'coordinates',
          );
        }
        const nComponents = body.coordinates[0]?.length ?? 3;
        if (body.coordinates.some((c) => c.length !== nComponents)) {
          throw new InvalidParameterError(
            'every point must have the same number of coordinates',
            'coordinates',
          );
        }
        return {
          events,
          nComponents,
          coordinates: Float32Array.from(body.coordinates.flat()),
          parameters: clusterParameters({
            minClusterSize: body.min_cluster_size,
            minSamples: body.min_samples,
            clusterSelectionEpsilon: body.cluster_selection_epsilon,
          }),
        };
      }, 'body');
      const labels = await answerLater(
        () => clouds().recluster(coordinates, nComponents, parameters),
        'body',
      );
      const clusters = answer(
        () => pointCloudClusters(model, events, labels, { metricDimension: body.metric_dimension }),
        'body',
      );
      return { data: { clusters: wireClusters(clusters) } };
    },
  );

  app.get(
    '/v1/inferences/embeddings/:name/umap/progress',
    {
      schema: {
        tags,
        operationId: 'getProjectionProgress',
        summary: "The embedding's layouts running now, epoch by epoch (Fawkes)",
        params: EmbeddingParams,
        response: responses(UmapProgressBody, 404),
      },
    },
    async (request) => {
      const { model } = context();
      answer(() => model.embedding(request.params.name));
      const running = service?.progress(request.params.name) ?? [];
      return {
        data: running.map(({ parameters: p, done, total }) => ({
          n_neighbors: p.nNeighbors,
          min_dist: p.minDist,
          n_samples: p.nSamples,
          n_components: p.nComponents,
          seed: p.seed,
          epochs_done: done,
          epochs_total: total,
        })),
      };
    },
  );
};
