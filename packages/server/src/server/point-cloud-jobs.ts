/** The messages between the server and its point-cloud thread. */
import type { ClusterParameters, PointCloudLayout, PointCloudParameters } from '@fawkes/inferences';

export type PointCloudJob =
  | {
      id: number;
      kind: 'layout';
      sample: { dimension: number; vectors: Float32Array };
      parameters: PointCloudParameters;
    }
  | {
      id: number;
      kind: 'cluster';
      coordinates: Float32Array;
      nComponents: number;
      parameters: ClusterParameters;
    };

export type PointCloudReply =
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'layout'; layout: PointCloudLayout }
  | { id: number; kind: 'labels'; labels: Int32Array }
  | { id: number; kind: 'error'; name: string; message: string; parameter: string | undefined };
