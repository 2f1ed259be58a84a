import type { Worker } from 'node:worker_threads';
import { checkpointPassive } from '../../store/sqlite/checkpoint.js';
import type { SqliteConnection } from '../../store/sqlite/open.js';
import { startWorker } from '../../util/worker.js';
import type { CheckpointerConfig, CheckpointerRequest, CheckpointerResponse } from '../protocol.js';

/** 128 MiB of 4 KiB pages. */
export const DEFAULT_WAL_LIMIT_PAGES = 32_768;

/**
 * The writer thread's handle on the checkpointing thread (checkpoint-worker.ts): WAL checkpoints
 * run there, not inside the writer's commits (SQLite's automatic checkpoint is turned off for the
 * writer's connection; it comes back should that thread stop, so the WAL never grows unbounded).
 *
 * SQLite starts the WAL over only once a checkpoint has copied all of it, which a checkpointer
 * racing a writer that never pauses does not manage. Past the limit the checkpointer says so; the
 * writer then stops waking it and, after its next commit, runs the last PASSIVE checkpoint itself:
 * it holds the lock alone and no commit runs meanwhile, so it copies what is left (the bulk was
 * copied already) and the WAL starts over at the following transaction.
 */
export class WalCheckpointer {
  private readonly thread: Worker;
  private finishHere = false;
  private closed = false;

  constructor(
    private readonly db: SqliteConnection,
    databasePath: string,
    walLimitPages = DEFAULT_WAL_LIMIT_PAGES,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    this.thread = startWorker(import.meta.url, './checkpoint-worker', {
      workerData: { databasePath, walLimitPages } satisfies CheckpointerConfig,
    });
    this.thread.on('message', (message: CheckpointerResponse) => {
      if (message.type === 'wal-over-limit') this.finishHere = true;
    });
    const fallBack = () => {
      if (!this.closed && db.open) db.pragma('wal_autocheckpoint = 1000');
    };
    this.thread.on('error', fallBack);
    this.thread.on('exit', fallBack);
  }

  /** After each commit of the writer's connection. */
  committed(): void {
    if (this.finishHere) {
      // Busy (the checkpointer was still running): again after the next commit.
      const { busy, log, checkpointed } = checkpointPassive(this.db);
      if (busy === 0 && checkpointed === log) this.finishHere = false;
      return;
    }
    this.post({ type: 'committed' });
  }

  close(): void {
    this.closed = true;
    this.post({ type: 'close' });
  }

  private post(message: CheckpointerRequest): void {
    this.thread.postMessage(message);
  }
}
