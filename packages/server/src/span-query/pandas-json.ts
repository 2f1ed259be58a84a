/**
 * Span frames as Phoenix sends DataFrames to its Python client: pandas' "table" JSON (a Table
 * Schema plus records), columns numbered to keep duplicates apart (`0_context.span_id` for the index,
 * then `1_name`, `2_span_kind`, ...), one part per query in a `multipart/mixed` body. The client
 * strips the numbers and rebuilds the index from `primaryKey`.
 */
import { randomBytes } from 'node:crypto';
import type { SpanFrame } from './query-spans.js';

interface Field {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'datetime';
  tz?: string;
}

/** The Table Schema type pandas gives a column of these values (object columns are "string"). */
function fieldType(values: unknown[], datetime: boolean): Pick<Field, 'type' | 'tz'> {
  if (datetime) return { type: 'datetime', tz: 'UTC' };
  const present = values.filter((v) => v !== null && v !== undefined);
  const complete = present.length === values.length;
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    return complete && present.every((v) => Number.isInteger(v)) ? { type: 'integer' } : { type: 'number' };
  }
  if (complete && present.length > 0 && present.every((v) => typeof v === 'boolean'))
    return { type: 'boolean' };
  return { type: 'string' };
}

/** One frame as pandas' `to_json(orient="table")`-style document, as Phoenix encodes it. */
export function pandasTableJson(frame: SpanFrame): string {
  const n = frame.index.length;
  const names = [...frame.index, ...frame.columns];
  const keys = names.map((name, i) => `${i}_${name}`);
  const datetimes = new Set(frame.datetimes);
  const fields: Field[] = names.map((name, i) => ({
    name: keys[i]!,
    ...fieldType(
      frame.rows.map((row) => row[name]),
      datetimes.has(name),
    ),
  }));
  const data = frame.rows.map((row) => {
    const record: Record<string, unknown> = {};
    names.forEach((name, i) => {
      record[keys[i]!] = row[name] ?? null;
    });
    return record;
  });
  return JSON.stringify({
    schema: { fields, primaryKey: keys.slice(0, n), pandas_version: '1.4.0' },
    data,
  });
}

/** A `multipart/mixed` body with one JSON part per frame, and its content type. */
export function multipartFrames(frames: readonly SpanFrame[]): { contentType: string; body: string } {
  const boundary = randomBytes(48).toString('base64url');
  let body = '';
  for (const frame of frames) {
    body += `--${boundary}\r\nContent-Type: application/json\r\n\r\n${pandasTableJson(frame)}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return { contentType: `multipart/mixed; boundary=${boundary}`, body };
}
