import { describe, expect, it } from 'vitest';
import { pbRequest, pbSpanFields, unhex } from '../../test-support/otlp-requests.js';
import { decodeExportRequest, decodeExportRequestPartially, OtlpDecodeError } from './index.js';

const TRACE = '0102030405060708090a0b0c0d0e0f10';
const SPAN = 'a1a2a3a4a5a6a7a8';

function jsonRequest(...spans: Record<string, unknown>[]): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        { scopeSpans: [{ spans: [] }] },
        {
          scopeSpans: [
            { spans: [] },
            {
              spans: spans.map((s) => ({
                traceId: TRACE,
                spanId: SPAN,
                name: 'llm-call',
                startTimeUnixNano: '2000000',
                endTimeUnixNano: '3000000',
                ...s,
              })),
            },
          ],
        },
      ],
    }),
  );
}

function error(body: Uint8Array, encoding: 'json' | 'protobuf' = 'json'): string {
  try {
    decodeExportRequest(body, encoding, { defaultProject: 'd' });
  } catch (e) {
    expect(e).toBeInstanceOf(OtlpDecodeError);
    return (e as Error).message;
  }
  throw new Error('expected the request to be rejected');
}

const where = 'span "llm-call" (resourceSpans[1].scopeSpans[1].spans[0])';

describe('span validation', () => {
  it('trace_id: 16 bytes of hex, not all zeros', () => {
    expect(error(jsonRequest({ traceId: '0102030405' }))).toBe(`${where}: trace_id must be 16 bytes (got 5)`);
    expect(error(jsonRequest({ traceId: '' }))).toBe(`${where}: trace_id must be 16 bytes (got 0)`);
    expect(error(jsonRequest({ traceId: `${TRACE}0` }))).toBe(
      `${where}: trace_id must be 16 bytes (got 33 hex digits)`,
    );
    expect(error(jsonRequest({ traceId: 'zz'.repeat(16) }))).toBe(
      `${where}: trace_id must be 32 hex digits (got "${'zz'.repeat(16)}")`,
    );
    expect(error(jsonRequest({ traceId: '0'.repeat(32) }))).toBe(`${where}: trace_id must not be all zeros`);
    // The same rules on the protobuf path, with byte counts.
    expect(
      error(pbRequest([[[1, 'bytes', unhex('0102030405')], ...pbSpanFields().slice(1)]]), 'protobuf'),
    ).toBe('span "span" (resourceSpans[0].scopeSpans[0].spans[0]): trace_id must be 16 bytes (got 5)');
  });

  it('span_id: 8 bytes, not all zeros', () => {
    expect(error(jsonRequest({ spanId: 'a1a2' }))).toBe(`${where}: span_id must be 8 bytes (got 2)`);
    expect(error(jsonRequest({ spanId: '0000000000000000' }))).toBe(
      `${where}: span_id must not be all zeros`,
    );
    expect(error(jsonRequest({ spanId: undefined }))).toBe(`${where}: span_id must be 8 bytes (got 0)`);
  });

  it('parent_span_id: empty (root) or 8 bytes; all zeros means no parent', () => {
    expect(error(jsonRequest({ parentSpanId: 'b1b2b3' }))).toBe(
      `${where}: parent_span_id must be 8 bytes (got 3)`,
    );
    const ok = (parentSpanId: string) =>
      decodeExportRequest(jsonRequest({ parentSpanId }), 'json', { defaultProject: 'd' })[0]!.parentId;
    expect(ok('')).toBeNull();
    expect(ok('0000000000000000')).toBeNull();
    expect(ok('B1B2B3B4B5B6B7B8')).toBe('b1b2b3b4b5b6b7b8');
  });

  it('end_time must not be before start_time; equal is fine', () => {
    expect(error(jsonRequest({ startTimeUnixNano: '2000000', endTimeUnixNano: '1999999' }))).toBe(
      `${where}: end_time is before start_time (start 1970-01-01T00:00:00.002000+00:00, end 1970-01-01T00:00:00.001999+00:00)`,
    );
    const [span] = decodeExportRequest(jsonRequest({ endTimeUnixNano: '2000999' }), 'json', {
      defaultProject: 'd',
    });
    expect([span!.startTime, span!.endTime]).toEqual([2000, 2000]);
  });

  it('times must fit in microseconds as exact numbers', () => {
    expect(error(jsonRequest({ endTimeUnixNano: '99999999999999999999999' }))).toMatch(
      /: end_time_unix_nano is out of range/,
    );
    expect(error(jsonRequest({ events: [{ name: 'e', timeUnixNano: '99999999999999999999999' }] }))).toMatch(
      /: event 0: time_unix_nano is out of range/,
    );
  });

  it('an empty or missing name is allowed', () => {
    const [span] = decodeExportRequest(jsonRequest({ name: undefined }), 'json', { defaultProject: 'd' });
    expect(span!.name).toBe('');
  });

  it('one invalid span rejects the whole request, naming that span', () => {
    const body = jsonRequest({ name: 'good' }, { name: 'bad', spanId: '00' });
    expect(error(body)).toBe(
      'span "bad" (resourceSpans[1].scopeSpans[1].spans[1]): span_id must be 8 bytes (got 1)',
    );
  });

  it('an absurd attribute key is a client error naming the span', () => {
    const key = Array.from({ length: 200 }, () => 'k').join('.');
    expect(error(jsonRequest({ attributes: [{ key, value: { intValue: 1 } }] }))).toMatch(
      /^span "llm-call" \(resourceSpans\[1\]\.scopeSpans\[1\]\.spans\[0\]\): attribute key "k\.k\.k.*" has 200 dot-separated parts/,
    );
  });
});

describe('decodeExportRequestPartially: invalid spans left out, valid ones kept', () => {
  it('keeps the valid spans and names the first three problems, counting the rest', () => {
    const bad = (i: number) => ({ spanId: `0${i}`, name: `bad ${i}` });
    const body = jsonRequest(bad(1), { spanId: 'b1b2b3b4b5b6b7b8' }, bad(2), bad(3), bad(4), bad(5));
    const { spans, rejected } = decodeExportRequestPartially(body, 'json', { defaultProject: 'd' });
    expect(spans.map((s) => s.spanId)).toEqual(['b1b2b3b4b5b6b7b8']);
    expect(rejected?.count).toBe(5);
    expect(rejected?.message).toMatch(
      /^span "bad 1" \(resourceSpans\[1\]\.scopeSpans\[1\]\.spans\[0\]\): span_id must be 8 bytes \(got 1\); span "bad 2" .*; span "bad 3" .*; and 2 more invalid spans$/,
    );
  });

  it('answers no rejection when every span is valid', () => {
    expect(
      decodeExportRequestPartially(jsonRequest({}), 'json', { defaultProject: 'd' }).rejected,
    ).toBeUndefined();
  });
});
