import { status } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { otlpGrpcClient } from '../../test-support/otlp-grpc-client.js';
import type { IngestWriter } from '../writer/ingest-writer.js';
import type { IngestOutcome } from '../writer/protocol.js';
import { type GrpcCollector, type GrpcLog, startGrpcCollector } from './grpc.js';

interface Line {
  level: 'error' | 'warn';
  message: string;
  fields: Record<string, unknown> & { err: Error };
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** A collector whose writer answers with `submit`; its log lines are kept. */
async function collectorWith(submit: IngestWriter['submit']) {
  const lines: Line[] = [];
  const log: GrpcLog = {
    error: (fields, message) => lines.push({ level: 'error', message, fields: fields as Line['fields'] }),
    warn: (fields, message) => lines.push({ level: 'warn', message, fields: fields as Line['fields'] }),
  };
  const writer: IngestWriter = { submit, healthy: true, close: async () => {} } as unknown as IngestWriter;
  const collector = await startGrpcCollector('127.0.0.1', 0, {
    writer,
    defaultProject: 'default',
    maxMessageBytes: 4 << 20,
    log,
  });
  return { collector, lines };
}

const body = () => ProtobufTraceSerializer.serializeRequest(conversationTurn())!;

describe('the gRPC collector log', () => {
  let collector: GrpcCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('logs an INTERNAL with the fields of an HTTP 5xx line (request id, method, url, route, status, error)', async () => {
    const started = await collectorWith(async () => ({
      status: 'failed',
      message: 'Cannot store spans: disk gone',
    }));
    collector = started.collector;
    const client = otlpGrpcClient(collector.port, { 'x-request-id': 'req-grpc-1' });
    try {
      const error = await client.exportRequest(body());
      expect(error?.code).toBe(status.INTERNAL);
      expect(error?.details).toBe('Cannot store spans: disk gone');
    } finally {
      client.close();
    }
    expect(started.lines).toHaveLength(1);
    const [line] = started.lines;
    expect(line).toMatchObject({
      level: 'error',
      message: 'request failed',
      fields: {
        reqId: 'req-grpc-1',
        method: 'POST',
        url: EXPORT_PATH,
        route: EXPORT_PATH,
        statusCode: 500,
        grpcCode: status.INTERNAL,
      },
    });
    expect(line?.fields.err).toBeInstanceOf(Error);
    expect(line?.fields.err.message).toBe('Cannot store spans: disk gone');
  });

  it('answers and logs an INTERNAL when the writer rejects, with a request id of its own without x-request-id', async () => {
    const started = await collectorWith(() => Promise.reject(new Error('writer client broke')));
    collector = started.collector;
    const client = otlpGrpcClient(collector.port);
    try {
      const error = await client.exportRequest(body());
      expect(error?.code).toBe(status.INTERNAL);
      expect(error?.details).toBe('writer client broke');
    } finally {
      client.close();
    }
    expect(started.lines).toHaveLength(1);
    expect(started.lines[0]).toMatchObject({ level: 'error', fields: { statusCode: 500, url: EXPORT_PATH } });
    expect(started.lines[0]?.fields.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.lines[0]?.fields.err.message).toBe('writer client broke');
  });

  it('logs UNAVAILABLE as a warning (as a 503) and nothing for answers that are not faults', async () => {
    const outcomes: IngestOutcome[] = [
      { status: 'unavailable', message: 'database out of reach' },
      { status: 'invalid', message: 'bad bytes' },
      { status: 'busy', message: 'saturated' },
    ];
    const started = await collectorWith(async () => outcomes.shift()!);
    collector = started.collector;
    const client = otlpGrpcClient(collector.port);
    try {
      expect((await client.exportRequest(body()))?.code).toBe(status.UNAVAILABLE);
      expect((await client.exportRequest(body()))?.code).toBe(status.INVALID_ARGUMENT);
      expect((await client.exportRequest(body()))?.code).toBe(status.RESOURCE_EXHAUSTED);
    } finally {
      client.close();
    }
    expect(started.lines.map((l) => [l.level, l.message, l.fields.statusCode])).toEqual([
      ['warn', 'request refused for now', 503],
    ]);
  });
});
