import { describe, expect, it } from 'vitest';
import { spanRecord } from '../../../test-support/span-records.js';
import { copyData, spanCopyRowBytes, withCopyRows } from './copy-rows.js';

/** The fields of binary COPY rows: null for NULL, else the raw bytes. */
function readFields(bytes: Uint8Array, count: number): (Buffer | null)[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: (Buffer | null)[] = [];
  let at = 0;
  while (fields.length < count) {
    const length = b.readInt32BE(at);
    at += 4;
    fields.push(length < 0 ? null : b.subarray(at, at + length));
    at += Math.max(length, 0);
  }
  expect(at).toBe(b.length);
  return fields;
}
/** `count` fields of binary COPY starting at `at`, and where they end. */
function fieldsAt(b: Buffer, at: number, count: number): { fields: (Buffer | null)[]; end: number } {
  const fields: (Buffer | null)[] = [];
  while (fields.length < count) {
    const length = b.readInt32BE(at);
    at += 4;
    fields.push(length < 0 ? null : b.subarray(at, at + length));
    at += Math.max(length, 0);
  }
  return { fields, end: at };
}
const text = (field: Buffer | null) => field?.toString();
const int64 = (field: Buffer | null) => Number(field!.readBigInt64BE());

describe('binary COPY rows', () => {
  it("render a span's own columns: text as UTF-8 without NUL, jsonb with its version byte, int8", () => {
    const span = spanRecord({
      spanId: 'a1',
      parentId: null,
      name: 'tab\there\nnew\\line\0 😀',
      startTime: 1_700_000_000_123_456,
      attributes: { path: 'C:\\dir', nul: 'x\0y' },
      llmTokenCountPrompt: 3,
    });
    const fields = readFields(spanCopyRowBytes(span), 12);
    expect(fields.slice(0, 4).map(text)).toEqual(['a1', undefined, 'tab\there\nnew\\line\uFFFD 😀', 'CHAIN']);
    expect(int64(fields[4]!)).toBe(1_700_000_000_123_456);
    expect(fields[6]![0]).toBe(1);
    expect(JSON.parse(fields[6]!.subarray(1).toString())).toEqual({ path: 'C:\\dir', nul: 'x\uFFFDy' });
    expect(fields.slice(8, 10).map(text)).toEqual(['UNSET', '']);
    expect([int64(fields[10]!), int64(fields[11]!)]).toEqual([3, 0]);
  });

  it("give each span a view of one request-wide buffer holding its row's bytes", () => {
    const spans = [
      spanRecord({ name: 'plain' }),
      spanRecord({ name: '多字节 😀', attributes: { text: 'é'.repeat(5000) } }),
      spanRecord({ name: 'after growing', attributes: { text: '€'.repeat(20_000) } }),
      spanRecord({ name: 'last' }),
    ];
    const { spans: rendered, buffer } = withCopyRows(spans);
    for (const [i, span] of rendered.entries()) {
      expect(span.copyRow.buffer).toBe(buffer);
      expect(Buffer.from(span.copyRow)).toEqual(Buffer.from(spanCopyRowBytes(spans[i]!)));
      expect(spanCopyRowBytes(span)).toBe(span.copyRow);
    }
    expect(text(readFields(rendered[1]!.copyRow, 12)[2]!)).toBe('多字节 😀');
    expect(rendered[0]!.copyRow.byteOffset).toBe(0);
    expect(rendered[3]!.copyRow.byteOffset).toBe(
      rendered[2]!.copyRow.byteOffset + rendered[2]!.copyRow.byteLength,
    );
    expect(rendered[1]).not.toHaveProperty('attributes');
  });

  it('put the writer columns in front of each row, between the header and the trailer, in pieces of at most 1 MiB', () => {
    const rows = Array.from({ length: 3 }, (_, i) => Buffer.from(`row ${i} ${'x'.repeat(600_000)}`));
    const pieces = copyData(
      [1, 2, 2 ** 40],
      [
        { errors: 0, prompt: 0, completion: 0 },
        { errors: 1, prompt: 2, completion: 3 },
        { errors: 7, prompt: 2 ** 33, completion: 5 },
      ],
      rows,
      [
        [null, null, null],
        [0.5, 0.25, 0.75],
        [1e-6, 0, 1e-6],
      ],
    );
    const data = Buffer.concat(pieces);
    expect(pieces[0]!.length).toBe(1 << 20);
    expect(data.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(data.subarray(-2)).toEqual(Buffer.from([0xff, 0xff]));
    let at = 19;
    const seen: (number | null)[][] = [];
    for (const row of rows) {
      expect(data.readInt16BE(at)).toBe(19);
      // The writer's seven columns: int8, int4, int8, int8, and the three costs as float8 (or NULL).
      const { fields, end } = fieldsAt(data, at + 2, 7);
      const [rowId, errors, prompt, completion, ...costs] = fields;
      seen.push([
        int64(rowId!),
        errors!.readInt32BE(),
        int64(prompt!),
        int64(completion!),
        ...costs.map((c) => (c === null ? null : c.readDoubleBE())),
      ]);
      expect(data.subarray(end, end + row.length).equals(row)).toBe(true);
      at = end + row.length;
    }
    expect(seen).toEqual([
      [1, 0, 0, 0, null, null, null],
      [2, 1, 2, 3, 0.5, 0.25, 0.75],
      [2 ** 40, 7, 2 ** 33, 5, 1e-6, 0, 1e-6],
    ]);
    expect(at).toBe(data.length - 2);
  });
});
