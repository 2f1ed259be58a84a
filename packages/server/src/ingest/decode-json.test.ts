import { describe, expect, it } from 'vitest';
import { makeSpans, toJson } from '../../test-support/otlp-requests.js';
import { decodeExportRequest, OtlpDecodeError } from './index.js';

const opts = { defaultProject: 'default' };
const TRACE = '0102030405060708090A0B0C0D0E0F10';
const SPAN = 'A1A2A3A4A5A6A7A8';

function request(span: Record<string, unknown>, resource?: Record<string, unknown>): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  traceId: TRACE,
                  spanId: SPAN,
                  name: 'n',
                  startTimeUnixNano: '1000',
                  endTimeUnixNano: 2000,
                  ...span,
                },
              ],
            },
          ],
        },
      ],
    }),
  );
}
const decode = (body: Uint8Array | string) =>
  decodeExportRequest(typeof body === 'string' ? Buffer.from(body) : body, 'json', opts);

function decodeError(body: Uint8Array | string): string {
  try {
    decode(body);
  } catch (e) {
    expect(e).toBeInstanceOf(OtlpDecodeError);
    return (e as Error).message;
  }
  throw new Error('expected the request to be rejected');
}

describe('decodeJsonRequest', () => {
  it('accepts camelCase, lower-cases hex ids, 64-bit ints as strings or numbers', () => {
    const [span] = decode(
      request({
        parentSpanId: 'B1B2B3B4B5B6B7B8',
        startTimeUnixNano: '1704067200123456789',
        endTimeUnixNano: 1704067201000000000,
        status: { code: 2, message: 'bad' },
        attributes: [
          { key: 'i', value: { intValue: '-12' } },
          { key: 'j', value: { intValue: 7 } },
          { key: 'd', value: { doubleValue: 0.5 } },
          { key: 'ds', value: { doubleValue: '2.5' } },
          { key: 'dn', value: { doubleValue: 'NaN' } },
          { key: 'b', value: { boolValue: true } },
          { key: 'by', value: { bytesValue: 'AAEC/w==' } },
          { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, {}, { intValue: '1' }] } } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'z', value: { stringValue: 'y' } }] } } },
          { key: 'ea', value: { arrayValue: {} } },
          { key: 'nul', value: null },
          { key: 'none' },
        ],
        events: [
          {
            timeUnixNano: '1704067200500000000',
            name: 'e',
            attributes: [{ key: 'k', value: { stringValue: 'v' } }],
          },
        ],
      }),
    );
    expect(span).toMatchObject({
      traceId: TRACE.toLowerCase(),
      spanId: SPAN.toLowerCase(),
      parentId: 'b1b2b3b4b5b6b7b8',
      startTime: 1704067200123456,
      endTime: 1704067201000000,
      statusCode: 'ERROR',
      statusMessage: 'bad',
      events: [{ name: 'e', timestamp: '2024-01-01T00:00:00.500000+00:00', attributes: { k: 'v' } }],
    });
    expect(span!.attributes).toStrictEqual({
      i: -12,
      j: 7,
      d: 0.5,
      ds: 2.5,
      dn: 'NaN',
      b: true,
      by: 'AAEC/w==',
      a: ['x', null, 1],
      kv: { z: 'y' },
      ea: [],
    });
  });

  it('accepts snake_case field names and enum names', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'openinference.project.name', value: { string_value: 'snake' } }] },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: TRACE,
                  span_id: SPAN,
                  parent_span_id: '',
                  name: 'snake-span',
                  start_time_unix_nano: '5000',
                  end_time_unix_nano: '6000',
                  attributes: [
                    { key: 'x.y', value: { int_value: '3' } },
                    { key: 'l', value: { array_value: { values: [{ bool_value: false }] } } },
                    {
                      key: 'm',
                      value: { kvlist_value: { values: [{ key: 'q', value: { double_value: 1 } }] } },
                    },
                    { key: 'by', value: { bytes_value: 'AQ==' } },
                  ],
                  status: { code: 'STATUS_CODE_OK' },
                  events: [{ time_unix_nano: '5500', name: 'ev' }],
                },
              ],
            },
          ],
        },
      ],
    });
    const [span] = decode(body);
    expect(span).toMatchObject({
      projectName: 'snake',
      name: 'snake-span',
      parentId: null,
      startTime: 5,
      endTime: 6,
      statusCode: 'OK',
      attributes: { x: { y: 3 }, l: [false], m: { q: 1 }, by: 'AQ==' },
      events: [{ name: 'ev', timestamp: '1970-01-01T00:00:00.000005+00:00', attributes: {} }],
    });
  });

  it('decodes what the OpenTelemetry JSON serializer writes', () => {
    const spans = makeSpans([
      { name: 'real', start: [1704067200, 1], end: [1704067200, 2001], attributes: { a: 1 } },
    ]);
    const [span] = decode(toJson(spans));
    expect(span).toMatchObject({ name: 'real', startTime: 1704067200000000, endTime: 1704067200000002 });
  });

  it('names the problem and where for malformed documents', () => {
    expect(decodeError('{"resourceSpans": [')).toMatch(
      /^Request body is invalid ExportTraceServiceRequest: body is not valid JSON \(/,
    );
    expect(decodeError('[]')).toBe(
      'Request body is invalid ExportTraceServiceRequest: the body must be a JSON object (got an array)',
    );
    expect(decodeError('{"resourceSpans": {}}')).toBe(
      'Request body is invalid ExportTraceServiceRequest: resourceSpans must be an array (got an object)',
    );
    expect(decodeError(request({ startTimeUnixNano: '12.5' }))).toBe(
      'Request body is invalid ExportTraceServiceRequest: resourceSpans[0].scopeSpans[0].spans[0]: startTimeUnixNano must be a non-negative integer of nanoseconds (got "12.5")',
    );
    expect(decodeError(request({ startTimeUnixNano: -5 }))).toMatch(
      /startTimeUnixNano must be a non-negative/,
    );
    expect(decodeError(request({ traceId: 5 }))).toMatch(/spans\[0\]: traceId must be a string \(got 5\)/);
    expect(decodeError(request({ attributes: [{ key: 'k', value: { intValue: 'x1' } }] }))).toBe(
      'Request body is invalid ExportTraceServiceRequest: resourceSpans[0].scopeSpans[0].spans[0]: attributes[0]: attribute "k": intValue must be an integer or a decimal string (got "x1")',
    );
    expect(decodeError(request({ attributes: [{ key: 'k', value: 'plain' }] }))).toMatch(
      /attribute "k": value must be an AnyValue object such as \{"stringValue": "…"\} \(got "plain"\)/,
    );
    expect(
      decodeError(
        request({ attributes: [{ key: 'k', value: { arrayValue: { values: [{ boolValue: 'yes' }] } } }] }),
      ),
    ).toMatch(/attribute "k": arrayValue.values\[0\]: boolValue must be true or false \(got "yes"\)/);
    expect(decodeError(request({ attributes: [{ key: 'k', value: { bytesValue: '!!' } }] }))).toMatch(
      /bytesValue must be a base64 string/,
    );
    expect(decodeError(request({ status: { code: 'BAD' } }))).toMatch(/status.code must be an integer/);
    expect(decodeError(request({ events: [{ timeUnixNano: 'soon' }] }))).toMatch(
      /events\[0\]: timeUnixNano must be/,
    );
    expect(decodeError(request({}, { attributes: 'x' }))).toBe(
      'Request body is invalid ExportTraceServiceRequest: resourceSpans[0]: resource.attributes must be an array (got "x")',
    );
    let deep: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 70; i++) deep = { arrayValue: { values: [deep] } };
    expect(decodeError(request({ attributes: [{ key: 'deep', value: deep }] }))).toMatch(
      /nested more than 64 levels/,
    );
  });

  it('never throws anything but OtlpDecodeError on mutated documents', () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const junk = [null, 0, -1, 1.5, '', 'x', 'NaN', '00', true, [], {}, [1], { a: 1 }, '1704067200000000000'];
    const base = JSON.parse(
      Buffer.from(
        request({
          attributes: [
            { key: 'a.0.b', value: { arrayValue: { values: [{ intValue: 1 }] } } },
            { key: 'k', value: { kvlistValue: { values: [{ key: 'x', value: { stringValue: 'y' } }] } } },
          ],
          events: [{ name: 'e', timeUnixNano: '1500', attributes: [] }],
          status: { code: 1 },
        }),
      ).toString(),
    );
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      const doc = structuredClone(base);
      // Replace a random node with junk.
      let node: Record<string, unknown> = doc;
      for (let depth = 0; depth < 12; depth++) {
        const keys = Object.keys(node);
        if (keys.length === 0) break;
        const k = keys[rand(keys.length)]!;
        const child = node[k];
        if (child === null || typeof child !== 'object' || rand(4) === 0) {
          node[k] = junk[rand(junk.length)];
          break;
        }
        node = child as Record<string, unknown>;
      }
      try {
        decode(JSON.stringify(doc));
        accepted++;
      } catch (e) {
        if (!(e instanceof OtlpDecodeError)) throw e;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(3000);
  });
});
