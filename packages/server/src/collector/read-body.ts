import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { HttpError } from '../util/http-error.js';
import type { DecompressionBudget } from './decompression-budget.js';
import { RETRY_AFTER_SECONDS } from './outcome.js';

const INFLATE_CHUNK_BYTES = 256 * 1024;

/** Bytes of an oversize body read and thrown away (so the client sees our 413) before we hang up. */
const DRAIN_LIMIT_FACTOR = 4;

/**
 * Reads a whole request body (chunked or not). Past `limit` bytes it keeps nothing and, once the
 * client has finished sending, refuses the body with 413: hanging up mid-upload would make most
 * clients report a broken connection instead of the reason. A client that goes on sending far past
 * the limit is cut off.
 */
export async function readBody(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > limit * DRAIN_LIMIT_FACTOR) {
      stream.destroy();
      break;
    } else chunks.length = 0;
  }
  if (size > limit) throw tooLarge(limit);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** A decoded body and the budget it holds until `release()` (call it once the body is no longer needed). */
export interface DecodedBody {
  body: Buffer;
  release(): void;
}

/**
 * Undoes `Content-Encoding` (gzip, deflate, identity) as a stream, on zlib's thread pool. Every
 * decompressed chunk is counted against the request's `limit` (a gzip bomb is refused with 413, not
 * expanded) and taken from the server-wide `budget` (spent: 503 with Retry-After).
 */
export async function decodeContentEncoding(
  body: Buffer,
  encoding: string | undefined,
  limit: number,
  budget: DecompressionBudget,
): Promise<DecodedBody> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return { body, release: () => {} };
  if (name !== 'gzip' && name !== 'deflate' && name !== 'x-gzip') {
    throw new HttpError(415, `Unsupported content encoding: ${encoding}. Use gzip, deflate or none.`);
  }
  // Chunks of 256 KiB (zlib's default is 16): a 64 MiB body is 256 of them, not 4,096.
  const options = { chunkSize: INFLATE_CHUNK_BYTES };
  const inflater = name === 'deflate' ? createInflate(options) : createGunzip(options);
  const chunks: Buffer[] = [];
  let taken = 0;
  const release = () => {
    budget.give(taken);
    taken = 0;
  };
  try {
    inflater.end(body);
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      if (taken + chunk.length > limit) throw tooLarge(limit, 'decompressed ');
      if (!budget.tryTake(chunk.length)) {
        throw new HttpError(
          503,
          'The server is decompressing as many request bodies as it holds at once; retry shortly',
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      }
      taken += chunk.length;
      chunks.push(chunk);
    }
  } catch (error) {
    inflater.destroy();
    release();
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, `Request body is not valid ${name} data: ${(error as Error).message}`);
  }
  return { body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, taken), release };
}

function tooLarge(limit: number, what = ''): HttpError {
  return new HttpError(413, `Request ${what}body is larger than the limit of ${limit} bytes`);
}
