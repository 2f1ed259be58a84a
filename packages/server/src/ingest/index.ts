/**
 * OTLP trace ingest, the pure half: request bytes → validated, normalized `SpanRecord`s, and the
 * response bodies. No I/O; the collector routes (HTTP, gRPC) and the writer use it.
 */
import type { SpanRecord } from '../model/span-record.js';
import { decodeJsonRequest } from './decode-json.js';
import { decodeProtobufRequest } from './decode-protobuf.js';
import { INVALID_REQUEST, OtlpDecodeError } from './errors.js';
import {
  type NormalizedRequest,
  type NormalizeOptions,
  normalizeRequestPartially,
  type RawResourceSpans,
} from './normalize.js';
import type { OtlpEncoding } from './response.js';

export { OtlpDecodeError } from './errors.js';
export type { NormalizedRequest, NormalizeOptions as DecodeOptions, RejectedSpans } from './normalize.js';
export {
  decodeExportResponse,
  type ExportTraceServiceResponse,
  encodeExportResponse,
  type OtlpEncoding,
  type PartialSuccess,
} from './response.js';

/**
 * Decodes an OTLP ExportTraceServiceRequest body (already decompressed) into span records; invalid
 * spans are left out and reported in `rejected` (OTLP's partial success).
 *
 * Project of each span: `options.projectOverride` (the `x-project-name` header) when a non-empty
 * string, else the resource attribute `openinference.project.name` when a non-empty string, else
 * `options.defaultProject`.
 *
 * Throws OtlpDecodeError, and nothing else, when the body itself is malformed; its message is meant
 * for the client.
 */
export function decodeExportRequestPartially(
  body: Uint8Array,
  contentType: OtlpEncoding,
  options: { projectOverride?: string | null; defaultProject: string },
): NormalizedRequest {
  try {
    const raw: RawResourceSpans[] =
      contentType === 'json' ? decodeJsonRequest(body) : decodeProtobufRequest(body);
    return normalizeRequestPartially(raw, options satisfies NormalizeOptions);
  } catch (e) {
    if (e instanceof OtlpDecodeError) throw e;
    // Not expected; still bad input as far as the client is concerned (e.g. a stack overflow).
    throw new OtlpDecodeError(`${INVALID_REQUEST}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

/** As decodeExportRequestPartially, but any invalid span is an OtlpDecodeError naming it. */
export function decodeExportRequest(
  body: Uint8Array,
  contentType: OtlpEncoding,
  options: { projectOverride?: string | null; defaultProject: string },
): SpanRecord[] {
  const { spans, rejected } = decodeExportRequestPartially(body, contentType, options);
  if (rejected) throw new OtlpDecodeError(rejected.message);
  return spans;
}
