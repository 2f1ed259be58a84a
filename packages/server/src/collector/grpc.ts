import { randomUUID } from 'node:crypto';
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
  /** The server's log (Fastify's pino logger): every INTERNAL is an error line, every UNAVAILABLE a warning. */
  log?: GrpcLog | undefined;
}

/** The part of a pino logger the collector writes to. */
export interface GrpcLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * The fields of an HTTP 5xx's log line (api/errors.ts) for a gRPC call: its request id (the caller's
 * x-request-id, else a new one), method, url and route (the RPC's path), statusCode (the HTTP status
 * the gRPC code stands for: 500 for INTERNAL, 503 for UNAVAILABLE), grpcCode and the error.
 */
function callFields(call: ServerUnaryCall<Buffer, Uint8Array>, code: status, message: string) {
  const given = call.metadata.get('x-request-id')[0];
  const path = call.getPath();
  return {
    reqId: typeof given === 'string' && given !== '' ? given : randomUUID(),
    method: 'POST',
    url: path,
    route: path,
    statusCode: code === status.INTERNAL ? 500 : 503,
    grpcCode: code,
    err: new Error(message),
  };
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
      const internal = (message: string) => {
        options.log?.error(callFields(call, status.INTERNAL, message), 'request failed');
        callback({ code: status.INTERNAL, details: message });
      };
      const answer = (outcome: IngestOutcome | { status: 'unauthenticated' | 'forbidden' }) => {
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
            options.log?.warn(
              callFields(call, status.UNAVAILABLE, outcome.message),
              'request refused for now',
            );
            return callback({
              code: status.UNAVAILABLE,
              details: outcome.message,
              metadata: retryAfterMetadata(status.UNAVAILABLE, outcome.message, RETRY_AFTER_SECONDS),
            });
          case 'failed':
            return internal(outcome.message);
        }
      };
      // A rejection (a fault in the writer's client or the credential check's caller) is an INTERNAL too,
      // answered and logged, never a call left without an answer.
      outcome()
        .then(answer)
        .catch((error: unknown) => internal(error instanceof Error ? error.message : String(error)));
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
