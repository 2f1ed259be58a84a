import { Type } from 'typebox';
import { Data, DateTime, Nullable } from './common.js';

/** `/v1/inferences/embeddings/{name}/umap` and `/clusters`: the embedding page's point cloud (issue #18). */

const ClusterSettings = {
  min_cluster_size: Type.Optional(
    Type.Integer({ minimum: 2, description: 'HDBSCAN’s smallest cluster (default 10).' }),
  ),
  min_samples: Type.Optional(
    Type.Integer({ minimum: 1, description: 'HDBSCAN’s neighbours for a core point (default 1).' }),
  ),
  cluster_selection_epsilon: Type.Optional(
    Type.Number({ minimum: 0, description: 'HDBSCAN’s merge distance (default 0).' }),
  ),
  metric_dimension: Type.Optional(
    Type.String({ description: 'A numeric dimension whose mean each cluster reports per set.' }),
  ),
};

export const UmapRequestBody = Type.Object(
  {
    n_neighbors: Type.Optional(Type.Integer({ minimum: 5, maximum: 100, description: 'Default 30.' })),
    min_dist: Type.Optional(Type.Number({ minimum: 0, maximum: 0.99, description: 'Default 0.' })),
    n_samples: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'Points per set (default 500).' }),
    ),
    n_components: Type.Optional(
      Type.Union([Type.Literal(2), Type.Literal(3)], { description: 'Default 3.' }),
    ),
    seed: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'Same seed, same cloud (default 0).' }),
    ),
    window_end: Type.Optional(
      DateTime('End of the primary’s 2-day window (default: the end of the primary set).'),
    ),
    ...ClusterSettings,
  },
  { additionalProperties: false, title: 'UmapRequest' },
);

const Label = Nullable(Type.Union([Type.String(), Type.Number()]));

const PointSchema = Type.Object(
  {
    event_id: Type.String({ description: '"<row>:<set>": the row in its set’s time order.' }),
    set: Type.Enum(['primary', 'reference', 'corpus']),
    coordinates: Type.Array(Type.Number()),
    cluster_id: Nullable(Type.String()),
    prediction_id: Nullable(Type.String()),
    prediction_label: Label,
    prediction_score: Nullable(Type.Number()),
    actual_label: Label,
    actual_score: Nullable(Type.Number()),
    raw_data: Nullable(Type.String()),
    link_to_data: Nullable(Type.String()),
    dimensions: Type.Record(Type.String(), Label, { description: 'Feature and tag values.' }),
  },
  { title: 'PointCloudPoint' },
);

const PerSet = Type.Object({ primary: Nullable(Type.Number()), reference: Nullable(Type.Number()) });

const ClusterSchema = Type.Object(
  {
    id: Type.String(),
    size: Type.Integer(),
    drift_ratio: Nullable(Type.Number({ description: '(primary − reference) / (primary + reference)' })),
    primary_to_corpus_ratio: Nullable(Type.Number()),
    event_ids: Type.Array(Type.String()),
    accuracy: PerSet,
    dimension_mean: Nullable(Type.Object({ dimension: Type.String(), ...PerSet.properties })),
  },
  { title: 'PointCloudCluster' },
);

export const UmapResponseBody = Data(
  Type.Object(
    {
      window: Type.Object({ start_time: DateTime(), end_time: DateTime() }),
      n_components: Type.Integer(),
      points: Type.Array(PointSchema),
      clusters: Type.Array(ClusterSchema),
      retrieval_links: Type.Array(
        Type.Object({ query: Type.String(), document: Type.String(), score: Nullable(Type.Number()) }),
      ),
    },
    { title: 'PointCloud' },
  ),
  'UmapResponse',
);

export const ClustersRequestBody = Type.Object(
  {
    event_ids: Type.Array(Type.String(), { description: 'The points, as the umap call returned them.' }),
    coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), {
      description: 'Each point’s coordinates, in the order of event_ids.',
    }),
    ...ClusterSettings,
  },
  { additionalProperties: false, title: 'ClustersRequest' },
);

export const ClustersResponseBody = Data(
  Type.Object({ clusters: Type.Array(ClusterSchema) }, { title: 'PointCloudClusters' }),
  'ClustersResponse',
);

export const UmapProgressBody = Data(
  Type.Array(
    Type.Object(
      {
        n_neighbors: Type.Integer(),
        min_dist: Type.Number(),
        n_samples: Type.Integer(),
        n_components: Type.Integer(),
        seed: Type.Integer(),
        epochs_done: Type.Integer(),
        epochs_total: Nullable(Type.Integer()),
      },
      { title: 'UmapProgress' },
    ),
  ),
  'UmapProgressResponse',
);
