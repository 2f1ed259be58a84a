import { parentPort, workerData } from 'node:worker_threads';
import type { CopyRowSpanRecord } from '../../model/span-record.js';
import { checkConnection, createPostgresPool } from '../../store/postgres/pool.js';
import { PostgresSpanWriter } from '../../store/postgres/span-writer.js';
import { ConnectionLostError } from '../../store/postgres/transaction.js';
import type { IngestOutcome, SpansMessage, WriterRequest, WriterResponse } from '../protocol.js';
import { type QueuedRequest, SpanQueue, storedOutcome } from '../span-queue.js';
import type { PostgresWriterConfig } from './protocol.js';

/**
 * The PostgreSQL writer thread: queues the spans the decoding thread sends and commits what has
 * queued up as one transaction (group commit), with up to `connections` transactions in flight;
 * each request is answered only once its spans are committed. Other servers may write to the same
 * database meanwhile (see PostgresSpanWriter).
 */
const config = workerData as PostgresWriterConfig;
const port = parentPort!;
const pool = createPostgresPool(config.location, {
  max: config.connections,
  applicationName: 'fawkes-writer',
});
const writer = new PostgresSpanWriter(pool);

const queue = new SpanQueue<CopyRowSpanRecord>(config.maxQueuedSpans, config.maxBatchSpans);
let active = 0;
let pumpScheduled = false;
let closing = false;

const send = (message: WriterResponse) => port.postMessage(message);
const answer = (id: number, outcome: IngestOutcome) => send({ type: 'outcome', id, outcome });

config.spansPort.on('message', (message: SpansMessage<CopyRowSpanRecord>) => {
  if (message.type === 'close') close();
  else accept(message);
});

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') close();
});

function accept(request: QueuedRequest<CopyRowSpanRecord>): void {
  const refused = queue.offer(request);
  if (refused) answer(request.id, refused);
  else schedulePump();
}

/** Requests that arrived in the same turn of the event loop go into one transaction. */
function schedulePump(): void {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setImmediate(pump);
}

function pump(): void {
  pumpScheduled = false;
  while (active < config.connections && !queue.isEmpty) {
    const batch = queue.take();
    // The bound is on spans waiting for a transaction: those of the transactions in flight (at most
    // `connections`, of at most maxBatchSpans each unless one request is larger) come on top.
    queue.release(batch);
    active++;
    void commit(batch).finally(() => {
      active--;
      if (!queue.isEmpty) schedulePump();
      else if (closing && active === 0) finish();
    });
  }
}

async function commit(batch: QueuedRequest<CopyRowSpanRecord>[]): Promise<void> {
  try {
    const results = await writer.writeBatches(batch.map((p) => p.spans));
    for (const [i, p] of batch.entries()) answer(p.id, storedOutcome(p, results[i]!));
  } catch (error) {
    if (error instanceof ConnectionLostError) {
      // Nothing was stored, and the database is out of reach for every request alike.
      const message = `Cannot store spans now: ${error.message}`;
      for (const p of batch) answer(p.id, { status: 'unavailable', message });
      return;
    }
    // One request's bad data must not fail the others that happened to share its transaction.
    if (batch.length > 1) {
      for (const p of batch) await commit([p]);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    answer(batch[0]!.id, { status: 'failed', message: `Could not store spans: ${message}` });
  }
}

/** Stores everything already accepted, then stops. */
function close(): void {
  if (closing) return;
  closing = true;
  schedulePump();
  if (active === 0 && queue.isEmpty) finish();
}

let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  void pool.end().finally(() => {
    config.spansPort.close();
    port.close();
  });
}

await checkConnection(pool, config.location);
send({ type: 'ready' });
