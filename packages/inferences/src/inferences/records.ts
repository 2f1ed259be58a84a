import pl from 'nodejs-polars';
import { InferencesError } from './errors.js';

/**
 * An array of records (one object a row) as a DataFrame. A JS Date is an instant, so its column
 * becomes a UTC datetime (polars would make it naive, which Phoenix's rules read as local time);
 * typed arrays (Float32Array vectors) become lists.
 */
export function recordsToDataFrame(records: readonly Readonly<Record<string, unknown>>[]): pl.DataFrame {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new InferencesError([
        {
          code: 'unsupported_data',
          message: 'every record of an inference set must be an object (one a row)',
        },
      ]);
    }
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  const series = names.map((name) => {
    const values = records.map((record) => normalize(record[name]));
    try {
      const column = pl.Series(name, values);
      const first = values.find((value) => value != null);
      return first instanceof Date ? column.cast(pl.Datetime('ms', 'UTC')) : column;
    } catch (error) {
      throw new InferencesError([
        {
          code: 'unsupported_data',
          column: name,
          message: `the values of "${name}" in the records have no common type: ${(error as Error).message}`,
        },
      ]);
    }
  });
  return pl.DataFrame(series);
}

function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as Float32Array);
  return value;
}
