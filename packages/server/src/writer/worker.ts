import { parentPort, workerData } from 'node:worker_threads';
import type { SerializedSpanRecord } from '../model/span-record.js';
import { openSqlite } from '../store/sqlite/open.js';
import { SqliteSpanWriter } from '../store/sqlite/span-writer.js';
import { startWorker } from '../util/worker.js';
import { installStoreCommands } from './commands-worker.js';
import type {
  CheckpointerConfig,
  CheckpointerRequest,
  CheckpointerResponse,
  IngestOutcome,
  SpansMessage,
  WriterConfig,
  WriterRequest,
  WriterResponse,
} from './protocol.js';

/**
 * The writer thread: the only code that writes to the SQLite file. It queues the spans the decoding
 * thread sends, and commits whatever has queued up as one transaction (group commit); each request
 * is answered only once its spans are committed.
 */
const config = workerData as WriterConfig;
const port = parentPort!;
const db = openSqlite(config.databasePath);
const writer = new SqliteSpanWriter(db);
const checkpointer = startCheckpointer();
// The REST API's writes (commands-worker.ts) run here too, between ingest batches.
installStoreCommands(port, db, committed);

interface Pending {
  id: number;
  spans: SerializedSpanRecord[];
}
const pending: Pending[] = [];
let queuedSpans = 0;
let flushScheduled = false;
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

function close(): void {
  if (closing) return;
  closing = true;
  flushAll();
  checkpointer.postMessage({ type: 'close' } satisfies CheckpointerRequest);
  db.close();
  config.spansPort.close();
  port.close();
}

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
  if (!flushScheduled && !closing) {
    flushScheduled = true;
    // Requests that arrive while this thread is busy wait in the port; they are all read before the
    // check phase, so one flush commits them together.
    setImmediate(flushOnce);
  }
}

function flushOnce(): void {
  flushScheduled = false;
  commitAndRelease(takeBatch());
  if (pending.length > 0 && !closing) {
    flushScheduled = true;
    setImmediate(flushOnce);
  }
}

function flushAll(): void {
  while (pending.length > 0) commitAndRelease(takeBatch());
}

function commitAndRelease(batch: Pending[]): void {
  commit(batch);
  for (const p of batch) queuedSpans -= p.spans.length;
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

function commit(batch: Pending[]): void {
  if (batch.length === 0) return;
  try {
    const results = writer.writeBatches(batch.map((p) => p.spans));
    committed();
    for (const [i, p] of batch.entries()) answer(p.id, { status: 'stored', ...results[i]! });
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

/** Set when the checkpointer reports the WAL over its limit; cleared once a checkpoint completes here. */
let finishCheckpoint = false;

function committed(): void {
  if (finishCheckpoint) {
    // Not telling the checkpointer lets it go idle: this PASSIVE checkpoint then has the lock and no
    // concurrent commit, copies what is left (the bulk was copied already), and the WAL starts over
    // at the next transaction. Busy (the checkpointer still running): again after the next commit.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    if (result && result.busy === 0 && result.checkpointed === result.log) finishCheckpoint = false;
    return;
  }
  checkpointer.postMessage({ type: 'committed' } satisfies CheckpointerRequest);
}

/**
 * WAL checkpoints run on their own thread (checkpoint-worker.ts), not inside this thread's commits.
 * Should that thread ever stop, SQLite's automatic checkpoint takes over again, so the WAL never
 * grows without bound.
 */
function startCheckpointer() {
  db.pragma('wal_autocheckpoint = 0');
  const thread = startWorker(import.meta.url, './checkpoint-worker', {
    workerData: {
      databasePath: config.databasePath,
      walLimitPages: config.walLimitPages ?? 32_768,
    } satisfies CheckpointerConfig,
  });
  thread.on('message', (message: CheckpointerResponse) => {
    if (message.type === 'wal-over-limit') finishCheckpoint = true;
  });
  const fallBack = () => {
    if (!closing && db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  thread.on('error', fallBack);
  thread.on('exit', fallBack);
  return thread;
}

send({ type: 'ready' });
