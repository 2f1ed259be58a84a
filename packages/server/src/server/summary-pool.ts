/**
 * The model home page's tables (GET /v1/inferences/summary) off the event loop: the dimensions are
 * shared out between worker threads (one per core, at most two), each holding a copy of its
 * columns, and answer their rows in parallel; the embeddings' drift is computed here meanwhile, a
 * slice of vectors at a time between which the event loop runs other requests (the vector blocks
 * stay in this thread: copying 300 MB into a SharedArrayBuffer costs a second, more than the work).
 * Results are kept per time range (the sets never change), and a range asked for again while it
 * is computed waits for that computation. Everything that does not depend on the range (the
 * threads, their copies of the columns, the reference sides' binnings, the baselines' centroids)
 * is made when the pool starts, which a server does at launch, and so is the summary of all of the
 * primary (the home page's first table): `ready` says when that is done.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  type DimensionSummary,
  type EmbeddingSummary,
  embeddingBaselinesInSlices,
  embeddingRowInSlices,
  type InferenceModel,
  type ModelSummary,
  type RowSpan,
  type TimeRange,
  valuesIn,
} from '@fawkes/inferences';
import { runInTurns } from '../util/turns.js';
import { startWorker } from '../util/worker.js';
import type { SummaryWorkerRequest, SummaryWorkerResponse, WorkerDimension } from './summary-worker.js';

/** Vectors summed between two turns of the event loop: about 5 ms for 768 dimensions. */
const SLICE_ROWS = 10_000;
/** Time ranges whose summaries are kept. */
const CACHED_RANGES = 16;

interface Thread {
  worker: Worker;
  /** Indices into model.dimensions. */
  dimensions: number[];
  pending: Map<number, { resolve: (rows: DimensionSummary[]) => void; reject: (error: Error) => void }>;
  /** Why the thread can no longer answer (it failed or exited), once it cannot. */
  failure?: Error;
}

export class SummaryPool {
  readonly #model: InferenceModel;
  readonly #threads: Thread[] = [];
  readonly #cache = new Map<string, Promise<ModelSummary>>();
  #nextId = 0;
  #closed = false;
  /** Settled once the threads hold their columns and reference sides, the baselines' centroids are made and all of the primary is summarised. */
  readonly ready: Promise<void>;

  constructor(model: InferenceModel, threads = Math.min(2, availableParallelism())) {
    this.#model = model;
    const count = Math.max(1, Math.min(threads, model.dimensions.length));
    for (let t = 0; t < count; t++) {
      const worker = startWorker(import.meta.url, './summary-worker');
      const thread: Thread = { worker, dimensions: [], pending: new Map() };
      worker.on('message', (response: SummaryWorkerResponse) => this.#answer(thread, response));
      worker.on('error', (error) => this.#fail(thread, error));
      worker.on('exit', (code) => this.#fail(thread, new Error(`a summary thread exited (code ${code})`)));
      this.#threads.push(thread);
    }
    // Round robin in the model's order: neighbouring dimensions are often of one kind and cost.
    model.dimensions.forEach((_, index) => {
      this.#threads[index % this.#threads.length]!.dimensions.push(index);
    });
    for (const thread of this.#threads) {
      const dimensions = thread.dimensions.map((index): WorkerDimension => {
        const dimension = model.dimensions[index]!;
        return {
          heading: { name: dimension.name, type: dimension.type, dataType: dimension.dataType },
          shape: dimension.shape,
          primary: valuesIn(model, dimension.name, 'primary'),
          reference: model.reference ? valuesIn(model, dimension.name, 'reference') : undefined,
        };
      });
      thread.worker.postMessage({ type: 'init', dimensions } satisfies SummaryWorkerRequest);
    }
    this.ready = this.#warmUp();
    this.ready.catch(() => {}); // a failed thread fails the requests that need it
  }

  async #warmUp(): Promise<void> {
    const threads = Promise.all(this.#threads.map((thread) => this.#ask(thread, { type: 'ready' })));
    for (const embedding of this.#model.embeddings) {
      await runInTurns(embeddingBaselinesInSlices(this.#model, embedding.name, SLICE_ROWS));
    }
    await threads;
    // The home page opens on all of the primary: its table is made now and kept.
    await this.summary();
  }

  /** The summary of a primary time range (all of the primary without one). */
  summary(range?: TimeRange): Promise<ModelSummary> {
    if (this.#closed) return Promise.reject(new Error('the summary pool is closed'));
    const span = this.#model.rowSpan('primary', range);
    const key = `${span.start}:${span.end}`;
    let summary = this.#cache.get(key);
    if (!summary) {
      summary = this.#compute(range, span);
      this.#cache.set(key, summary);
      summary.catch(() => this.#cache.delete(key));
      if (this.#cache.size > CACHED_RANGES) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return summary;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
  }

  async #compute(range: TimeRange | undefined, span: RowSpan): Promise<ModelSummary> {
    const rows = Promise.all(this.#threads.map((thread) => this.#ask(thread, { type: 'rows', span })));
    const embeddings: EmbeddingSummary[] = [];
    for (const embedding of this.#model.embeddings) {
      embeddings.push(await runInTurns(embeddingRowInSlices(this.#model, embedding.name, range, SLICE_ROWS)));
    }
    const dimensions = new Array<DimensionSummary>(this.#model.dimensions.length);
    (await rows).forEach((threadRows, t) => {
      threadRows.forEach((row, i) => {
        dimensions[this.#threads[t]!.dimensions[i]!] = row;
      });
    });
    return { dimensions, embeddings };
  }

  #ask(
    thread: Thread,
    request: { type: 'rows'; span: RowSpan } | { type: 'ready' },
  ): Promise<DimensionSummary[]> {
    if (thread.failure) return Promise.reject(thread.failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ ...request, id } satisfies SummaryWorkerRequest);
    });
  }

  #answer(thread: Thread, response: SummaryWorkerResponse): void {
    const waiting = thread.pending.get(response.id);
    if (!waiting) return;
    thread.pending.delete(response.id);
    if ('rows' in response) waiting.resolve(response.rows);
    else waiting.reject(Object.assign(new Error(response.error.message), { stack: response.error.stack }));
  }

  #fail(thread: Thread, error: Error): void {
    thread.failure ??= error;
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
  }
}
