/**
 * `POST /v1/spans` answers as Phoenix does: a `multipart/mixed` body with one part per query, each
 * pandas' "table" JSON (a Table Schema and the records), column names numbered to keep duplicates
 * apart (`0_context.span_id`, `1_name`, ...), the index columns listed in `primaryKey`. Polars has no
 * index: the index columns come first, as ordinary columns, and a name seen twice is kept once.
 */
import { ApiError } from '../errors.js';
import type { Row } from './input.js';
import type { Column, ColumnType } from './output.js';

interface TableJson {
  schema: { fields: { name: string; type: string }[]; primaryKey?: string[] };
  data: Row[];
}

export interface Table {
  columns: Column[];
  rows: Row[];
}

/** The JSON documents of a multipart/mixed body. */
export function multipartJsonParts(contentType: string, body: string): unknown[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return [JSON.parse(body)];
  const parts: unknown[] = [];
  for (const part of body.split(`--${boundary}`)) {
    const at = part.indexOf('\r\n\r\n');
    if (at < 0 || !/content-type:\s*application\/json/i.test(part.slice(0, at))) continue;
    parts.push(JSON.parse(part.slice(at + 4).trim()));
  }
  return parts;
}

const unnumbered = (name: string) => name.replace(/^\d+_/, '');

function columnType(tableType: string, values: unknown[]): ColumnType {
  switch (tableType) {
    case 'datetime':
      return 'datetime';
    case 'integer':
      return 'integer';
    case 'number':
      return 'float';
    case 'boolean':
      return 'boolean';
    default:
      // pandas calls object columns "string": lists and objects stay nested.
      return values.some((v) => v !== null && typeof v === 'object') ? 'json' : 'string';
  }
}

/** One part's columns (index columns first) and rows, names without their numbers. */
export function tableOf(part: unknown): Table {
  const table = part as TableJson;
  if (!table?.schema?.fields || !Array.isArray(table.data)) {
    throw new ApiError('POST', '/v1/spans', 200, 'the answer is not a pandas table JSON document');
  }
  const { fields, primaryKey = [] } = table.schema;
  // Phoenix's frames hold `context.span_id` twice (the index and a column): a DataFrame keeps one.
  const seen = new Set<string>();
  const ordered = [
    ...fields.filter((f) => primaryKey.includes(f.name)),
    ...fields.filter((f) => !primaryKey.includes(f.name)),
  ].filter((f) => !seen.has(unnumbered(f.name)) && seen.add(unnumbered(f.name)));
  const rows = table.data.map((record) => {
    const row: Row = {};
    for (const field of ordered) row[unnumbered(field.name)] = record[field.name] ?? null;
    return row;
  });
  const columns = ordered.map((f) => ({
    name: unnumbered(f.name),
    type: columnType(
      f.type,
      table.data.map((r) => r[f.name]),
    ),
  }));
  return { columns, rows };
}
