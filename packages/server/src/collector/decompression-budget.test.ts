/**
 * Compressed OTLP bodies inflate as a stream against the request's limit and one server-wide budget:
 * a bomb is refused without being expanded, a spent budget is a 503 with Retry-After, and every
 * byte taken is given back, whatever the outcome.
 */
import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { HttpError } from '../util/http-error.js';
import { DecompressionBudget } from './decompression-budget.js';
import { decodeContentEncoding } from './read-body.js';

const KiB = 1024;

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decodeContentEncoding', () => {
  it('inflates within the budget and gives it back on release', async () => {
    const budget = new DecompressionBudget(256 * KiB);
    const plain = Buffer.alloc(200 * KiB, 7);
    const decoded = await decodeContentEncoding(gzipSync(plain), 'gzip', 1024 * KiB, budget);
    expect(decoded.body.equals(plain)).toBe(true);
    expect(budget.inUse).toBe(plain.length);
    decoded.release();
    decoded.release();
    expect(budget.inUse).toBe(0);
  });

  it('answers 503 with Retry-After when the budget is spent, and holds nothing after', async () => {
    const budget = new DecompressionBudget(256 * KiB);
    expect(budget.tryTake(100 * KiB)).toBe(true);
    const error = await refusal(
      decodeContentEncoding(gzipSync(Buffer.alloc(200 * KiB)), 'gzip', 1024 * KiB, budget),
    );
    expect(error.statusCode).toBe(503);
    expect(error.headers['retry-after']).toBe('1');
    expect(budget.inUse).toBe(100 * KiB);
  });

  it('refuses a bomb with 413 once past the limit, without inflating the rest', async () => {
    const budget = new DecompressionBudget(64 * 1024 * KiB);
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * KiB));
    const error = await refusal(decodeContentEncoding(bomb, 'gzip', 1024 * KiB, budget));
    expect(error.statusCode).toBe(413);
    expect(budget.inUse).toBe(0);
  });

  it('refuses corrupt data with 400 and holds nothing after', async () => {
    const budget = new DecompressionBudget(1024 * KiB);
    const truncated = gzipSync(Buffer.alloc(100 * KiB, 1)).subarray(0, 60);
    expect((await refusal(decodeContentEncoding(truncated, 'gzip', 1024 * KiB, budget))).statusCode).toBe(
      400,
    );
    expect(
      (await refusal(decodeContentEncoding(Buffer.from('plain'), 'deflate', 1024 * KiB, budget))).statusCode,
    ).toBe(400);
    expect(budget.inUse).toBe(0);
  });
});

describe('a server under many compressed bodies at once', () => {
  const budgetBytes = 4 * 1024 * KiB;
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { maxBodyBytes: 2 * 1024 * KiB, decompressionBudgetBytes: budgetBytes });
  });
  afterAll(() => t.close());

  const post = (body: Uint8Array) =>
    fetch(`${t.server.url}/v1/traces`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    });

  it('answers 64 bombs with 413 or 503 (never 5xx otherwise), then stores a valid export (every byte given back)', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * KiB));
    const statuses = await Promise.all(Array.from({ length: 64 }, () => post(bomb).then((r) => r.status)));
    expect(statuses.filter((s) => s !== 413 && s !== 503)).toEqual([]);
    expect(statuses).toContain(413);
    // Every byte was given back: a valid export is stored.
    const valid = await post(gzipSync(ProtobufTraceSerializer.serializeRequest(conversationTurn())!));
    expect(valid.status).toBe(200);
    expect(t.query<{ n: number }>('SELECT count(*) AS n FROM spans')[0]!.n).toBe(3);
  });
});
