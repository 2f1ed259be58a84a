import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';

/** A bare OTLP/gRPC TraceService client: sends encoded ExportTraceServiceRequests as they are. */
export interface OtlpGrpcClient {
  /** Resolves with the call's error, or null when it succeeded. */
  exportRequest(body: Uint8Array): Promise<ServiceError | null>;
  /** Resolves with the ExportTraceServiceResponse bytes; rejects with the call's error. */
  exportForResponse(body: Uint8Array): Promise<Uint8Array>;
  close(): void;
}

const TraceServiceClient = makeGenericClientConstructor(
  {
    Export: {
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      requestStream: false,
      responseStream: false,
      requestSerialize: (bytes: Uint8Array) => Buffer.from(bytes),
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (bytes: Buffer) => bytes,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  },
  'TraceService',
);

export function otlpGrpcClient(port: number): OtlpGrpcClient {
  const client = new TraceServiceClient(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as {
    Export(body: Uint8Array, callback: (error: ServiceError | null, response?: Buffer) => void): void;
    close(): void;
  };
  return {
    exportRequest: (body) => new Promise((resolve) => client.Export(body, (error) => resolve(error))),
    exportForResponse: (body) =>
      new Promise((resolve, reject) =>
        client.Export(body, (error, response) =>
          error ? reject(error) : resolve(new Uint8Array(response!)),
        ),
      ),
    close: () => client.close(),
  };
}
