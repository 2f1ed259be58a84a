import { describe, expect, it } from 'vitest';
import {
  makeSpans,
  type PbField,
  pb,
  pbKv,
  pbRequest,
  pbSpanFields,
  toProtobuf,
} from '../../test-support/otlp-requests.js';
import { decodeProtobufRequest, MAX_VALUE_DEPTH } from './decode-protobuf.js';
import { decodeExportRequest, OtlpDecodeError } from './index.js';

const opts = { defaultProject: 'default' };
const decode = (body: Uint8Array) => decodeExportRequest(body, 'protobuf', opts);

function decodeError(body: Uint8Array): string {
  try {
    decode(body);
  } catch (e) {
    expect(e).toBeInstanceOf(OtlpDecodeError);
    return (e as Error).message;
  }
  throw new Error('expected the request to be rejected');
}

describe('decodeProtobufRequest', () => {
  it('decodes a hand-encoded span exactly', () => {
    const [span] = decode(pbRequest([pbSpanFields({ name: 'hand' })]));
    expect(span).toStrictEqual({
      projectName: 'default',
      traceId: '0102030405060708090a0b0c0d0e0f10',
      spanId: 'a1a2a3a4a5a6a7a8',
      parentId: null,
      name: 'hand',
      spanKind: 'UNKNOWN',
      startTime: 1704067200123456,
      endTime: 1704067201123456,
      statusCode: 'UNSET',
      statusMessage: '',
      attributes: {},
      events: [],
      sessionId: null,
      llmTokenCountPrompt: 0,
      llmTokenCountCompletion: 0,
      inputValue: null,
      llmCost: null,
      outputValue: null,
    });
  });

  it('keeps full precision of fixed64 nanosecond times (floor to microseconds)', () => {
    const cases: [bigint, number][] = [
      [0n, 0],
      [999n, 0],
      [1000n, 1],
      [1704067200123456789n, 1704067200123456],
      [4294967296n * 1000n + 999n, 4294967296],
      [9007199254740991999n, 9007199254740991], // the largest accepted
    ];
    for (const [ns, us] of cases) {
      const [span] = decode(
        pbRequest([
          [
            [1, 'bytes', Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex')],
            [2, 'bytes', Buffer.from('a1a2a3a4a5a6a7a8', 'hex')],
            [7, 'fixed64', ns],
            [8, 'fixed64', ns],
          ],
        ]),
      );
      expect(span!.startTime).toBe(us);
      expect(span!.endTime).toBe(us);
    }
    expect(decodeError(pbRequest([pbSpanFields({ extra: [[8, 'fixed64', 0xffffffffffffffffn]] })]))).toMatch(
      /end_time_unix_nano is out of range/,
    );
  });

  it('decodes every AnyValue kind', () => {
    const [span] = decode(
      pbRequest([
        pbSpanFields({
          extra: [
            [9, 'msg', pbKv('s', [[1, 'bytes', 'héllo ✓']])],
            [9, 'msg', pbKv('b', [[2, 'varint', 1]])],
            [9, 'msg', pbKv('i', [[3, 'varint', -5n]])],
            [9, 'msg', pbKv('big', [[3, 'varint', 2n ** 53n]])],
            [9, 'msg', pbKv('d', [[4, 'double', 1.5]])],
            [9, 'msg', pbKv('nan', [[4, 'double', Number.NaN]])],
            [9, 'msg', pbKv('inf', [[4, 'double', Number.NEGATIVE_INFINITY]])],
            [9, 'msg', pbKv('bytes', [[7, 'bytes', new Uint8Array([0, 1, 2, 255])]])],
            [
              9,
              'msg',
              pbKv('arr', [
                [
                  5,
                  'msg',
                  [
                    [1, 'msg', [[3, 'varint', 1]]],
                    [1, 'msg', [[1, 'bytes', 'two']]],
                    [1, 'msg', []],
                  ],
                ],
              ]),
            ],
            [
              9,
              'msg',
              pbKv('kv', [
                [
                  6,
                  'msg',
                  [
                    [1, 'msg', pbKv('x', [[2, 'varint', 0]])],
                    [1, 'msg', pbKv('y', [[5, 'msg', []]])],
                  ],
                ],
              ]),
            ],
            [9, 'msg', pbKv('empty', [])],
            [9, 'msg', [[1, 'bytes', 'novalue']]],
            [
              9,
              'msg',
              pbKv('last.wins', [
                [1, 'bytes', 'first'],
                [3, 'varint', 9],
              ]),
            ],
          ],
        }),
      ]),
    );
    expect(span!.attributes).toStrictEqual({
      s: 'héllo ✓',
      b: true,
      i: -5,
      big: 2 ** 53,
      d: 1.5,
      nan: 'NaN',
      inf: '-Infinity',
      bytes: 'AAEC/w==',
      arr: [1, 'two', null],
      kv: { x: false, y: [] },
      last: { wins: 9 },
    });
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const unknown: PbField[] = [
      [100, 'varint', 123456789012n],
      [101, 'fixed64', 1n],
      [102, 'fixed32', 7],
      [103, 'bytes', 'junk'],
      [
        104,
        'group',
        [
          [1, 'varint', 1],
          [2, 'bytes', 'in group'],
        ],
      ],
    ];
    const body = pb([
      ...unknown,
      [
        1,
        'msg',
        [
          ...unknown,
          [
            1,
            'msg',
            [
              ...unknown,
              [1, 'msg', [...pbKv('openinference.project.name', [[1, 'bytes', 'p']]), ...unknown]],
            ],
          ],
          [2, 'msg', [...unknown, [2, 'msg', [...unknown, ...pbSpanFields({ name: 'n' }), ...unknown]]]],
        ],
      ],
    ]);
    const [span] = decode(body);
    expect(span).toMatchObject({ name: 'n', projectName: 'p', spanId: 'a1a2a3a4a5a6a7a8' });
  });

  it('status fields, repeated status merged, unknown codes are UNSET', () => {
    const spanWith = (...status: PbField[][]) =>
      decode(pbRequest([pbSpanFields({ extra: status.map((s): PbField => [15, 'msg', s]) })]))[0]!;
    expect(
      spanWith([
        [2, 'bytes', 'boom'],
        [3, 'varint', 2],
      ]),
    ).toMatchObject({
      statusCode: 'ERROR',
      statusMessage: 'boom',
    });
    expect(spanWith([[3, 'varint', 1]], [[2, 'bytes', 'later']])).toMatchObject({
      statusCode: 'OK',
      statusMessage: 'later',
    });
    expect(spanWith([[3, 'varint', 7]]).statusCode).toBe('UNSET');
    expect(spanWith([[3, 'varint', -1n]]).statusCode).toBe('UNSET');
  });

  it('names the problem and the byte for malformed input', () => {
    const valid = pbRequest([pbSpanFields()]);
    expect(decodeError(valid.subarray(0, valid.length - 3))).toMatch(
      /^Request body is invalid ExportTraceServiceRequest: unexpected end of data at byte \d+ \(in resourceSpans\[0\]\)$/,
    );
    // A known field with the wrong wire type.
    expect(decodeError(pbRequest([[[1, 'varint', 5]]]))).toBe(
      'Request body is invalid ExportTraceServiceRequest: field Span.trace_id (1) at byte 17 has wire type varint, expected length-delimited (in resourceSpans[0].scopeSpans[0].spans[0])',
    );
    expect(decodeError(pbRequest([[[7, 'fixed32', 5]]]))).toMatch(
      /field Span\.start_time_unix_nano \(7\) at byte \d+ has wire type fixed32, expected fixed64/,
    );
    expect(decodeError(pb([[1, 'varint', 1]]))).toMatch(/field ExportTraceServiceRequest\.resource_spans/);
    // Field number 0, invalid wire types.
    expect(decodeError(new Uint8Array([0x00]))).toMatch(/invalid field number 0 at byte 0/);
    expect(decodeError(new Uint8Array([0x0e, 0x00]))).toMatch(/invalid wire type 6 for field 1 at byte 0/);
    expect(decodeError(new Uint8Array([0x0c]))).toMatch(/invalid wire type 4/);
    // A length running past the enclosing message.
    expect(decodeError(pb([[1, 'raw', [0x0a, 0x02, 0x12, 0x05, 1, 2, 3, 4, 5]]]))).toMatch(
      /runs past the end of its enclosing message|unexpected end of data/,
    );
    // A varint longer than 10 bytes.
    expect(
      decodeError(
        pbRequest([
          pbSpanFields({ extra: [[9, 'msg', pbKv('k', [[3, 'raw', [0x18, ...Array(11).fill(0xff), 1]]])]] }),
        ]),
      ),
    ).toMatch(/varint longer than 10 bytes/);
  });

  it('limits the nesting of attribute values', () => {
    let value: PbField[] = [[1, 'bytes', 'leaf']];
    for (let i = 0; i < MAX_VALUE_DEPTH + 1; i++) value = [[5, 'msg', [[1, 'msg', value]]]];
    expect(decodeError(pbRequest([pbSpanFields({ extra: [[9, 'msg', pbKv('deep', value)]] })]))).toMatch(
      /nested more than 64 levels deep/,
    );
    let ok: PbField[] = [[1, 'bytes', 'leaf']];
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) ok = [[5, 'msg', [[1, 'msg', ok]]]];
    expect(decode(pbRequest([pbSpanFields({ extra: [[9, 'msg', pbKv('deep', ok)]] })]))).toHaveLength(1);
  });

  it('rejects every truncation of a real request with OtlpDecodeError', () => {
    const spans = makeSpans(
      [
        {
          name: 'root',
          start: [1704067200, 0],
          end: [1704067201, 0],
          attributes: { a: 'x', 'b.c': [1, 2], d: 1.5, e: true },
          events: [{ name: 'ev', time: [1704067200, 5], attributes: { k: 'v' } }],
        },
        { name: 'child', parent: 0, start: [1704067200, 1], end: [1704067200, 2] },
      ],
      { 'service.name': 's' },
    );
    const body = toProtobuf(spans);
    expect(decode(body)).toHaveLength(2);
    let rejected = 0;
    for (let n = 1; n < body.length; n++) {
      try {
        decode(body.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(OtlpDecodeError);
        rejected++;
      }
    }
    // Cutting at a top-level boundary is a valid (shorter) request; anything else is not.
    expect(rejected).toBeGreaterThan(body.length - 3);
  });

  it('never throws anything but OtlpDecodeError on random or mutated bytes', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const valid = toProtobuf(
      makeSpans([
        {
          name: 'x',
          start: [1704067200, 0],
          end: [1704067201, 0],
          attributes: { 'a.0.b': 1, s: 'str', l: [true] },
        },
      ]),
    );
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      let body: Uint8Array;
      if (round % 3 === 0) {
        body = new Uint8Array(rand(64)).map(() => rand(256));
      } else {
        body = valid.slice();
        const flips = 1 + rand(4);
        for (let f = 0; f < flips; f++) body[rand(body.length)] = rand(256);
      }
      try {
        decode(body);
        accepted++;
      } catch (e) {
        if (!(e instanceof OtlpDecodeError)) throw e;
        expect(e.message.length).toBeGreaterThan(10);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('returns the intermediate for the shared normalizer', () => {
    const raw = decodeProtobufRequest(
      pbRequest([pbSpanFields({ name: 'r' })], [pbKv('k', [[1, 'bytes', 'v']])]),
    );
    expect(raw).toEqual([
      {
        resourceAttributes: [{ key: 'k', value: 'v' }],
        scopeSpans: [
          {
            spans: [
              expect.objectContaining({
                name: 'r',
                traceId: '0102030405060708090a0b0c0d0e0f10',
                parentSpanId: '',
              }),
            ],
          },
        ],
      },
    ]);
  });
});
