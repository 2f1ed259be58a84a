/**
 * Messages between the server (main thread), the decoding thread and the writer thread:
 *
 *   main ──IngestRequest──▶ decoder ──SpansMessage──▶ writer
 *     ▲                        │                        │
 *     └──── outcome (invalid) ─┘◀───────────────────────┘ outcome (stored / busy / failed)
 *
 * Spans go from the decoder to the writer on their own channel, so that a `close` sent after the
 * last request reaches the writer after that request's spans.
 */
import type { MessagePort } from 'node:worker_threads';
import type { RejectedSpans } from '../ingest/index.js';
import type { CopyRowSpanRecord, SerializedSpanRecord } from '../model/span-record.js';
import type { CommandRequest, CommandResponse } from './commands.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** The checkpointing thread (checkpoint-worker.ts), started by the SQLite writer thread. */
export interface CheckpointerConfig {
  databasePath: string;
  /** WAL size, in pages, from which the checkpointer asks the writer to finish a checkpoint. */
  walLimitPages: number;
}

/** `committed`: the writer committed a transaction, so the WAL has pages to copy. */
export type CheckpointerRequest = { type: 'committed' } | { type: 'close' };

/** `wal-over-limit`: the writer is to finish a checkpoint itself (see wal-checkpointer.ts). */
export type CheckpointerResponse = { type: 'wal-over-limit' };

export interface WriterConfig {
  /** The channel on which decoded spans arrive from the decoding thread. */
  spansPort: MessagePort;
  /** The SQLite file; its schema is already migrated. */
  databasePath: string;
  /** Spans decoded but not yet committed, at most; beyond it requests are refused as busy. */
  maxQueuedSpans: number;
  /** Spans per transaction, at most (a single request larger than this is still one transaction). */
  maxBatchSpans: number;
  /** WAL size in pages beyond which the writer finishes a checkpoint itself (wal-checkpointer.ts). */
  walLimitPages?: number;
}

export interface IngestRequest {
  type: 'ingest';
  id: number;
  body: Uint8Array;
  encoding: OtlpEncoding;
  projectOverride: string | null;
  defaultProject: string;
}

export type DecoderRequest = IngestRequest | { type: 'close' };

/** Decoded spans: serialized for the SQLite writer, as COPY rows for the PostgreSQL one. */
export type SpansMessage<S extends SerializedSpanRecord | CopyRowSpanRecord = SerializedSpanRecord> =
  /** `rejected`: the request's invalid spans, left out (reported as OTLP's partial success). */
  { type: 'spans'; id: number; spans: S[]; rejected?: RejectedSpans } | { type: 'close' };

export interface DecoderConfig {
  /** The channel to the writer thread. */
  spansPort: MessagePort;
  /** What the writer thread takes: SerializedSpanRecords (SQLite) or CopyRowSpanRecords (PostgreSQL). */
  spans: 'serialized' | 'copy-rows';
}

/**
 * Sent by the main thread to the writer thread itself (not through the decoder): close, or one of
 * the REST API's store commands (commands.ts; answered with a CommandResponse).
 */
export type WriterRequest = { type: 'close' } | CommandRequest;

/** What became of one export request. */
export type IngestOutcome =
  | { status: 'stored'; inserted: number; duplicates: number; rejected?: RejectedSpans }
  | { status: 'invalid'; message: string }
  | { status: 'busy'; message: string }
  /** The database could not be reached (PostgreSQL down or dropping connections): retry later. */
  | { status: 'unavailable'; message: string }
  | { status: 'failed'; message: string };

export type WriterResponse =
  | { type: 'ready' }
  | { type: 'outcome'; id: number; outcome: IngestOutcome }
  | CommandResponse;

export type DecoderResponse = WriterResponse;
