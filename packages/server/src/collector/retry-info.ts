import { Metadata } from '@grpc/grpc-js';
import protobuf from 'protobufjs/minimal.js';

/**
 * Trailers for a RESOURCE_EXHAUSTED answer that tell OTLP exporters to retry, and when: the OTLP
 * specification makes that code retryable only with a `google.rpc.RetryInfo` in the status details.
 */
export function retryAfterMetadata(code: number, message: string, delaySeconds: number): Metadata {
  const duration = protobuf.Writer.create().uint32(8).int64(delaySeconds).finish();
  const retryInfo = protobuf.Writer.create().uint32(10).bytes(duration).finish();
  const any = protobuf.Writer.create()
    .uint32(10)
    .string('type.googleapis.com/google.rpc.RetryInfo')
    .uint32(18)
    .bytes(retryInfo)
    .finish();
  const status = protobuf.Writer.create()
    .uint32(8)
    .int32(code)
    .uint32(18)
    .string(message)
    .uint32(26)
    .bytes(any);
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.finish()));
  return metadata;
}
