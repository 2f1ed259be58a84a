import { parentPort, workerData } from 'node:worker_threads';
import { checkpointPassive } from '../../store/sqlite/checkpoint.js';
import { openSqlite } from '../../store/sqlite/open.js';
import type { CheckpointerConfig, CheckpointerRequest, CheckpointerResponse } from '../protocol.js';

/**
 * The checkpointing thread: copies the pages the writer committed to the write-ahead log into the
 * database file. SQLite's automatic checkpoint would do that inside the writer's commits, where it
 * took about a third of the writer's time at full ingest rate (bench/README.md); here it runs on
 * its own connection, in PASSIVE mode: it never waits for, nor blocks, the writer or the readers.
 * A commit is durable once in the WAL, so nothing depends on when this runs.
 */
const { databasePath, walLimitPages } = workerData as CheckpointerConfig;
const port = parentPort!;
const db = openSqlite(databasePath);
let scheduled = false;

port.on('message', (message: CheckpointerRequest) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  // Commits that land while a checkpoint runs are all read before the next one starts: one more
  // checkpoint covers them together.
  if (!scheduled) {
    scheduled = true;
    setImmediate(checkpoint);
  }
});

function checkpoint(): void {
  scheduled = false;
  if (db.open && checkpointPassive(db).log >= walLimitPages) {
    port.postMessage({ type: 'wal-over-limit' } satisfies CheckpointerResponse);
  }
}
