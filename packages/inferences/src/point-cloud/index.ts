/** The embedding page's point cloud over a model (issue #18 A). */
export { type EventRow, eventId, parseEventId } from './event-ids.js';
export {
  type ClusterParameters,
  clusterParameters,
  DEFAULT_POINT_CLOUD_PARAMETERS,
  POINT_CLOUD_RANGES,
  type PointCloudParameters,
  pointCloudParameters,
} from './parameters.js';
export {
  describePoints,
  eventRows,
  layOutPointCloud,
  type PointCloudCluster,
  type PointCloudLayout,
  type PointCloudPoint,
  type PointCloudSample,
  pointCloudClusters,
  type RetrievalLink,
  reclusterPointCloud,
  retrievalLinks,
  samplePointCloud,
  samplePointCloudInSlices,
} from './point-cloud.js';
