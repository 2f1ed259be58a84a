import { credentials, Metadata, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';

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

/** `metadata`: sent with every call (e.g. `authorization: Bearer …`). */
export function otlpGrpcClient(port: number, metadata: Record<string, string> = {}): OtlpGrpcClient {
  const client = new TraceServiceClient(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as {
    Export(
      body: Uint8Array,
      metadata: Metadata,
      callback: (error: ServiceError | null, response?: Buffer) => void,
    ): void;
    close(): void;
  };
  const callMetadata = () => {
    const m = new Metadata();
    for (const [key, value] of Object.entries(metadata)) m.set(key, value);
    return m;
  };
  return {
    exportRequest: (body) =>
      new Promise((resolve) => client.Export(body, callMetadata(), (error) => resolve(error))),
    exportForResponse: (body) =>
      new Promise((resolve, reject) =>
        client.Export(body, callMetadata(), (error, response) =>
          error ? reject(error) : resolve(new Uint8Array(response!)),
        ),
      ),
    close: () => client.close(),
  };
}
