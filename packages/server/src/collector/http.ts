import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { encodeExportResponse } from '../ingest/index.js';
import { HttpError } from '../util/http-error.js';
import type { IngestWriter } from '../writer/ingest-writer.js';
import type { OtlpEncoding } from '../writer/protocol.js';
import { DecompressionBudget } from './decompression-budget.js';
import { partialSuccess, RETRY_AFTER_SECONDS } from './outcome.js';
import { decodeContentEncoding, readBody } from './read-body.js';

export interface OtlpHttpOptions {
  writer: IngestWriter;
  defaultProject: string;
  /** Largest accepted body, before and after decompression. */
  maxBodyBytes: number;
  /** Bytes all bodies may take decompressed at once (decompression-budget.ts). */
  decompressionBudgetBytes: number;
}

const CONTENT_TYPES: Record<string, OtlpEncoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};
const RESPONSE_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

function encodingOf(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = CONTENT_TYPES[mediaType];
  if (!encoding) {
    throw new HttpError(
      415,
      `Unsupported content type: ${contentType ?? '(none)'}. Send application/x-protobuf or application/json.`,
    );
  }
  return encoding;
}

/** OTLP/HTTP trace collector: `POST /v1/traces`, protobuf or JSON, optionally gzip/deflate. */
export async function otlpHttpRoutes(app: FastifyInstance, options: OtlpHttpOptions): Promise<void> {
  const { writer, defaultProject, maxBodyBytes } = options;
  const budget = new DecompressionBudget(options.decompressionBudgetBytes);

  // The body is read here, raw: the content type decides the decoder, not Fastify's JSON parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async (request: FastifyRequest, payload: IncomingMessage) => {
    encodingOf(request.headers['content-type']);
    return readBody(payload, maxBodyBytes);
  });

  app.post('/v1/traces', { bodyLimit: maxBodyBytes }, async (request, reply) => {
    const encoding = encodingOf(request.headers['content-type']);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const decoded = await decodeContentEncoding(
      raw,
      request.headers['content-encoding'],
      maxBodyBytes,
      budget,
    );
    const projectHeader = request.headers['x-project-name'];
    const projectOverride =
      typeof projectHeader === 'string' && projectHeader.trim() ? projectHeader.trim() : null;
    const outcome = await writer
      .submit(decoded.body, encoding, { projectOverride, defaultProject })
      .finally(decoded.release);
    switch (outcome.status) {
      case 'stored':
        return reply
          .code(200)
          .type(RESPONSE_TYPES[encoding])
          .send(Buffer.from(encodeExportResponse(encoding, partialSuccess(outcome))));
      case 'invalid':
        throw new HttpError(400, outcome.message);
      case 'busy':
      case 'unavailable':
        throw new HttpError(503, outcome.message, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      case 'failed':
        throw new HttpError(500, outcome.message);
    }
  });
}
