import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';
import type { IngestWriter, SubmitOptions } from './ingest-writer.js';
import type { IngestOutcome, OtlpEncoding, WriterConfig, WriterRequest, WriterResponse } from './protocol.js';

export interface SqliteIngestWriterOptions extends WriterConfig {
  /** Request bytes handed to the writer thread and not yet answered, at most. */
  maxInFlightBytes: number;
}

const BUSY: IngestOutcome = {
  status: 'busy',
  message: 'Server is at capacity and cannot process more requests',
};

/** The main thread's handle on the SQLite writer thread (see `worker.ts`). */
export class SqliteIngestWriter implements IngestWriter {
  private readonly waiting = new Map<number, { resolve: (o: IngestOutcome) => void; bytes: number }>();
  private nextId = 0;
  private inFlightBytes = 0;
  private stopped: string | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly maxInFlightBytes: number,
  ) {
    worker.on('message', (message: WriterResponse) => {
      if (message.type !== 'outcome') return;
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      this.waiting.delete(message.id);
      this.inFlightBytes -= entry.bytes;
      entry.resolve(message.outcome);
    });
    worker.on('error', (error) => this.fail(`the writer thread failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`the writer thread exited (code ${code})`));
  }

  static async start(options: SqliteIngestWriterOptions): Promise<SqliteIngestWriter> {
    const { maxInFlightBytes, ...config } = options;
    const worker = startWorker(import.meta.url, './worker', { workerData: config satisfies WriterConfig });
    // Only our own listeners are removed afterwards: Worker keeps internal ones on itself.
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    let onMessage!: (message: WriterResponse) => void;
    const ready = new Promise<void>((resolve, reject) => {
      onError = reject;
      onExit = (code) => reject(new Error(`The writer thread exited during start-up (code ${code})`));
      onMessage = (message) => message.type === 'ready' && resolve();
    });
    worker.on('error', onError).on('exit', onExit).on('message', onMessage);
    try {
      await ready;
    } finally {
      worker.off('error', onError).off('exit', onExit).off('message', onMessage);
    }
    return new SqliteIngestWriter(worker, maxInFlightBytes);
  }

  get healthy(): boolean {
    return this.stopped === null;
  }

  submit(body: Uint8Array, encoding: OtlpEncoding, options: SubmitOptions): Promise<IngestOutcome> {
    if (this.stopped !== null)
      return Promise.resolve({ status: 'failed', message: `Cannot store spans: ${this.stopped}` });
    if (this.inFlightBytes > 0 && this.inFlightBytes + body.byteLength > this.maxInFlightBytes) {
      return Promise.resolve(BUSY);
    }
    const id = ++this.nextId;
    // Transfer, not copy, when the bytes own their whole buffer (not a slice of Node's Buffer pool).
    const owned =
      body.byteOffset === 0 &&
      body.byteLength === body.buffer.byteLength &&
      body.buffer instanceof ArrayBuffer
        ? body
        : new Uint8Array(body);
    const request: WriterRequest = { type: 'ingest', id, body: owned, encoding, ...options };
    this.inFlightBytes += body.byteLength;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, bytes: body.byteLength });
      this.worker.postMessage(request, [owned.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    if (this.stopped !== null) return;
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ type: 'close' } satisfies WriterRequest);
    await exited;
  }

  private fail(reason: string): void {
    this.stopped ??= reason;
    for (const [id, entry] of this.waiting) {
      this.waiting.delete(id);
      entry.resolve({ status: 'failed', message: `Cannot store spans: ${reason}` });
    }
    this.inFlightBytes = 0;
  }
}
