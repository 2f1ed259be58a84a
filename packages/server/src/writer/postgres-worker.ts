import { parentPort, workerData } from 'node:worker_threads';
import type { SerializedSpanRecord } from '../model/span-record.js';
import { checkConnection, createPostgresPool } from '../store/postgres/pool.js';
import { PostgresSpanWriter } from '../store/postgres/span-writer.js';
import type { PostgresWriterConfig } from './postgres-protocol.js';
import type { IngestOutcome, SpansMessage, WriterRequest, WriterResponse } from './protocol.js';

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

interface Pending {
  id: number;
  spans: SerializedSpanRecord[];
}
const pending: Pending[] = [];
let queuedSpans = 0;
let active = 0;
let pumpScheduled = false;
let closing = false;

const send = (message: WriterResponse) => port.postMessage(message);
const answer = (id: number, outcome: IngestOutcome) => send({ type: 'outcome', id, outcome });

config.spansPort.on('message', (message: SpansMessage) => {
  if (message.type === 'close') close();
  else accept(message.id, message.spans);
});

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') close();
});

function accept(id: number, spans: SerializedSpanRecord[]): void {
  if (spans.length === 0) {
    answer(id, { status: 'stored', inserted: 0, duplicates: 0 });
    return;
  }
  if (queuedSpans > 0 && queuedSpans + spans.length > config.maxQueuedSpans) {
    answer(id, { status: 'busy', message: 'Server is at capacity and cannot process more requests' });
    return;
  }
  pending.push({ id, spans });
  queuedSpans += spans.length;
  schedulePump();
}

/** Requests that arrived in the same turn of the event loop go into one transaction. */
function schedulePump(): void {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setImmediate(pump);
}

function pump(): void {
  pumpScheduled = false;
  while (active < config.connections && pending.length > 0) {
    const batch = takeBatch();
    // The bound is on spans waiting for a transaction: those of the transactions in flight (at most
    // `connections`, of at most maxBatchSpans each unless one request is larger) come on top.
    for (const p of batch) queuedSpans -= p.spans.length;
    active++;
    void commit(batch).finally(() => {
      active--;
      if (pending.length > 0) schedulePump();
      else if (closing && active === 0) finish();
    });
  }
}

function takeBatch(): Pending[] {
  const batch: Pending[] = [];
  let spans = 0;
  while (
    pending.length > 0 &&
    (batch.length === 0 || spans + pending[0]!.spans.length <= config.maxBatchSpans)
  ) {
    const next = pending.shift()!;
    spans += next.spans.length;
    batch.push(next);
  }
  return batch;
}

async function commit(batch: Pending[]): Promise<void> {
  try {
    const results = await writer.writeBatches(batch.map((p) => p.spans));
    for (const [i, p] of batch.entries()) answer(p.id, { status: 'stored', ...results[i]! });
  } catch (error) {
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
  if (active === 0 && pending.length === 0) finish();
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
