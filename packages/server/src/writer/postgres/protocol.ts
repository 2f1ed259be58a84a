import type { MessagePort } from 'node:worker_threads';
import type { PostgresLocation } from '../../store/postgres/pool.js';

/** The PostgreSQL writer thread's start-up data (messages are protocol.ts's, as for SQLite). */
export interface PostgresWriterConfig {
  /** The channel on which decoded spans arrive from the decoding thread. */
  spansPort: MessagePort;
  /** The database; its schema is already migrated. */
  location: PostgresLocation;
  /** Spans decoded but not yet committed, at most; beyond it requests are refused as busy. */
  maxQueuedSpans: number;
  /** Spans per transaction, at most (a single request larger than this is still one transaction). */
  maxBatchSpans: number;
  /** Transactions in flight at once (each on its own connection). */
  connections: number;
}
