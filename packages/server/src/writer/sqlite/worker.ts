import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../../store/sqlite/open.js';
import { SqliteSpanWriter } from '../../store/sqlite/span-writer.js';
import type {
  IngestOutcome,
  SpansMessage,
  WriterConfig,
  WriterRequest,
  WriterResponse,
} from '../protocol.js';
import { type QueuedRequest, SpanQueue, storedOutcome } from '../span-queue.js';
import { installStoreCommands } from './commands-worker.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/**
 * The writer thread: the only code that writes to the SQLite file. It queues the spans the decoding
 * thread sends, and commits whatever has queued up as one transaction (group commit); each request
 * is answered only once its spans are committed.
 */
const config = workerData as WriterConfig;
const port = parentPort!;
const db = openSqlite(config.databasePath);
const writer = new SqliteSpanWriter(db);
const checkpointer = new WalCheckpointer(db, config.databasePath, config.walLimitPages);
// The REST API's writes (commands-worker.ts) run here too, between ingest batches.
installStoreCommands(port, db, () => checkpointer.committed());

const queue = new SpanQueue(config.maxQueuedSpans, config.maxBatchSpans);
let flushScheduled = false;
let closing = false;

const send = (message: WriterResponse) => port.postMessage(message);
const answer = (id: number, outcome: IngestOutcome) => send({ type: 'outcome', id, outcome });

config.spansPort.on('message', (message: SpansMessage) => {
  if (message.type === 'close') close();
  else accept(message);
});

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') close();
});

function close(): void {
  if (closing) return;
  closing = true;
  flushAll();
  checkpointer.close();
  db.close();
  config.spansPort.close();
  port.close();
}

function accept(request: QueuedRequest): void {
  const refused = queue.offer(request);
  if (refused) {
    answer(request.id, refused);
    return;
  }
  if (!flushScheduled && !closing) {
    flushScheduled = true;
    // Requests that arrive while this thread is busy wait in the port; they are all read before the
    // check phase, so one flush commits them together.
    setImmediate(flushOnce);
  }
}

function flushOnce(): void {
  flushScheduled = false;
  commitAndRelease(queue.take());
  if (!queue.isEmpty && !closing) {
    flushScheduled = true;
    setImmediate(flushOnce);
  }
}

function flushAll(): void {
  while (!queue.isEmpty) commitAndRelease(queue.take());
}

function commitAndRelease(batch: QueuedRequest[]): void {
  commit(batch);
  queue.release(batch);
}

function commit(batch: QueuedRequest[]): void {
  if (batch.length === 0) return;
  try {
    const results = writer.writeBatches(batch.map((p) => p.spans));
    for (const [i, p] of batch.entries()) answer(p.id, storedOutcome(p, results[i]!));
    // After the answers: it may finish a checkpoint here (wal-checkpointer.ts).
    checkpointer.committed();
  } catch (error) {
    // One request's bad data must not fail the others that happened to share its transaction.
    if (batch.length > 1) {
      for (const p of batch) commit([p]);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    answer(batch[0]!.id, { status: 'failed', message: `Could not store spans: ${message}` });
  }
}

send({ type: 'ready' });
