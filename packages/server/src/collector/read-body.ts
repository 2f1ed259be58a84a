import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { HttpError } from '../util/http-error.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

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

/**
 * Undoes `Content-Encoding` (gzip, deflate, identity), on zlib's thread pool. The output is capped
 * at `limit` bytes, so a small body that inflates to gigabytes (a gzip bomb) is refused, not expanded.
 */
export async function decodeContentEncoding(
  body: Buffer,
  encoding: string | undefined,
  limit: number,
): Promise<Buffer> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return body;
  if (name !== 'gzip' && name !== 'deflate' && name !== 'x-gzip') {
    throw new HttpError(415, `Unsupported content encoding: ${encoding}. Use gzip, deflate or none.`);
  }
  try {
    const inflater = name === 'deflate' ? inflateAsync : gunzipAsync;
    return await inflater(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(limit, 'decompressed ');
    throw new HttpError(400, `Request body is not valid ${name} data: ${(error as Error).message}`);
  }
}

function tooLarge(limit: number, what = ''): HttpError {
  return new HttpError(413, `Request ${what}body is larger than the limit of ${limit} bytes`);
}
