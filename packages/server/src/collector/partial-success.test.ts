import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { otlpGrpcClient } from '../../test-support/otlp-grpc-client.js';
import { decodeExportResponse } from '../ingest/index.js';

/** 10 good traces (3 spans each), and one more span whose span id has 3 bytes. */
function batchWithOneBadSpan(): ReadableSpan[] {
  const good = Array.from({ length: 10 }, (_, i) => conversationTurn({ question: `question ${i}` })).flat();
  const [template] = conversationTurn();
  const bad = Object.create(template!, {
    spanContext: { value: () => ({ ...template!.spanContext(), spanId: 'abcdef' }) },
  }) as ReadableSpan;
  return [...good.slice(0, 15), bad, ...good.slice(15)];
}

const protobufBody = () => ProtobufTraceSerializer.serializeRequest(batchWithOneBadSpan())!;
const jsonBody = () => JsonTraceSerializer.serializeRequest(batchWithOneBadSpan())!;

describeEachDialect('one bad span does not drop its batch', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await sql`DELETE FROM spans`.execute(t.store.db);
    await sql`DELETE FROM traces`.execute(t.store.db);
  });

  const stored = async () => {
    const count = async (table: string) =>
      Number(
        (await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.store.db))
          .rows[0]!.n,
      );
    return { spans: await count('spans'), traces: await count('traces') };
  };

  const expectPartialSuccess = (answer: {
    partialSuccess?: { rejectedSpans: number; errorMessage: string };
  }) => {
    expect(answer.partialSuccess?.rejectedSpans).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toMatch(/span_id must be 8 bytes \(got 3\)/);
  };

  it.each([
    ['protobuf', 'application/x-protobuf', protobufBody],
    ['json', 'application/json', jsonBody],
  ] as const)(
    'OTLP/HTTP %s: 200 with partial_success, the 10 traces stored',
    async (encoding, type, body) => {
      const response = await fetch(`${t.server.url}/v1/traces`, {
        method: 'POST',
        body: body(),
        headers: { 'content-type': type },
      });
      expect(response.status).toBe(200);
      expectPartialSuccess(decodeExportResponse(new Uint8Array(await response.arrayBuffer()), encoding));
      expect(await stored()).toEqual({ spans: 30, traces: 10 });
    },
  );

  it('OTLP/gRPC: OK with partial_success, the 10 traces stored', async () => {
    const client = otlpGrpcClient(t.server.grpcPort);
    try {
      expectPartialSuccess(decodeExportResponse(await client.exportForResponse(protobufBody()), 'protobuf'));
    } finally {
      client.close();
    }
    expect(await stored()).toEqual({ spans: 30, traces: 10 });
  });

  it('a batch with no valid span at all is still refused whole (400)', async () => {
    const [template] = conversationTurn();
    const bad = Object.create(template!, {
      spanContext: { value: () => ({ ...template!.spanContext(), spanId: 'abcdef' }) },
    }) as ReadableSpan;
    const response = await fetch(`${t.server.url}/v1/traces`, {
      method: 'POST',
      body: ProtobufTraceSerializer.serializeRequest([bad])!,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/span_id must be 8 bytes/);
    expect(await stored()).toEqual({ spans: 0, traces: 0 });
  });
});

describeEachDialect('a project name with a NUL character', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
  });
  afterAll(() => t.close());

  it('rejects the spans of that resource, never storing a changed name', async () => {
    const resource = (project: string, spanId: string) => ({
      resource: { attributes: [{ key: 'openinference.project.name', value: { stringValue: project } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '0102030405060708090a0b0c0d0e0f10',
              spanId,
              name: 'x',
              startTimeUnixNano: '1000',
              endTimeUnixNano: '2000',
            },
          ],
        },
      ],
    });
    const body = JSON.stringify({
      resourceSpans: [resource('a\u0000b', '0102030405060708'), resource('ok', '0102030405060709')],
    });
    const response = await fetch(`${t.server.url}/v1/traces`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    const answer = decodeExportResponse(await response.text(), 'json');
    expect(answer.partialSuccess?.rejectedSpans).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toMatch(/project name must not contain NUL/);
    expect((await t.store.db.selectFrom('projects').select('name').execute()).map((p) => p.name)).toEqual([
      'ok',
    ]);
  });
});
