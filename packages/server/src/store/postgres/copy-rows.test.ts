import { describe, expect, it } from 'vitest';
import { spanRecord } from '../../testing/span-records.js';
import { copyData, spanCopyRowBytes, spanCopyRowTail, withCopyRows } from './copy-rows.js';

describe('COPY rows', () => {
  it('escapes what COPY text would misread, and renders NULL parents as \\N', () => {
    const row = spanCopyRowTail(
      spanRecord({
        spanId: 'a1',
        parentId: null,
        name: 'tab\there\nnew\\line\0',
        statusMessage: 'cr\r',
        attributes: { path: 'C:\\dir', nul: 'x\0y' },
        llmTokenCountPrompt: 3,
      }),
    );
    const fields = row.slice(0, -1).split('\t');
    expect(fields).toHaveLength(12);
    expect(fields.slice(0, 3)).toEqual(['a1', '\\N', 'tab\\there\\nnew\\\\line\uFFFD']);
    expect(fields[6]).toBe('{"path":"C:\\\\\\\\dir","nul":"x\\\\ufffdy"}');
    expect(fields[9]).toBe('cr\\r');
    expect(row.endsWith('\t3\t0\n')).toBe(true);
  });

  it("gives each span a view of one request-wide buffer holding its row's UTF-8 bytes", () => {
    const spans = [
      spanRecord({ name: 'plain' }),
      spanRecord({ name: '多字节 😀', attributes: { text: 'é'.repeat(5000) } }),
      spanRecord({ name: 'after growing', attributes: { text: '€'.repeat(20_000) } }),
      spanRecord({ name: 'last' }),
    ];
    const { spans: rendered, buffer } = withCopyRows(spans);
    for (const [i, span] of rendered.entries()) {
      expect(span.copyRow.buffer).toBe(buffer);
      expect(Buffer.from(span.copyRow).toString()).toBe(spanCopyRowTail(spans[i]!));
      expect(spanCopyRowBytes(span)).toBe(span.copyRow);
    }
    expect(rendered[0]!.copyRow.byteOffset).toBe(0);
    expect(rendered[3]!.copyRow.byteOffset).toBe(
      rendered[2]!.copyRow.byteOffset + rendered[2]!.copyRow.byteLength,
    );
    // The buffer is the request's own (Node's shared pool must never be transferred away).
    expect(buffer.byteLength).toBeGreaterThanOrEqual(
      rendered[3]!.copyRow.byteOffset + rendered[3]!.copyRow.byteLength,
    );
    expect(rendered[1]).not.toHaveProperty('attributes');
  });

  it('joins the writer columns and the span rows into pieces of at most 1 MiB', () => {
    const rows = Array.from({ length: 3 }, (_, i) => Buffer.from(`${'x'.repeat(600_000)}${i}\n`));
    const pieces = copyData(['1\t0\t0\t0\t', '2\t0\t0\t0\t', '3\t0\t0\t0\t'], rows);
    expect(pieces.map((p) => p.length)).toEqual([1 << 20, 3 * 600_010 - (1 << 20)]);
    const text = Buffer.concat(pieces).toString();
    expect(
      text
        .split('\n')
        .slice(0, 3)
        .map((line) => line.slice(0, 8) + line.slice(-1)),
    ).toEqual(['1\t0\t0\t0\t0', '2\t0\t0\t0\t1', '3\t0\t0\t0\t2']);
  });
});
