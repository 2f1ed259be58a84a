/**
 * ExportTraceServiceResponse encoding (and decoding, for tests and clients):
 *   ExportTraceServiceResponse: 1 partial_success (ExportTracePartialSuccess)
 *   ExportTracePartialSuccess: 1 rejected_spans (int64), 2 error_message (string)
 */
import protobuf from 'protobufjs/minimal.js';
import { OtlpDecodeError } from './errors.js';

export type OtlpEncoding = 'protobuf' | 'json';

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export interface ExportTraceServiceResponse {
  partialSuccess?: PartialSuccess;
}

/**
 * The response body. Without `partialSuccess` it is the empty message: zero bytes (protobuf) or `{}`
 * (JSON). With it, JSON is `{"partialSuccess":{"rejectedSpans":"2","errorMessage":"…"}}` (int64 as a
 * decimal string, as the protobuf JSON mapping writes it; OTLP clients accept both forms).
 */
export function encodeExportResponse(encoding: 'protobuf', partialSuccess?: PartialSuccess): Uint8Array;
export function encodeExportResponse(encoding: 'json', partialSuccess?: PartialSuccess): string;
export function encodeExportResponse(
  encoding: OtlpEncoding,
  partialSuccess?: PartialSuccess,
): Uint8Array | string;
export function encodeExportResponse(
  encoding: OtlpEncoding,
  partialSuccess?: PartialSuccess,
): Uint8Array | string {
  if (encoding === 'json') {
    if (partialSuccess === undefined) return '{}';
    return JSON.stringify({
      partialSuccess: {
        rejectedSpans: String(Math.trunc(partialSuccess.rejectedSpans)),
        errorMessage: partialSuccess.errorMessage,
      },
    });
  }
  if (partialSuccess === undefined) return new Uint8Array(0);
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).fork();
  if (partialSuccess.rejectedSpans !== 0)
    w.uint32((1 << 3) | 0).int64(Math.trunc(partialSuccess.rejectedSpans));
  if (partialSuccess.errorMessage !== '') w.uint32((2 << 3) | 2).string(partialSuccess.errorMessage);
  w.ldelim();
  return w.finish();
}

/** Decodes a response body (either encoding). Throws OtlpDecodeError when it is malformed. */
export function decodeExportResponse(
  body: Uint8Array | string,
  encoding: OtlpEncoding,
): ExportTraceServiceResponse {
  try {
    if (encoding === 'json') {
      const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
      const doc = JSON.parse(text) as {
        partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown };
      };
      const p = doc.partialSuccess;
      if (p === undefined || p === null) return {};
      return {
        partialSuccess: {
          rejectedSpans: Number(p.rejectedSpans ?? 0),
          errorMessage: typeof p.errorMessage === 'string' ? p.errorMessage : '',
        },
      };
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    const r = protobuf.Reader.create(bytes);
    const out: ExportTraceServiceResponse = {};
    while (r.pos < r.len) {
      const t = r.uint32();
      if (t === ((1 << 3) | 2)) {
        const end = r.uint32() + r.pos;
        const p: PartialSuccess = out.partialSuccess ?? { rejectedSpans: 0, errorMessage: '' };
        while (r.pos < end) {
          const u = r.uint32();
          if (u === ((1 << 3) | 0)) p.rejectedSpans = Number(r.int64());
          else if (u === ((2 << 3) | 2)) p.errorMessage = r.string();
          else r.skipType(u & 7);
        }
        out.partialSuccess = p;
      } else r.skipType(t & 7);
    }
    return out;
  } catch (e) {
    throw new OtlpDecodeError(
      `Response body is invalid ExportTraceServiceResponse: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}
