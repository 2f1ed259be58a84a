import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { encodeExportResponse } from '../ingest/index.js';
import type { IngestWriter } from '../writer/ingest-writer.js';
import type { IngestOutcome } from '../writer/protocol.js';
import { partialSuccess, RETRY_AFTER_SECONDS } from './outcome.js';
import { retryAfterMetadata } from './retry-info.js';

export interface OtlpGrpcOptions {
  writer: IngestWriter;
  defaultProject: string;
  maxMessageBytes: number;
  /** With authentication on: whether the call's metadata holds a valid credential (`forbidden`: one that may not export). */
  authenticate?: ((metadata: Metadata) => Promise<unknown>) | undefined;
}

/**
 * TraceService/Export with identity (de)serializers: the request bytes go to the writer thread as
 * they are and are decoded there, exactly as on the HTTP path.
 */
const traceService: ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Uint8Array) => Buffer.from(value),
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (value: Uint8Array) => Buffer.from(value),
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

export interface GrpcCollector {
  port: number;
  close(): Promise<void>;
}

export async function startGrpcCollector(
  host: string,
  port: number,
  options: OtlpGrpcOptions,
): Promise<GrpcCollector> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
  });
  server.addService(traceService, {
    Export: (call: ServerUnaryCall<Buffer, Uint8Array>, callback: sendUnaryData<Uint8Array>) => {
      const header = call.metadata.get('x-project-name')[0];
      const projectOverride = typeof header === 'string' && header.trim() ? header.trim() : null;
      const outcome = async (): Promise<IngestOutcome | { status: 'unauthenticated' | 'forbidden' }> => {
        if (options.authenticate) {
          const principal = await options.authenticate(call.metadata).catch((error: Error) => error);
          if (principal instanceof Error) return { status: 'unavailable', message: principal.message };
          if (!principal) return { status: 'unauthenticated' };
          if (principal === 'forbidden') return { status: 'forbidden' };
        }
        return options.writer.submit(call.request, 'protobuf', {
          projectOverride,
          defaultProject: options.defaultProject,
        });
      };
      outcome().then((outcome) => {
        switch (outcome.status) {
          case 'unauthenticated':
            return callback({ code: status.UNAUTHENTICATED, details: 'Invalid or missing credentials' });
          case 'forbidden':
            return callback({
              code: status.PERMISSION_DENIED,
              details: 'This credential may not export spans',
            });
          case 'stored':
            return callback(null, encodeExportResponse('protobuf', partialSuccess(outcome)) as Uint8Array);
          case 'invalid':
            return callback({ code: status.INVALID_ARGUMENT, details: outcome.message });
          case 'busy':
            return callback({
              code: status.RESOURCE_EXHAUSTED,
              details: outcome.message,
              metadata: retryAfterMetadata(status.RESOURCE_EXHAUSTED, outcome.message, RETRY_AFTER_SECONDS),
            });
          case 'unavailable':
            return callback({
              code: status.UNAVAILABLE,
              details: outcome.message,
              metadata: retryAfterMetadata(status.UNAVAILABLE, outcome.message, RETRY_AFTER_SECONDS),
            });
          case 'failed':
            return callback({ code: status.INTERNAL, details: outcome.message });
        }
      });
    },
  });
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
