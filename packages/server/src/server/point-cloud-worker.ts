/**
 * The point cloud's thread: lays out a sample's vectors (UMAP, then HDBSCAN) or re-clusters
 * coordinates, reporting the layout's epochs as it goes. It receives only the sample's vectors.
 */
import { parentPort } from 'node:worker_threads';
import { layOutPointCloud, reclusterPointCloud } from '@fawkes/inferences';
import type { PointCloudJob, PointCloudReply } from './point-cloud-jobs.js';

const port = parentPort!;
const reply = (message: PointCloudReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (job: PointCloudJob) => {
  try {
    if (job.kind === 'layout') {
      const layout = layOutPointCloud(job.sample, job.parameters, (done, total) =>
        reply({ id: job.id, kind: 'progress', done, total }),
      );
      reply({ id: job.id, kind: 'layout', layout }, [
        layout.coordinates.buffer as ArrayBuffer,
        layout.labels.buffer as ArrayBuffer,
      ]);
    } else {
      const labels = reclusterPointCloud(job.coordinates, job.nComponents, job.parameters);
      reply({ id: job.id, kind: 'labels', labels }, [labels.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const e = error as Error & { parameter?: string };
    reply({
      id: job.id,
      kind: 'error',
      name: e.name,
      message: e.message,
      parameter: typeof e.parameter === 'string' ? e.parameter : undefined,
    });
  }
});
