import { IngestPipeline } from '../ingest-pipeline.js';
import type { WriterConfig } from '../protocol.js';

export interface SqliteIngestWriterOptions extends Omit<WriterConfig, 'spansPort'> {
  /** Request bytes handed to the writer thread and not yet answered, at most. */
  maxInFlightBytes: number;
}

/** The ingest pipeline on SQLite: the decoding thread feeding the SQLite writer thread (`worker.ts`). */
export type SqliteIngestWriter = IngestPipeline;
export const SqliteIngestWriter = {
  start({ maxInFlightBytes, ...config }: SqliteIngestWriterOptions): Promise<SqliteIngestWriter> {
    return IngestPipeline.start(
      './sqlite/worker',
      (spansPort) => ({ ...config, spansPort }) satisfies WriterConfig,
      maxInFlightBytes,
    );
  },
};
