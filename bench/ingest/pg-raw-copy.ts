/**
 * The PostgreSQL ceiling for bench:ingest: the same rows (same decoder, same JSON) COPY'd into a
 * table with the spans table's columns and indexes, in the same database, RAW_BATCH rows per COPY
 * (each its own transaction), on one connection. No HTTP, no decoding in the timed loop, no traces,
 * sessions or rollups, no conflict handling.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RAW_BATCH, RAW_COLUMNS, rawRecords, rawRowValues } from './raw-rows.js';
import type { Workload } from './workload.js';

/** A COPY text-format field: NULL as \N; backslash, tab, newline and carriage return escaped. */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

export async function pgRawCopyRate(url: string, workload: Workload, rows: number): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS raw_spans');
    await client.query('CREATE TABLE raw_spans (LIKE spans INCLUDING ALL)');
    const records = rawRecords(workload, rows);
    const copy = `COPY raw_spans (${RAW_COLUMNS}) FROM STDIN`;
    const started = performance.now();
    for (let i = 0; i < records.length; i += RAW_BATCH) {
      let text = '';
      for (const r of records.slice(i, i + RAW_BATCH))
        text += `${rawRowValues(r).map(copyField).join('\t')}\n`;
      await pipeline(Readable.from([Buffer.from(text)]), client.query(copyFrom(copy)));
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
