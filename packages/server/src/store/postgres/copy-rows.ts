import {
  attributesJsonOf,
  type CopyRowSpanRecord,
  eventsJsonOf,
  type SerializedSpanRecord,
  type SpanRecord,
} from '../../model/span-record.js';
import { pgJson, pgText } from './pg-text.js';

/**
 * Spans go into PostgreSQL as COPY rows in its text format. A row is in two parts: the columns the
 * span writer computes (its trace's row id and the cumulative counts) and the span's own columns,
 * which the decoding thread renders once, as UTF-8 bytes outside the JavaScript heap: the writer
 * thread then neither copies the attributes between threads as strings, nor keeps them alive on its
 * heap while transactions are in flight (which cost it more in garbage collection than anything it
 * does itself), nor converts them to bytes again.
 */
export const SPAN_COPY_COLUMNS =
  'trace_rowid, cumulative_error_count, cumulative_llm_token_count_prompt, ' +
  'cumulative_llm_token_count_completion, span_id, parent_id, name, span_kind, start_time, end_time, ' +
  'attributes, events, status_code, status_message, llm_token_count_prompt, llm_token_count_completion';

/** The span's own columns of its COPY row (span_id to llm_token_count_completion), newline included. */
export function spanCopyRowTail(span: SpanRecord | SerializedSpanRecord): string {
  return (
    `${copyText(span.spanId)}\t${span.parentId === null ? '\\N' : copyText(span.parentId)}\t` +
    `${copyText(span.name)}\t${copyText(span.spanKind)}\t${span.startTime}\t${span.endTime}\t` +
    `${copyJson(attributesJsonOf(span))}\t${copyJson(eventsJsonOf(span))}\t${copyText(span.statusCode)}\t` +
    `${copyText(span.statusMessage)}\t${span.llmTokenCountPrompt}\t${span.llmTokenCountCompletion}\n`
  );
}

/** The span's own columns as bytes: rendered by the decoding thread, or here for other callers. */
export function spanCopyRowBytes(span: SpanRecord | SerializedSpanRecord | CopyRowSpanRecord): Uint8Array {
  return 'copyRow' in span ? span.copyRow : Buffer.from(spanCopyRowTail(span));
}

/**
 * A request's spans as the decoding thread hands them to the PostgreSQL writer thread: each with
 * its COPY row tail, all rows in one buffer (to transfer, not copy, between the threads).
 */
export function withCopyRows(spans: readonly SpanRecord[]): {
  spans: CopyRowSpanRecord[];
  buffer: ArrayBuffer;
} {
  const rows = spans.map(spanCopyRowTail);
  let longest = 0;
  let characters = 0;
  for (const row of rows) {
    characters += row.length;
    longest = Math.max(longest, row.length);
  }
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: with this much room past the characters, an
  // all-ASCII request (the usual one) is written without ever growing the buffer.
  let bytes = Buffer.from(new ArrayBuffer(characters + 2 * longest + 16));
  let at = 0;
  const ends: number[] = [];
  for (const row of rows) {
    if (bytes.length - at < 3 * row.length) {
      const larger = Buffer.from(new ArrayBuffer(Math.max(2 * bytes.length, at + 3 * row.length)));
      bytes.copy(larger, 0, 0, at);
      bytes = larger;
    }
    at += bytes.write(row, at);
    ends.push(at);
  }
  const buffer = bytes.buffer as ArrayBuffer;
  return {
    buffer,
    spans: spans.map((span, i) => ({
      projectName: span.projectName,
      traceId: span.traceId,
      spanId: span.spanId,
      parentId: span.parentId,
      spanKind: span.spanKind,
      startTime: span.startTime,
      endTime: span.endTime,
      statusCode: span.statusCode,
      sessionId: span.sessionId,
      llmTokenCountPrompt: span.llmTokenCountPrompt,
      llmTokenCountCompletion: span.llmTokenCountCompletion,
      inputValue: span.inputValue,
      outputValue: span.outputValue,
      copyRow: new Uint8Array(buffer, i === 0 ? 0 : ends[i - 1]!, ends[i]! - (i === 0 ? 0 : ends[i - 1]!)),
    })),
  };
}

/**
 * COPY data for rows made of the writer's columns (digits and tabs: one byte a character) followed
 * by the span's own: one buffer, handed over in pieces of at most 1 MiB (views, not copies).
 */
export function copyData(writerColumns: readonly string[], spanColumns: readonly Uint8Array[]): Buffer[] {
  let size = 0;
  for (const [i, columns] of writerColumns.entries()) size += columns.length + spanColumns[i]!.length;
  const data = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const [i, columns] of writerColumns.entries()) {
    at += data.write(columns, at, 'latin1');
    data.set(spanColumns[i]!, at);
    at += spanColumns[i]!.length;
  }
  const pieces: Buffer[] = [];
  for (let from = 0; from < size; from += 1 << 20) pieces.push(data.subarray(from, from + (1 << 20)));
  return pieces;
}

/** A text field of COPY's text format: backslash, tab, newline and carriage return escaped; no NUL. */
function copyText(value: string): string {
  const text = pgText(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : text;
}

/** JSON text as a COPY field: JSON.stringify leaves no raw control characters, only backslashes. */
function copyJson(json: string): string {
  const safe = pgJson(json);
  return safe.includes('\\') ? safe.replaceAll('\\', '\\\\') : safe;
}
