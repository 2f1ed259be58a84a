import { describe, expect, it } from 'vitest';
import { hexId } from '../../test-support/span-records.js';
import { decodeExportRequest } from '../ingest/index.js';
import type { RawSpan } from '../ingest/normalize.js';
import { requestBodies } from './load-trace-dataset.js';

const span = (size: number): RawSpan => ({
  traceId: hexId(16),
  spanId: hexId(8),
  parentSpanId: '',
  name: 'span',
  startTime: 1_700_000_000_000_000,
  endTime: 1_700_000_000_000_010,
  attributes: [{ key: 'blob', value: 'x'.repeat(size) }],
  events: [],
  statusCode: 1,
  statusMessage: '',
});

const decode = (body: Uint8Array) => decodeExportRequest(body, 'json', { defaultProject: 'p' });

describe('requestBodies', () => {
  it('packs spans in order into requests of at most maxSpans spans and maxBytes bytes', () => {
    const spans = [span(10), span(10), span(10), span(3000), span(10), span(5000), span(10)];
    const bodies = [...requestBodies(spans, { maxSpans: 3, maxBytes: 4000 })];
    expect(bodies.map((b) => decode(b).map((s) => s.spanId))).toEqual([
      spans.slice(0, 3).map((s) => s.spanId),
      [spans[3]!.spanId, spans[4]!.spanId],
      // Larger than maxBytes alone: still sent, alone.
      [spans[5]!.spanId],
      [spans[6]!.spanId],
    ]);
    expect(bodies.filter((b) => b.byteLength > 4000)).toHaveLength(1);
  });

  it('makes nothing of no spans', () => {
    expect([...requestBodies([])]).toEqual([]);
  });
});
