/**
 * DataFrames the client returns, built with nodejs-polars, an optional peer dependency loaded on
 * first use (as Phoenix's client does with pandas): the rest of the client works without it, and in
 * browsers. Columns are typed: datetimes are Datetime(μs, UTC), never strings.
 */
import type { DataFrame, Series } from 'nodejs-polars';
import { MissingDependencyError } from '../errors.js';
import { isMissing, type Row } from './input.js';

type Polars = typeof import('nodejs-polars').default;

export type ColumnType = 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | 'json';

export interface Column {
  name: string;
  type: ColumnType;
}

type Importer = () => Promise<unknown>;

const importPolars: Importer = () => import('nodejs-polars');
let loaded: Promise<Polars> | undefined;

/** nodejs-polars, or a MissingDependencyError that says how to install it. */
export function loadPolars(method: string, importer: Importer = importPolars): Promise<Polars> {
  const load = async () => {
    try {
      const module = (await importer()) as { default?: Polars } & Polars;
      return module.default ?? module;
    } catch (error) {
      throw new MissingDependencyError(
        `${method} returns a nodejs-polars DataFrame, and nodejs-polars is not installed: npm install nodejs-polars`,
        { cause: error },
      );
    }
  };
  if (importer !== importPolars) return load();
  loaded ??= load().catch((error) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Microseconds since the epoch of an ISO 8601 instant (no offset: UTC), keeping the microseconds. */
export function microsFromIso(value: string): number {
  const match = ISO_INSTANT.exec(value.trim());
  const millis = match ? Date.parse(`${match[1]!.replace(' ', 'T')}${match[3] ?? 'Z'}`) : Number.NaN;
  if (!match || Number.isNaN(millis)) throw new RangeError(`Not an ISO 8601 instant: '${value}'`);
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return millis * 1000 + Number(fraction);
}

function micros(value: unknown): number | null {
  if (isMissing(value)) return null;
  if (value instanceof Date) return value.getTime() * 1000;
  if (typeof value === 'number') return value;
  return microsFromIso(String(value));
}

function jsonColumn(pl: Polars, name: string, values: unknown[]): Series {
  // Nested values (objects, lists of objects) through polars' own JSON reader, which types them as
  // structs and lists; text when their shapes disagree.
  if (values.some((v) => !isMissing(v))) {
    try {
      const lines = values.map((v) => JSON.stringify({ [name]: isMissing(v) ? null : v })).join('\n');
      // readJSON takes a Buffer (polars, hence this module, runs in Node only).
      const body = (globalThis as { Buffer?: { from(text: string): Uint8Array } }).Buffer?.from(lines);
      return pl.readJSON(body as never, { format: 'lines', inferSchemaLength: null }).getColumn(name);
    } catch {
      // falls through to text
    }
  }
  return pl.Series(
    name,
    values.map((v) => (isMissing(v) ? null : typeof v === 'string' ? v : JSON.stringify(v))),
    pl.Utf8,
  );
}

function series(pl: Polars, column: Column, values: unknown[]): Series {
  const { name, type } = column;
  const present = (f: (v: unknown) => unknown) => values.map((v) => (isMissing(v) ? null : f(v)));
  switch (type) {
    case 'string':
      return pl.Series(
        name,
        present((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
        pl.Utf8,
      );
    case 'integer':
      return pl.Series(name, present(Number), pl.Int64);
    case 'float':
      return pl.Series(name, present(Number), pl.Float64);
    case 'boolean':
      return pl.Series(name, present(Boolean), pl.Bool);
    case 'datetime':
      return pl.Series(name, values.map(micros), pl.Int64).cast(pl.Datetime('us', 'UTC'));
    case 'json':
      return jsonColumn(pl, name, values);
  }
}

/** A DataFrame with exactly these columns, in this order, typed as given (also when `rows` is empty). */
export async function dataFrameOf(
  method: string,
  columns: readonly Column[],
  rows: readonly Row[],
): Promise<DataFrame> {
  const pl = await loadPolars(method);
  return pl.DataFrame(
    columns.map((c) =>
      series(
        pl,
        c,
        rows.map((row) => row[c.name]),
      ),
    ),
  );
}
