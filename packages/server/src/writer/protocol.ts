/** Messages between the server (main thread) and the writer thread. */

export type OtlpEncoding = 'protobuf' | 'json';

export interface WriterConfig {
  /** The SQLite file; its schema is already migrated. */
  databasePath: string;
  /** Spans decoded but not yet committed, at most; beyond it requests are refused as busy. */
  maxQueuedSpans: number;
  /** Spans per transaction, at most (a single request larger than this is still one transaction). */
  maxBatchSpans: number;
}

export interface IngestRequest {
  type: 'ingest';
  id: number;
  body: Uint8Array;
  encoding: OtlpEncoding;
  projectOverride: string | null;
  defaultProject: string;
}

export type WriterRequest = IngestRequest | { type: 'close' };

/** What became of one export request. */
export type IngestOutcome =
  | { status: 'stored'; inserted: number; duplicates: number }
  | { status: 'invalid'; message: string }
  | { status: 'busy'; message: string }
  | { status: 'failed'; message: string };

export type WriterResponse = { type: 'ready' } | { type: 'outcome'; id: number; outcome: IngestOutcome };
