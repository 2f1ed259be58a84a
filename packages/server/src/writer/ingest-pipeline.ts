import { once } from 'node:events';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';
import type { IngestWriter, SubmitOptions } from './ingest-writer.js';
import type {
  DecoderConfig,
  DecoderRequest,
  IngestOutcome,
  OtlpEncoding,
  WriterRequest,
  WriterResponse,
} from './protocol.js';

const BUSY: IngestOutcome = {
  status: 'busy',
  message: 'Server is at capacity and cannot process more requests',
};

/**
 * The main thread's handle on an ingest pipeline: the decoding thread (`decode-worker.ts`) feeding
 * a writer thread (SQLite: `worker.ts`, PostgreSQL: `postgres-worker.ts`). See protocol.ts for who
 * sends what.
 */
export class IngestPipeline implements IngestWriter {
  private readonly waiting = new Map<number, { resolve: (o: IngestOutcome) => void; bytes: number }>();
  private nextId = 0;
  private inFlightBytes = 0;
  private stopped: string | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly decoder: Worker,
    private readonly worker: Worker,
    private readonly maxInFlightBytes: number,
  ) {
    for (const [thread, name] of [
      [decoder, 'decoding'],
      [worker, 'writer'],
    ] as const) {
      thread.on('message', (message: WriterResponse) => this.onMessage(message));
      thread.on('error', (error) => this.fail(`the ${name} thread failed: ${error.message}`));
      thread.on('exit', (code) => this.fail(`the ${name} thread exited (code ${code})`));
    }
  }

  /** Starts the decoding thread and the writer thread `writerModule`, given its workerData. */
  static async start(
    writerModule: './sqlite/worker' | './postgres/worker',
    writerData: (spansPort: MessagePort) => object,
    maxInFlightBytes: number,
  ): Promise<IngestPipeline> {
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker(import.meta.url, writerModule, {
      workerData: writerData(port2),
      transferList: [port2],
    });
    const decoder = startWorker(import.meta.url, './decode-worker', {
      workerData: {
        spansPort: port1,
        spans: writerModule === './postgres/worker' ? 'copy-rows' : 'serialized',
      } satisfies DecoderConfig,
      transferList: [port1],
    });
    try {
      await Promise.all([untilReady(worker), untilReady(decoder)]);
    } catch (error) {
      await Promise.all([worker.terminate(), decoder.terminate()]);
      throw error;
    }
    return new IngestPipeline(decoder, worker, maxInFlightBytes);
  }

  private onMessage(message: WriterResponse): void {
    if (message.type !== 'outcome') return;
    const entry = this.waiting.get(message.id);
    if (!entry) return;
    this.waiting.delete(message.id);
    this.inFlightBytes -= entry.bytes;
    entry.resolve(message.outcome);
  }

  /** The writer thread itself, for the REST API's store commands (commands-client.ts). */
  get writerThread(): Worker {
    return this.worker;
  }

  /** Request bytes accepted and not yet answered (at most maxInFlightBytes, or one request). */
  get inFlight(): number {
    return this.inFlightBytes;
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
    const request: DecoderRequest = { type: 'ingest', id, body: owned, encoding, ...options };
    this.inFlightBytes += body.byteLength;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, bytes: body.byteLength });
      this.decoder.postMessage(request, [owned.buffer as ArrayBuffer]);
    });
  }

  /** The close goes through the decoder, so the writer receives it after every decoded request. */
  async close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.stopped !== null) {
      // One thread died: whatever it held was already answered as failed; stop the other one.
      this.worker.postMessage({ type: 'close' } satisfies WriterRequest);
      this.closing = Promise.all([this.decoder.terminate(), once(this.worker, 'exit')]).then(() => {});
    } else {
      const exited = Promise.all([once(this.decoder, 'exit'), once(this.worker, 'exit')]);
      this.decoder.postMessage({ type: 'close' } satisfies DecoderRequest);
      this.closing = exited.then(() => {});
    }
    return this.closing;
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

/** Resolves when the thread says it is ready; rejects if it fails or exits first. */
async function untilReady(thread: Worker): Promise<void> {
  // Only our own listeners are removed afterwards: Worker keeps internal ones on itself.
  let onError!: (error: Error) => void;
  let onExit!: (code: number) => void;
  let onMessage!: (message: WriterResponse) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onError = reject;
    onExit = (code) => reject(new Error(`A writer thread exited during start-up (code ${code})`));
    onMessage = (message) => message.type === 'ready' && resolve();
  });
  thread.on('error', onError).on('exit', onExit).on('message', onMessage);
  try {
    await ready;
  } finally {
    thread.off('error', onError).off('exit', onExit).off('message', onMessage);
  }
}
