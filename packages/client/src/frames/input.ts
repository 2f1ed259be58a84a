/**
 * Where the client takes a DataFrame it also takes plain rows (an array of objects). Reading either
 * needs no polars import of our own: a DataFrame the caller made already has its library loaded.
 */
import type { DataFrame } from 'nodejs-polars';
import { InvalidArgumentError } from '../errors.js';

export type Row = Record<string, unknown>;

/** A nodejs-polars DataFrame, or the same data as an array of row objects. */
export type DataFrameInput = DataFrame | readonly Row[];

export interface Rows {
  rows: Row[];
  /** Column names: the DataFrame's, or every key some row has. */
  columns: Set<string>;
}

function isDataFrame(value: unknown): value is DataFrame {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DataFrame).toRecords === 'function' &&
    Array.isArray((value as DataFrame).columns)
  );
}

/**
 * The rows of a DataFrame or of plain rows. `wanted` limits what is read from a DataFrame to those
 * columns (others, e.g. nested span columns, may not convert to JavaScript values).
 */
export function rowsOf(input: DataFrameInput, what = 'dataframe', wanted?: readonly string[]): Rows {
  if (Array.isArray(input)) {
    const columns = new Set<string>();
    input.forEach((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new InvalidArgumentError(
          `${what}[${i}] must be an object (one row), got ${JSON.stringify(row)}`,
        );
      }
      for (const key of Object.keys(row)) columns.add(key);
    });
    return { rows: input as Row[], columns };
  }
  if (!isDataFrame(input)) {
    throw new InvalidArgumentError(`${what} must be a nodejs-polars DataFrame or an array of row objects`);
  }
  const columns = new Set(input.columns);
  const read = wanted ? wanted.filter((c) => columns.has(c)) : input.columns;
  const rows: Row[] = Array.from({ length: input.height }, () => ({}));
  for (const name of read) {
    input
      .getColumn(name)
      .toArray()
      .forEach((value, i) => {
        (rows[i] as Row)[name] = value;
      });
  }
  return { rows, columns };
}

/** Null, undefined and NaN are missing values (polars nulls, pandas NaN). */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}
