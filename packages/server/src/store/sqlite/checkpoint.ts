import type { SqliteConnection } from './open.js';

/** What `PRAGMA wal_checkpoint(PASSIVE)` reports. */
export interface CheckpointResult {
  /** 1 when another connection held the checkpoint lock: nothing was copied. */
  busy: number;
  /** Frames in the WAL since it last started over (it only drops when the WAL does). */
  log: number;
  /** Frames of it copied into the database file. */
  checkpointed: number;
}

/** Copies what it can of the WAL into the database file, waiting for nobody. */
export function checkpointPassive(db: SqliteConnection): CheckpointResult {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  return result!;
}
