import type { PostgresLocation } from '../../store/postgres/pool.js';
import { IngestPipeline } from '../ingest-pipeline.js';
import type { PostgresWriterConfig } from './protocol.js';

export interface PostgresIngestWriterOptions {
  location: PostgresLocation;
  maxQueuedSpans: number;
  maxBatchSpans: number;
  /** Request bytes handed to the pipeline and not yet answered, at most. */
  maxInFlightBytes: number;
  /** Write transactions in flight at once (default 2). */
  connections?: number;
}

/**
 * The ingest pipeline on PostgreSQL: the decoding thread (shared with SQLite) feeding the
 * PostgreSQL writer thread (`postgres-worker.ts`).
 */
export type PostgresIngestWriter = IngestPipeline;
export const PostgresIngestWriter = {
  start(options: PostgresIngestWriterOptions): Promise<PostgresIngestWriter> {
    return IngestPipeline.start(
      './postgres/worker',
      (spansPort) =>
        ({
          spansPort,
          location: options.location,
          maxQueuedSpans: options.maxQueuedSpans,
          maxBatchSpans: options.maxBatchSpans,
          connections: options.connections ?? 2,
        }) satisfies PostgresWriterConfig,
      options.maxInFlightBytes,
    );
  },
};
