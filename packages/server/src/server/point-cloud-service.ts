/**
 * The point clouds of a model (issue #18 A.4): the sampling is done here (cheap; it needs the sets),
 * the layout and clustering in a worker thread that gets only the sample's vectors, so the event
 * loop never waits on UMAP. A request for a cloud that is being laid out waits for that run; the
 * last CACHE_SIZE clouds are kept until other parameters are asked for; while a layout runs, its
 * epochs done / total can be read. Re-clustering has a thread of its own, so it does not wait
 * behind a layout.
 */
import type { Worker } from 'node:worker_threads';
import {
  type ClusterParameters,
  type InferenceModel,
  InvalidParameterError,
  type PointCloudLayout,
  type PointCloudParameters,
  type PointCloudSample,
  samplePointCloudInSlices,
} from '@fawkes/inferences';
import { runInTurns } from '../util/turns.js';
import { startWorker } from '../util/worker.js';
import type { PointCloudJob, PointCloudReply } from './point-cloud-jobs.js';

const CACHE_SIZE = 8;

export interface PointCloud {
  sample: Omit<PointCloudSample, 'vectors'>;
  layout: PointCloudLayout;
}

export interface LayoutProgress {
  embedding: string;
  parameters: PointCloudParameters;
  done: number;
  total: number | null;
}

type JobBody<K> = K extends PointCloudJob ? Omit<K, 'id'> : never;

interface Pending {
  resolve: (reply: PointCloudReply) => void;
  reject: (error: Error) => void;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** One thread running one job at a time, restarted on the next job if it died. */
class PointCloudThread {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #closed = false;

  run(job: JobBody<PointCloudJob>, onProgress?: Pending['onProgress']): Promise<PointCloudReply> {
    if (this.#closed) return Promise.reject(new Error('the point-cloud service is closed'));
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      const transfer = job.kind === 'layout' ? [job.sample.vectors.buffer] : [job.coordinates.buffer];
      worker.postMessage({ ...job, id }, transfer as ArrayBuffer[]);
    });
  }

  /** Starts the thread ahead of its first job (its start and imports cost ~0.1–0.3 s). */
  warm(): void {
    if (!this.#closed) this.#start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('the point-cloud service was closed'));
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startWorker(import.meta.url, './point-cloud-worker');
    worker.unref();
    worker.on('message', (reply: PointCloudReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      if (reply.kind === 'progress') {
        pending.onProgress?.(reply.done, reply.total);
        return;
      }
      this.#pending.delete(reply.id);
      if (reply.kind === 'error') pending.reject(workerError(reply));
      else pending.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failAll(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the point-cloud thread stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error) {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

function workerError(reply: Extract<PointCloudReply, { kind: 'error' }>): Error {
  if (reply.parameter !== undefined) {
    const parameter = reply.parameter.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return new InvalidParameterError(reply.message, parameter);
  }
  const error = new Error(reply.message);
  error.name = reply.name;
  return error;
}

export class PointCloudService {
  readonly #model: InferenceModel;
  readonly #layouts = new PointCloudThread();
  readonly #clustering = new PointCloudThread();
  readonly #clouds = new Map<string, Promise<PointCloud>>();
  readonly #progress = new Map<string, LayoutProgress>();

  constructor(model: InferenceModel) {
    this.#model = model;
  }

  /** The cloud of an embedding for checked parameters (see pointCloudParameters). */
  cloud(embedding: string, parameters: PointCloudParameters): Promise<PointCloud> {
    const key = JSON.stringify([embedding, parameters]);
    const known = this.#clouds.get(key);
    if (known) {
      // Most recently used last.
      this.#clouds.delete(key);
      this.#clouds.set(key, known);
      return known;
    }
    // A re-clustering follows a cloud: its thread starts while the layout runs, not on that request.
    this.#clustering.warm();
    const progress: LayoutProgress = { embedding, parameters, done: 0, total: null };
    this.#progress.set(key, progress);
    const cloud = (async () => {
      const sample = await runInTurns(samplePointCloudInSlices(this.#model, embedding, parameters));
      // The vectors move to the thread (not copied): the cloud keeps only which rows it shows.
      const { vectors, ...shown } = sample;
      const reply = await this.#layouts.run(
        { kind: 'layout', sample: { dimension: sample.dimension, vectors }, parameters },
        (done, total) => {
          progress.done = done;
          progress.total = total;
        },
      );
      if (reply.kind !== 'layout') throw new Error(`unexpected reply ${reply.kind}`);
      return { sample: shown, layout: reply.layout };
    })().finally(() => this.#progress.delete(key));
    cloud.catch(() => this.#clouds.delete(key));
    this.#clouds.set(key, cloud);
    while (this.#clouds.size > CACHE_SIZE) this.#clouds.delete(this.#clouds.keys().next().value!);
    return cloud;
  }

  /** The layouts running now, with their epochs done and total (null before the first epoch). */
  progress(embedding?: string): LayoutProgress[] {
    return [...this.#progress.values()].filter((p) => embedding === undefined || p.embedding === embedding);
  }

  /** HDBSCAN over given coordinates, in the clustering thread (which takes over their buffer: the caller's array is left empty). */
  async recluster(
    coordinates: Float32Array,
    nComponents: number,
    parameters: ClusterParameters,
  ): Promise<Int32Array> {
    const reply = await this.#clustering.run({ kind: 'cluster', coordinates, nComponents, parameters });
    if (reply.kind !== 'labels') throw new Error(`unexpected reply ${reply.kind}`);
    return reply.labels;
  }

  async close(): Promise<void> {
    await Promise.all([this.#layouts.close(), this.#clustering.close()]);
  }
}
