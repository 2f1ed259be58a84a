import { access } from 'node:fs/promises';
import pl from 'nodejs-polars';

export type DataFileFormat = 'parquet' | 'csv' | 'jsonl';

/** Reads a data file into a DataFrame off the event loop (polars' lazy scan, collected asynchronously). */
export async function readDataFile(path: string, format: DataFileFormat): Promise<pl.DataFrame> {
  try {
    await access(path);
  } catch (error) {
    throw new Error(`cannot read the ${format} file ${path}: ${(error as Error).message}`);
  }
  try {
    if (format === 'parquet') return await pl.scanParquet(path).collect();
    if (format === 'csv') return await pl.scanCSV(path, { hasHeader: true }).collect();
    return await pl.scanJson(path).collect();
  } catch (error) {
    throw new Error(`cannot read ${path} as ${format}: ${(error as Error).message}`);
  }
}
