import pl from 'nodejs-polars';

/** What a polars column holds, in the terms of Phoenix's rules. */
export type ColumnKind =
  | 'int'
  | 'float'
  | 'bool'
  | 'datetime'
  | 'date'
  | 'string'
  | 'null'
  | 'list'
  | 'other';

type DataType = pl.DataType;

const INTEGERS = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64']);
const FLOATS = new Set(['Float32', 'Float64', 'Decimal']);

export function columnKind(dtype: DataType): ColumnKind {
  const variant = dtype.variant as string;
  if (INTEGERS.has(variant)) return 'int';
  if (FLOATS.has(variant)) return 'float';
  if (variant === 'Bool') return 'bool';
  if (variant === 'Datetime') return 'datetime';
  if (variant === 'Date') return 'date';
  if (variant === 'String' || variant === 'Utf8' || variant === 'Categorical' || variant === 'Enum')
    return 'string';
  if (variant === 'Null') return 'null';
  if (variant === 'List' || variant === 'FixedSizeList' || variant === 'Array') return 'list';
  return 'other';
}

export const isNumericKind = (kind: ColumnKind) => kind === 'int' || kind === 'float';

/** The element type of a list column (polars keeps it in a field its typings hide). */
export function listInner(dtype: DataType): DataType | undefined {
  const inner = (dtype as unknown as { inner?: unknown[] | null }).inner;
  return (inner?.[0] as DataType | undefined) ?? undefined;
}

/** The time zone of a Datetime column; null for a naive one. */
export function timeZoneOf(dtype: DataType): string | null {
  return (dtype as unknown as { timeZone?: string | null }).timeZone ?? null;
}

/** A readable name of a column type for error messages (`list of string`, `float`). */
export function describeDtype(dtype: DataType): string {
  const kind = columnKind(dtype);
  if (kind === 'list') {
    const inner = listInner(dtype);
    return inner ? `list of ${describeDtype(inner)}` : 'list';
  }
  if (kind === 'other') return dtype.variant.toLowerCase();
  return kind;
}

/** The series with its nulls replaced by `value` (Series.fillNull only takes a strategy). */
export function fillNullWith(series: pl.Series, value: number): pl.Series {
  const name = series.name;
  return pl
    .DataFrame([series])
    .select(pl.col(name).fillNull(pl.lit(value)))
    .getColumn(name);
}

/** A numeric series as a Float64Array (NaN = null). */
export function toFloat64(series: pl.Series): Float64Array {
  return fillNullWith(series.cast(pl.Float64), Number.NaN).toTypedArray() as Float64Array;
}
