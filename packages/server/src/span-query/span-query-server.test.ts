/** POST /v1/spans on the real server: spans from a real exporter, an annotation through the REST API. */
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const PROJECT = 'span-queries';

function parts(contentType: string, text: string) {
  const boundary = `--${/boundary=([^;]+)/.exec(contentType)![1]}`;
  return text
    .split(boundary)
    .filter((part) => part.includes('Content-Type: application/json'))
    .map(
      (part) =>
        JSON.parse(part.split('\r\n\r\n', 2)[1]!.trim()) as {
          schema: { fields: { name: string }[] };
          data: Record<string, unknown>[];
        },
    );
}

describeEachDialect('POST /v1/spans on the server', (dialect) => {
  let t: TestServer;
  let turns: ReadableSpan[][];

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    turns = [
      conversationTurn({ projectName: PROJECT, tokens: [900, 300], question: 'big' }),
      conversationTurn({ projectName: PROJECT, tokens: [10, 20], question: 'small' }),
      conversationTurn({ projectName: 'elsewhere', tokens: [2000, 2000] }),
    ];
    const exporter = new OTLPTraceExporter({ url: `${t.server.url}/v1/traces` });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(turns.flat(), resolve));
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const small = turns[1]!.find((s) => s.name === 'llm')!;
    const annotated = await fetch(`${t.server.url}/v1/span_annotations?sync=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        data: [
          {
            span_id: small.spanContext().spanId,
            name: 'correctness',
            annotator_kind: 'LLM',
            result: { label: 'incorrect', score: 0 },
          },
        ],
      }),
    });
    expect(annotated.status).toBe(200);
  });
  afterAll(() => t?.close());

  const query = async (body: unknown) => {
    const response = await fetch(`${t.server.url}/v1/spans?project_name=${PROJECT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return { response, text: await response.text() };
  };
  const spanId = (turn: number, name: string) =>
    turns[turn]!.find((s) => s.name === name)!.spanContext().spanId;

  it('filters by kind and token count, and by annotation label', async () => {
    const { response, text } = await query({
      queries: [
        {
          select: { tokens: { key: 'llm.token_count.total' } },
          filter: { condition: "span_kind == 'LLM' and llm.token_count.total > 1000" },
        },
        { filter: { condition: "annotations['correctness'].label == 'incorrect'" } },
        { filter: { condition: "'small' in input.value" } },
      ],
      root_spans_only: false,
    });
    expect(response.status).toBe(200);
    const [big, incorrect, small] = parts(response.headers.get('content-type')!, text);
    expect(big!.data).toEqual([{ '0_context.span_id': spanId(0, 'llm'), '1_tokens': 1200 }]);
    expect(incorrect!.data.map((r) => r['0_context.span_id'])).toEqual([spanId(1, 'llm')]);
    expect(small!.data.map((r) => r['0_context.span_id'])).toEqual([spanId(1, 'agent')]);
    expect(small!.schema.fields.map((f) => f.name.replace(/^\d+_/, ''))).toContain('attributes.input.value');
  });

  it('returns root spans only, newest first', async () => {
    const { text, response } = await query({ queries: [{}], root_spans_only: true });
    const [roots] = parts(response.headers.get('content-type')!, text);
    expect(new Set(roots!.data.map((r) => r['0_context.span_id']))).toEqual(
      new Set([spanId(0, 'agent'), spanId(1, 'agent')]),
    );
  });

  it('answers a bad filter with 422 and its position', async () => {
    const { response, text } = await query({ queries: [{ filter: { condition: 'latency_ms >' } }] });
    expect(response.status).toBe(422);
    expect(JSON.parse(text).detail[0]).toMatchObject({
      loc: ['body', 'queries', 0, 'filter', 'condition'],
      ctx: { position: 11, column: 12, expected: ['expression'] },
    });
  });
});
