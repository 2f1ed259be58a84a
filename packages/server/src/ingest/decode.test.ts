import { SEMRESATTRS_PROJECT_NAME } from '@arizeai/openinference-semantic-conventions';
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { makeSpans, type SpanSpec, toJson, toProtobuf } from '../../test-support/otlp-requests.js';
import { type SpanRecord, serializeSpanRecord } from '../model/span-record.js';
import { decodeExportRequest, OtlpDecodeError } from './index.js';
import { isoFromMicros } from './normalize.js';

const T0 = 1_704_067_200; // 2024-01-01T00:00:00Z

/** Decodes the spans through both encodings, checks they agree, returns the records. */
function roundTrip(
  specs: SpanSpec[],
  resource: Record<string, string> = {},
  options: { projectOverride?: string | null; defaultProject: string } = { defaultProject: 'default' },
): SpanRecord[] {
  const spans = makeSpans(specs, resource);
  const fromProtobuf = decodeExportRequest(toProtobuf(spans), 'protobuf', options);
  const fromJson = decodeExportRequest(toJson(spans), 'json', options);
  expect(fromJson).toStrictEqual(fromProtobuf);
  expect(fromProtobuf).toHaveLength(specs.length);
  // Ids are what the SDK made.
  for (let i = 0; i < spans.length; i++) {
    expect(fromProtobuf[i]!.spanId).toBe(spans[i]!.spanContext().spanId);
    expect(fromProtobuf[i]!.traceId).toBe(spans[i]!.spanContext().traceId);
  }
  return fromProtobuf;
}

describe('decodeExportRequest: real SDK spans, protobuf and JSON alike', () => {
  it('decodes a trace with an LLM child: ids, times, kind, status, attributes, events', () => {
    const [root, llm] = roundTrip(
      [
        {
          name: 'agent',
          start: [T0, 123_456_789],
          end: [T0 + 2, 0],
          attributes: {
            'openinference.span.kind': 'agent',
            'session.id': 'session-1',
            'input.value': 'What is 2+2?',
            'output.value': '4',
          },
        },
        {
          name: 'llm-call',
          parent: 0,
          start: [T0, 500_000_000],
          end: [T0 + 1, 999_999_999],
          attributes: {
            'openinference.span.kind': 'LLM',
            'llm.token_count.prompt': 12,
            'llm.token_count.completion': 3,
            'llm.input_messages.0.message.role': 'system',
            'llm.input_messages.0.message.content': 'be brief',
            'llm.input_messages.1.message.role': 'user',
            'llm.input_messages.1.message.content': 'What is 2+2?',
            'llm.output_messages.0.message.role': 'assistant',
            'llm.invocation_parameters': '{"temperature":0}',
            metadata: '{"user":"ada","tags":["a"]}',
            'tag.tags': ['x', 'y'],
            'x.float': 0.25,
            'x.negative': -7,
            'x.big': 2 ** 53 - 1,
            'x.bool': false,
            'x.empty': '',
          },
          status: { code: SpanStatusCode.ERROR, message: 'rate limited' },
          events: [
            {
              name: 'exception',
              time: [T0 + 1, 0],
              attributes: { 'exception.type': 'RateLimit', 'exception.message': 'slow down' },
            },
            { name: 'retry', time: [T0 + 1, 5_000] },
          ],
        },
      ],
      { [SEMRESATTRS_PROJECT_NAME]: 'my-project', 'service.name': 'svc' },
    );
    expect(root).toMatchObject({
      projectName: 'my-project',
      parentId: null,
      name: 'agent',
      spanKind: 'AGENT',
      startTime: T0 * 1e6 + 123_456,
      endTime: (T0 + 2) * 1e6,
      statusCode: 'UNSET',
      statusMessage: '',
      sessionId: 'session-1',
      inputValue: 'What is 2+2?',
      outputValue: '4',
      llmTokenCountPrompt: 0,
      llmTokenCountCompletion: 0,
      events: [],
    });
    expect(llm!.parentId).toBe(root!.spanId);
    expect(llm!.traceId).toBe(root!.traceId);
    expect(llm).toMatchObject({
      name: 'llm-call',
      spanKind: 'LLM',
      startTime: T0 * 1e6 + 500_000,
      endTime: (T0 + 1) * 1e6 + 999_999,
      statusCode: 'ERROR',
      statusMessage: 'rate limited',
      sessionId: null,
      llmTokenCountPrompt: 12,
      llmTokenCountCompletion: 3,
      inputValue: null,
      outputValue: null,
    });
    expect(llm!.attributes).toStrictEqual({
      openinference: { span: { kind: 'LLM' } },
      llm: {
        token_count: { prompt: 12, completion: 3 },
        input_messages: [
          { message: { role: 'system', content: 'be brief' } },
          { message: { role: 'user', content: 'What is 2+2?' } },
        ],
        output_messages: [{ message: { role: 'assistant' } }],
        invocation_parameters: '{"temperature":0}',
      },
      metadata: { user: 'ada', tags: ['a'] },
      tag: { tags: ['x', 'y'] },
      x: { float: 0.25, negative: -7, big: 2 ** 53 - 1, bool: false, empty: '' },
    });
    expect(llm!.events).toStrictEqual([
      {
        name: 'exception',
        timestamp: '2024-01-01T00:00:01+00:00',
        attributes: { 'exception.type': 'RateLimit', 'exception.message': 'slow down' },
      },
      { name: 'retry', timestamp: '2024-01-01T00:00:01.000005+00:00', attributes: {} },
    ]);
  });

  it('span kind: upper-cased; UNKNOWN when absent, not a string or not an OpenInference kind', () => {
    const records = roundTrip([
      { name: 'a', start: [T0, 0], end: [T0, 0], attributes: { 'openinference.span.kind': 'retriever' } },
      { name: 'b', start: [T0, 0], end: [T0, 0] },
      { name: 'c', start: [T0, 0], end: [T0, 0], attributes: { 'openinference.span.kind': 'banana' } },
      { name: 'd', start: [T0, 0], end: [T0, 0], attributes: { 'openinference.span.kind': 3 } },
    ]);
    expect(records.map((r) => r.spanKind)).toEqual(['RETRIEVER', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
  });

  it('status codes and sessions', () => {
    const records = roundTrip([
      { name: 'ok', start: [T0, 0], end: [T0, 1], status: { code: SpanStatusCode.OK } },
      { name: 'unset', start: [T0, 0], end: [T0, 1], attributes: { 'session.id': '' } },
      { name: 'err', start: [T0, 0], end: [T0, 1], status: { code: SpanStatusCode.ERROR } },
      { name: 'num-session', start: [T0, 0], end: [T0, 1], attributes: { 'session.id': 42 } },
      { name: 'blank-session', start: [T0, 0], end: [T0, 1], attributes: { 'session.id': '   ' } },
    ]);
    expect(records.map((r) => [r.statusCode, r.statusMessage, r.sessionId])).toEqual([
      ['OK', '', null],
      ['UNSET', '', null],
      ['ERROR', '', null],
      ['UNSET', '', null],
      ['UNSET', '', null],
    ]);
  });

  it('token counts are whole numbers, 0 when absent or not numeric; input/output only when strings', () => {
    const [r] = roundTrip([
      {
        name: 's',
        start: [T0, 0],
        end: [T0, 1],
        attributes: {
          'llm.token_count.prompt': 'ten',
          'llm.token_count.completion': 2.5,
          'input.value': 5,
          'output.value': ['a'],
        },
      },
    ]);
    expect([r!.llmTokenCountPrompt, r!.llmTokenCountCompletion, r!.inputValue, r!.outputValue]).toEqual([
      0,
      3, // the stores' token columns are integers (PostgreSQL's refuse 2.5)
      null,
      null,
    ]);
  });

  it('JSON-string attributes (metadata, tool.parameters, ...) are parsed as Phoenix does', () => {
    const [r] = roundTrip([
      {
        name: 's',
        start: [T0, 0],
        end: [T0, 1],
        attributes: {
          metadata: '{"a":1}',
          'tool.parameters': 'not json',
          'llm.prompt_template.variables': '{}',
          'retrieval.documents.0.document.metadata': '{"source":"s3"}',
          'other.json': '{"a":1}',
        },
      },
    ]);
    expect(r!.attributes).toStrictEqual({
      metadata: { a: 1 },
      tool: { parameters: 'not json' },
      retrieval: { documents: [{ document: { metadata: { source: 's3' } } }] },
      other: { json: '{"a":1}' },
    });
  });

  it('skips links and everything else it does not use, and still reads what comes after them', () => {
    const linked = makeSpans([{ name: 'other', start: [T0, 0], end: [T0, 1] }])[0]!.spanContext();
    const [r] = roundTrip([
      {
        name: 'with-links',
        start: [T0, 0],
        end: [T0, 1],
        links: [{ context: linked, attributes: { 'link.attr': 'x' } }, { context: linked }],
        status: { code: SpanStatusCode.ERROR, message: 'after the links' },
      },
    ]);
    expect([r!.statusCode, r!.statusMessage]).toEqual(['ERROR', 'after the links']);
  });

  it('project: override, else resource attribute, else default', () => {
    const spec: SpanSpec[] = [{ name: 's', start: [T0, 0], end: [T0, 1] }];
    const res = { [SEMRESATTRS_PROJECT_NAME]: 'from-resource' };
    expect(
      roundTrip(spec, res, { projectOverride: 'from-header', defaultProject: 'd' })[0]!.projectName,
    ).toBe('from-header');
    expect(roundTrip(spec, res, { projectOverride: '', defaultProject: 'd' })[0]!.projectName).toBe(
      'from-resource',
    );
    expect(roundTrip(spec, res, { projectOverride: null, defaultProject: 'd' })[0]!.projectName).toBe(
      'from-resource',
    );
    expect(roundTrip(spec, {}, { defaultProject: 'env-default' })[0]!.projectName).toBe('env-default');
    expect(roundTrip(spec, { [SEMRESATTRS_PROJECT_NAME]: '' }, { defaultProject: 'd' })[0]!.projectName).toBe(
      'd',
    );
  });

  it('each resource has its own project', () => {
    const a = makeSpans([{ name: 'a', start: [T0, 0], end: [T0, 1] }], { [SEMRESATTRS_PROJECT_NAME]: 'pa' });
    const b = makeSpans([{ name: 'b', start: [T0, 0], end: [T0, 1] }], { [SEMRESATTRS_PROJECT_NAME]: 'pb' });
    for (const [body, enc] of [
      [toProtobuf([...a, ...b]), 'protobuf'],
      [toJson([...a, ...b]), 'json'],
    ] as const) {
      const records = decodeExportRequest(body, enc, { defaultProject: 'd' });
      expect(records.map((r) => [r.name, r.projectName])).toEqual([
        ['a', 'pa'],
        ['b', 'pb'],
      ]);
    }
  });

  it('a large request decodes the same in both encodings', () => {
    const specs: SpanSpec[] = Array.from({ length: 500 }, (_, i) => ({
      name: `s${i}`,
      start: [T0 + i, i * 1000 + 7],
      end: [T0 + i + 1, 0],
      parent: i % 10 === 0 ? undefined : i - (i % 10),
      attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': 'x'.repeat(i), [`k.${i % 3}.v`]: i },
    }));
    const records = roundTrip(specs);
    expect(records[499]!.startTime).toBe((T0 + 499) * 1e6 + 499);
    expect(records[490]!.inputValue).toBe('x'.repeat(490));
    // Only root spans keep input.value apart from their attributes (for session rollups).
    expect(records[499]!.inputValue).toBeNull();
    expect(JSON.parse(serializeSpanRecord(records[499]!).attributesJson).input.value).toBe('x'.repeat(499));
  });

  it('an empty protobuf body is an empty request; an empty JSON object too', () => {
    expect(decodeExportRequest(new Uint8Array(0), 'protobuf', { defaultProject: 'd' })).toEqual([]);
    expect(decodeExportRequest(Buffer.from('{}'), 'json', { defaultProject: 'd' })).toEqual([]);
    expect(decodeExportRequest(Buffer.from('{"resourceSpans":[]}'), 'json', { defaultProject: 'd' })).toEqual(
      [],
    );
  });

  it('throws only OtlpDecodeError', () => {
    expect(() => decodeExportRequest(Buffer.from('nope'), 'json', { defaultProject: 'd' })).toThrow(
      OtlpDecodeError,
    );
  });
});

describe('isoFromMicros', () => {
  it('prints like Python isoformat with a +00:00 offset', () => {
    expect(isoFromMicros(0)).toBe('1970-01-01T00:00:00+00:00');
    expect(isoFromMicros(1)).toBe('1970-01-01T00:00:00.000001+00:00');
    expect(isoFromMicros(T0 * 1e6 + 123_456)).toBe('2024-01-01T00:00:00.123456+00:00');
    expect(isoFromMicros(T0 * 1e6 + 120_000)).toBe('2024-01-01T00:00:00.120000+00:00');
    expect(isoFromMicros(951_782_400_000_000 - 1)).toBe('2000-02-28T23:59:59.999999+00:00');
  });
});
