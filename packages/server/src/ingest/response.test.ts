import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeExportResponse, encodeExportResponse, OtlpDecodeError } from './index.js';

describe('ExportTraceServiceResponse', () => {
  it('the empty response is zero bytes / {}', () => {
    expect(encodeExportResponse('protobuf')).toEqual(new Uint8Array(0));
    expect(encodeExportResponse('json')).toBe('{}');
    expect(decodeExportResponse(new Uint8Array(0), 'protobuf')).toEqual({});
    expect(decodeExportResponse('{}', 'json')).toEqual({});
    // What the OpenTelemetry exporters make of it.
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('protobuf'))).toEqual({});
  });

  it('partial success round-trips, and the OpenTelemetry exporters read it', () => {
    const partial = { rejectedSpans: 3, errorMessage: '3 spans were already stored' };
    const bytes = encodeExportResponse('protobuf', partial);
    expect(bytes.length).toBeGreaterThan(0);
    expect(decodeExportResponse(bytes, 'protobuf')).toEqual({ partialSuccess: partial });
    expect(ProtobufTraceSerializer.deserializeResponse(bytes)).toEqual({ partialSuccess: partial });

    const json = encodeExportResponse('json', partial);
    expect(JSON.parse(json)).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: partial.errorMessage },
    });
    expect(decodeExportResponse(json, 'json')).toEqual({ partialSuccess: partial });
    expect(JsonTraceSerializer.deserializeResponse(Buffer.from(json))).toMatchObject({
      partialSuccess: { errorMessage: partial.errorMessage },
    });
  });

  it('a warning without rejected spans', () => {
    const partial = { rejectedSpans: 0, errorMessage: 'duplicates ignored' };
    expect(decodeExportResponse(encodeExportResponse('protobuf', partial), 'protobuf')).toEqual({
      partialSuccess: partial,
    });
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('protobuf', partial))).toEqual({
      partialSuccess: { errorMessage: 'duplicates ignored' },
    });
  });

  it('malformed responses throw OtlpDecodeError', () => {
    expect(() => decodeExportResponse('{', 'json')).toThrow(OtlpDecodeError);
    expect(() => decodeExportResponse(new Uint8Array([0x0a, 0x05, 0x08]), 'protobuf')).toThrow(
      OtlpDecodeError,
    );
  });
});
