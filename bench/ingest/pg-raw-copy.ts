/**
 * The PostgreSQL ceiling for bench:ingest: the same rows (same decoder, same JSON, the server's own
 * binary COPY encoding) COPY'd into a table with the spans table's columns and indexes, in the same
 * database, RAW_BATCH rows per COPY (each its own transaction), on one connection. No HTTP, no
 * decoding in the timed loop (the rows' encoding is in it), no traces, sessions or rollups, no
 * conflict handling.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { NO_COST_COLUMNS } from '../../packages/server/dist/cost/write-time-cost.js';
import {
  copyData,
  SPAN_COPY_COLUMNS,
  spanCopyRowBytes,
} from '../../packages/server/dist/store/postgres/copy-rows.js';
import { RAW_BATCH, rawRecords } from './raw-rows.js';
import type { Workload } from './workload.js';

export async function pgRawCopyRate(url: string, workload: Workload, rows: number): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS raw_spans');
    await client.query('CREATE TABLE raw_spans (LIKE spans INCLUDING ALL)');
    const records = rawRecords(workload, rows);
    const copy = `COPY raw_spans (${SPAN_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`;
    const started = performance.now();
    for (let i = 0; i < records.length; i += RAW_BATCH) {
      const batch = records.slice(i, i + RAW_BATCH);
      const data = copyData(
        batch.map((r) => r.traceRowId),
        batch.map((r) => ({
          errors: 0,
          prompt: r.llmTokenCountPrompt,
          completion: r.llmTokenCountCompletion,
        })),
        batch.map(spanCopyRowBytes),
        batch.map(() => NO_COST_COLUMNS),
      );
      await pipeline(Readable.from(data), client.query(copyFrom(copy)));
    }
    const rate = records.length / ((performance.now() - started) / 1000);
    const { rows: counted } = await client.query('SELECT count(*)::int AS n FROM raw_spans');
    if (counted[0].n !== records.length)
      throw new Error(`COPY stored ${counted[0].n} of ${records.length} rows`);
    await client.query('DROP TABLE raw_spans');
    return rate;
  } finally {
    await client.end();
  }
}
