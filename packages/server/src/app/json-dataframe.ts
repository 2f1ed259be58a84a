/**
 * JSON-shaped rows ⇄ nodejs-polars DataFrames, through polars' own NDJSON reader and writer: they
 * build and read nested columns (lists of structs, structs) that nodejs-polars 0.24 cannot build
 * from or hand back to JavaScript values directly.
 *
 * Rows → DataFrame: numbers become Int64 (all integers) or Float64, strings String, booleans Bool,
 * lists of scalars List, objects Struct and lists of objects List(Struct) (fields of all rows
 * merged; a field a row lacks is null there). A column whose values disagree in kind (a number in
 * one row, a string or an object in another) becomes a String column: strings as they are, other
 * values as JSON text. Empty objects are dropped (Parquet cannot store structs without fields).
 */
import pl from 'nodejs-polars';

export type JsonRow = Record<string, unknown>;

type Kind = 'string' | 'bool' | 'int' | 'float' | 'list' | 'object';
type Encoding = 'native' | 'text' | 'json';

function kindOf(value: unknown): Kind {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return Array.isArray(value) ? 'list' : 'object';
}

/** Objects without keys become undefined, recursively (also inside lists), as Phoenix drops them. */
function prune(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => prune(v) ?? null);
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = prune(v);
    if (p === undefined || p === null) continue;
    out ??= {};
    out[k] = p;
  }
  return out;
}

function encodingOf(kinds: Set<Kind>, unsafeInteger: boolean): Encoding {
  if (unsafeInteger) return 'text';
  if (kinds.size <= 1) return 'native';
  if (kinds.size === 2 && kinds.has('int') && kinds.has('float')) return 'native';
  if (kinds.has('list') || kinds.has('object')) return 'json';
  return 'text';
}

function encode(value: unknown, encoding: Encoding): unknown {
  if (encoding === 'native' || value === null || value === undefined || typeof value === 'string')
    return value;
  return encoding === 'json' ? JSON.stringify(value) : String(value);
}

function readLines(lines: string[]): pl.DataFrame {
  return pl.readJSON(Buffer.from(lines.join('\n')), { format: 'lines', inferSchemaLength: null });
}

/** The column alone, or as JSON text when polars cannot infer one type for it. */
function readColumn(name: string, values: unknown[]): pl.Series {
  try {
    return readLines(values.map((v) => JSON.stringify({ [name]: v ?? null }))).getColumn(name);
  } catch {
    return pl.Series(
      name,
      values.map((v) => (v === null || v === undefined ? null : encode(v, 'json'))),
      pl.Utf8,
    );
  }
}

/**
 * A DataFrame of `rows`, columns in first-seen order (`columns` first, when given: those columns
 * exist even when no row has them, all null).
 */
export function dataframeFromJsonRows(
  rows: readonly JsonRow[],
  columns: readonly string[] = [],
): pl.DataFrame {
  const names = new Set(columns);
  const pruned = rows.map((row) => {
    const out: JsonRow = {};
    for (const [k, v] of Object.entries(row)) {
      names.add(k);
      const p = prune(v);
      if (p !== undefined && p !== null) out[k] = p;
    }
    return out;
  });
  const kinds = new Map<string, Set<Kind>>();
  const unsafe = new Set<string>();
  for (const row of pruned) {
    for (const [k, v] of Object.entries(row)) {
      const set = kinds.get(k) ?? new Set<Kind>();
      kinds.set(k, set);
      set.add(kindOf(v));
      if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) unsafe.add(k);
    }
  }
  const encodings = new Map<string, Encoding>();
  for (const [k, set] of kinds) encodings.set(k, encodingOf(set, unsafe.has(k)));
  const encoded = pruned.map((row) => {
    const out: JsonRow = {};
    for (const name of names) out[name] = encode(row[name], encodings.get(name) ?? 'native') ?? null;
    return out;
  });
  if (encoded.length === 0) {
    return pl.DataFrame([...names].map((name) => pl.Series(name, [], pl.Utf8)));
  }
  try {
    return readLines(encoded.map((row) => JSON.stringify(row))).select(...names);
  } catch {
    // A nested value disagrees with itself somewhere (e.g. a struct field that is a number in one row
    // and a list in another): build column by column so only the culprits become JSON text.
    return pl.DataFrame(
      [...names].map((name) =>
        readColumn(
          name,
          encoded.map((row) => row[name]),
        ),
      ),
    );
  }
}

/**
 * The rows of `df` as JSON values, nested columns included (nodejs-polars 0.24's own `toRecords()`
 * cannot hand back a struct inside a struct, such as an event's attributes). Datetime columns come
 * back as integer microseconds since the epoch (UTC; a datetime without a time zone is read as UTC).
 */
export function jsonRowsFromDataframe(df: pl.DataFrame): JsonRow[] {
  if (df.height === 0) return [];
  const datetimes = df.columns.filter((c) => df.getColumn(c).dtype.variant === 'Datetime');
  const plain = datetimes.length
    ? df.withColumns(...datetimes.map((c) => pl.col(c).cast(pl.Datetime('us')).cast(pl.Int64)))
    : df;
  const text = plain.writeJSON({ format: 'lines' }).toString('utf8');
  const rows: JsonRow[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as JsonRow);
  return rows;
}
