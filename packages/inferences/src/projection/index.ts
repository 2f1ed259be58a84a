/** Projection and clustering of embeddings (issue #18 A.1–A.2): pure, synchronous functions. */
export {
  type ClusterSummary,
  type PointSet,
  summarizeClusters,
  summarizeClustersByRole,
} from './clusters.js';
export { ClusteringError, type ClusteringOptions, clusterPoints } from './hdbscan.js';
export {
  type Projection,
  ProjectionError,
  type ProjectionOptions,
  projectEmbeddings,
} from './project.js';
export { type TrustworthinessOptions, trustworthiness } from './quality.js';
export { DAY_MS, type SampledRows, type SampleOptions, sampleRows, WINDOW_MS, windowRows } from './sample.js';
