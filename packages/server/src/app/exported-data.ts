import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';

/**
 * The DataFrames exported from the UI (Parquet files in `<working dir>/exports`), oldest first, so
 * that `session.exports.at(-1)` is the newest, as in Phoenix. Read again on every access: new
 * exports appear without a restart; files already read are not read twice.
 */
export class ExportedData {
  private readonly cache = new Map<string, { mtimeMs: number; dataframe: pl.DataFrame }>();

  constructor(readonly directory: string) {}

  list(): pl.DataFrame[] {
    let names: string[];
    try {
      names = readdirSync(this.directory).filter((n) => n.endsWith('.parquet'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = names
      .map((name) => ({
        path: join(this.directory, name),
        mtimeMs: statSync(join(this.directory, name)).mtimeMs,
      }))
      .sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
    return files.map(({ path, mtimeMs }) => {
      const cached = this.cache.get(path);
      if (cached?.mtimeMs === mtimeMs) return cached.dataframe;
      const dataframe = pl.readParquet(path);
      this.cache.set(path, { mtimeMs, dataframe });
      return dataframe;
    });
  }
}
