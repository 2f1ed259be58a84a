import { gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const spanCount = () => t.query<{ n: number }>('SELECT count(*) AS n FROM spans')[0]!.n;
const post = (body: string | Uint8Array, headers: Record<string, string>) =>
  fetch(`${t.server.url}/v1/traces`, { method: 'POST', body, headers });
const protobufBody = (spans = conversationTurn()) => ProtobufTraceSerializer.serializeRequest(spans)!;

describe('POST /v1/traces', () => {
  it('accepts protobuf and answers with an empty ExportTraceServiceResponse', async () => {
    const response = await post(protobufBody(), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array());
  });

  it('accepts OTLP/JSON and answers in JSON', async () => {
    const body = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(conversationTurn())!);
    const response = await post(body, { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({});
  });

  it.each(['gzip', 'deflate'])('accepts a %s body', async (encoding) => {
    const before = spanCount();
    const zlib = await import('node:zlib');
    const raw = Buffer.from(protobufBody());
    const body = encoding === 'gzip' ? zlib.gzipSync(raw) : zlib.deflateSync(raw);
    const response = await post(body, {
      'content-type': 'application/x-protobuf',
      'content-encoding': encoding,
    });
    expect(response.status).toBe(200);
    expect(spanCount()).toBe(before + 3);
  });

  it('accepts a chunked body (no Content-Length), as Node exporters may send', async () => {
    const before = spanCount();
    const bytes = protobufBody();
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10));
        controller.enqueue(bytes.slice(10));
        controller.close();
      },
    });
    const response = await fetch(`${t.server.url}/v1/traces`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/x-protobuf' },
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(spanCount()).toBe(before + 3);
  });

  it('reports duplicate spans as a partial-success warning', async () => {
    const body = protobufBody();
    await post(body, { 'content-type': 'application/x-protobuf' });
    const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(conversationTurn())!);
    await post(json, { 'content-type': 'application/json' });
    const again = await post(json, { 'content-type': 'application/json' });
    expect(await again.json()).toMatchObject({
      partialSuccess: { errorMessage: '3 spans were already stored (same span_id) and ignored' },
    });
  });
});

describe('bad input gets a clear error and stores nothing', () => {
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    [
      'malformed protobuf',
      () =>
        post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' }),
      400,
      /invalid ExportTraceServiceRequest/i,
    ],
    [
      'malformed JSON',
      () => post('{"resourceSpans": [', { 'content-type': 'application/json' }),
      400,
      /JSON/,
    ],
    [
      'JSON of the wrong shape',
      () => post('{"resourceSpans": {"a": 1}}', { 'content-type': 'application/json' }),
      400,
      /resourceSpans/,
    ],
    [
      'wrong content type',
      () => post('hello', { 'content-type': 'text/plain' }),
      415,
      /Unsupported content type: text\/plain/,
    ],
    [
      'unknown content encoding',
      () => post(protobufBody(), { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' }),
      415,
      /content encoding: br/,
    ],
    [
      'gzip header on plain bytes',
      () => post(protobufBody(), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }),
      400,
      /not valid gzip/,
    ],
    [
      'body over the limit',
      () =>
        post(Buffer.alloc(t.server.config.maxBodyBytes + 1), { 'content-type': 'application/x-protobuf' }),
      413,
      /larger than the limit/,
    ],
    [
      'gzip bomb',
      () =>
        post(gzipSync(Buffer.alloc(t.server.config.maxBodyBytes + 1024)), {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
        }),
      413,
      /decompressed body is larger than the limit/,
    ],
    [
      'invalid trace id',
      () =>
        post(
          JSON.stringify({
            resourceSpans: [
              {
                scopeSpans: [
                  {
                    spans: [
                      {
                        traceId: 'abc',
                        spanId: '0102030405060708',
                        name: 'x',
                        startTimeUnixNano: '1',
                        endTimeUnixNano: '2',
                      },
                    ],
                  },
                ],
              },
            ],
          }),
          { 'content-type': 'application/json' },
        ),
      400,
      /trace_?id/i,
    ],
    [
      'missing span id',
      () =>
        post(
          JSON.stringify({
            resourceSpans: [
              {
                scopeSpans: [
                  {
                    spans: [
                      {
                        traceId: '0102030405060708090a0b0c0d0e0f10',
                        name: 'x',
                        startTimeUnixNano: '1',
                        endTimeUnixNano: '2',
                      },
                    ],
                  },
                ],
              },
            ],
          }),
          { 'content-type': 'application/json' },
        ),
      400,
      /span_?id/i,
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, message) => {
    const before = spanCount();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(message);
    expect(spanCount()).toBe(before);
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
  });
});

describe('health and versions', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${t.server.url}/healthz`)).text()).toBe('OK');
    expect((await fetch(`${t.server.url}/readyz`)).status).toBe(200);
  });

  it("answers Phoenix's version as plain X.Y.Z and sends it on every response", async () => {
    const response = await fetch(`${t.server.url}/arize_phoenix_version`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('20.3.0');
    for (const path of ['/healthz', '/no/such/route', '/version']) {
      expect((await fetch(`${t.server.url}${path}`)).headers.get('x-phoenix-server-version')).toBe('20.3.0');
    }
    const bad = await post('x', { 'content-type': 'text/plain' });
    expect(bad.headers.get('x-phoenix-server-version')).toBe('20.3.0');
  });

  it("reports Fawkes' own version separately", async () => {
    const body = await (await fetch(`${t.server.url}/version`)).json();
    expect(body).toEqual({ fawkes: expect.stringMatching(/^\d+\.\d+\.\d+/), phoenix: '20.3.0' });
  });

  it('answers unknown routes as FastAPI does', async () => {
    const response = await fetch(`${t.server.url}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Not Found' });
  });
});
