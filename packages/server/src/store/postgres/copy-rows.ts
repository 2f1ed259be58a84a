import { type CostColumns, llmCostInputsOfSpan } from '../../cost/write-time-cost.js';
import {
  attributesJsonOf,
  type CopyRowSpanRecord,
  eventsJsonOf,
  type SerializedSpanRecord,
  type SpanRecord,
} from '../../model/span-record.js';
import type { Counts } from '../cumulative-counts.js';
import { pgJson, pgText } from './pg-text.js';

/**
 * Spans go into PostgreSQL as rows of one COPY in its binary format (no escaping to do on either
 * side: PostgreSQL's text format reads every field byte by byte, which cost it more than a sixth of
 * its ingest work). A row is in two parts: the columns the span writer computes (its trace's row id
 * and the cumulative counts) and the span's own, which the decoding thread renders once, as bytes
 * outside the JavaScript heap: the writer thread then neither copies the attributes between
 * threads as strings, nor keeps them alive on its heap while transactions are in flight (which cost
 * it more in garbage collection than anything it does itself), nor converts them to bytes again.
 */
export const SPAN_COPY_COLUMNS =
  'trace_rowid, cumulative_error_count, cumulative_llm_token_count_prompt, ' +
  'cumulative_llm_token_count_completion, cost_prompt, cost_completion, cost_total, span_id, parent_id, name, span_kind, start_time, end_time, ' +
  'attributes, events, status_code, status_message, llm_token_count_prompt, llm_token_count_completion';
const COLUMN_COUNT = 19;
/**
 * The row's field count and the writer's seven columns (int8, int4, int8, int8, and the three cost
 * columns as float8, priced at write time: cost/write-time-cost.ts), each length first.
 */
const WRITER_COLUMNS_BYTES = 2 + (4 + 8) + (4 + 4) + (4 + 8) + (4 + 8) + 3 * (4 + 8);
/** PGCOPY\n\377\r\n\0, no flags, no header extension. */
const HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const TRAILER = Buffer.from([0xff, 0xff]);
/** The version byte in front of jsonb's text in its binary form. */
const JSONB_VERSION = 1;
const TWO_TO_THE_32 = 2 ** 32;

/** Bytes in PostgreSQL's binary COPY encoding, in a buffer of their own that grows as needed. */
class BinaryFields {
  bytes: Buffer;
  at = 0;

  constructor(capacity: number) {
    // Never Node's shared Buffer pool: this buffer may be transferred to another thread.
    this.bytes = Buffer.from(new ArrayBuffer(Math.max(capacity, 64)));
  }

  /** A row's field count. */
  int16(value: number): void {
    this.room(2);
    this.at = this.bytes.writeInt16BE(value, this.at);
  }

  int32(value: number): void {
    this.room(8);
    this.at = this.bytes.writeInt32BE(4, this.at);
    this.at = this.bytes.writeInt32BE(value, this.at);
  }

  int64(value: number): void {
    this.room(12);
    this.at = this.bytes.writeInt32BE(8, this.at);
    writeInt64(this.bytes, value, this.at);
    this.at += 8;
  }

  float8(value: number | null): void {
    this.room(12);
    if (value === null) {
      this.at = this.bytes.writeInt32BE(-1, this.at);
      return;
    }
    this.at = this.bytes.writeInt32BE(8, this.at);
    this.at = this.bytes.writeDoubleBE(value, this.at);
  }

  text(value: string | null): void {
    if (value === null) {
      this.room(4);
      this.at = this.bytes.writeInt32BE(-1, this.at);
      return;
    }
    const text = pgText(value);
    this.room(4 + 3 * text.length);
    const written = this.bytes.write(text, this.at + 4);
    this.bytes.writeInt32BE(written, this.at);
    this.at += 4 + written;
  }

  jsonb(json: string): void {
    const text = pgJson(json);
    this.room(5 + 3 * text.length);
    const written = this.bytes.write(text, this.at + 5);
    this.bytes.writeInt32BE(written + 1, this.at);
    this.bytes[this.at + 4] = JSONB_VERSION;
    this.at += 5 + written;
  }

  /** Bytes already encoded (fields, or whole rows). */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
  private room(bytes: number): void {
    if (this.bytes.length - this.at >= bytes) return;
    const larger = Buffer.from(new ArrayBuffer(Math.max(2 * this.bytes.length, this.at + bytes)));
    this.bytes.copy(larger, 0, 0, this.at);
    this.bytes = larger;
  }
}

function writeInt64(bytes: Buffer, value: number, at: number): void {
  const high = Math.floor(value / TWO_TO_THE_32);
  bytes.writeInt32BE(high, at);
  bytes.writeUInt32BE(value - high * TWO_TO_THE_32, at + 4);
}

/** The span's own columns (span_id to llm_token_count_completion). */
function writeSpanColumns(span: SpanRecord | SerializedSpanRecord, out: BinaryFields): void {
  out.text(span.spanId);
  out.text(span.parentId);
  out.text(span.name);
  out.text(span.spanKind);
  out.int64(span.startTime);
  out.int64(span.endTime);
  out.jsonb(attributesJsonOf(span));
  out.jsonb(eventsJsonOf(span));
  out.text(span.statusCode);
  out.text(span.statusMessage);
  out.int64(span.llmTokenCountPrompt);
  out.int64(span.llmTokenCountCompletion);
}

/** The span's own columns as bytes: rendered by the decoding thread, or here for other callers. */
export function spanCopyRowBytes(span: SpanRecord | SerializedSpanRecord | CopyRowSpanRecord): Uint8Array {
  if ('copyRow' in span) return span.copyRow;
  const out = new BinaryFields(1024);
  writeSpanColumns(span, out);
  return out.bytes.subarray(0, out.at);
}

/**
 * A request's spans as the decoding thread hands them to the PostgreSQL writer thread: each with
 * its own columns, all in one buffer (to transfer, not copy, between the threads).
 */
export function withCopyRows(spans: readonly SpanRecord[]): {
  spans: CopyRowSpanRecord[];
  buffer: ArrayBuffer;
} {
  const out = new BinaryFields(1536 * spans.length);
  const ends: number[] = [];
  for (const span of spans) {
    writeSpanColumns(span, out);
    ends.push(out.at);
  }
  const buffer = out.bytes.buffer as ArrayBuffer;
  return {
    buffer,
    spans: spans.map((span, i) => {
      const start = i === 0 ? 0 : ends[i - 1]!;
      return {
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
        llmCost: llmCostInputsOfSpan(span),
        copyRow: new Uint8Array(buffer, start, ends[i]! - start),
      };
    }),
  };
}

/**
 * The data of one binary COPY: a row per span, the writer's columns (its trace's row id, its
 * cumulative counts) then the span's own; one buffer, handed over in pieces of at most 1 MiB
 * (views, not copies).
 */
export function copyData(
  traceRowIds: readonly number[],
  counts: readonly Counts[],
  spanColumns: readonly Uint8Array[],
  costs: readonly CostColumns[],
): Buffer[] {
  let size = HEADER.length + TRAILER.length;
  for (const columns of spanColumns) size += WRITER_COLUMNS_BYTES + columns.length;
  const out = new BinaryFields(size);
  out.raw(HEADER);
  for (const [i, columns] of spanColumns.entries()) {
    out.int16(COLUMN_COUNT);
    out.int64(traceRowIds[i]!);
    out.int32(counts[i]!.errors);
    out.int64(counts[i]!.prompt);
    out.int64(counts[i]!.completion);
    const cost = costs[i]!;
    out.float8(cost[0]);
    out.float8(cost[1]);
    out.float8(cost[2]);
    out.raw(columns);
  }
  out.raw(TRAILER);
  const pieces: Buffer[] = [];
  for (let from = 0; from < out.at; from += 1 << 20)
    pieces.push(out.bytes.subarray(from, Math.min(from + (1 << 20), out.at)));
  return pieces;
}
