import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface ApiResponse {
  status: number;
  contentType: string | null;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  json: any;
}

/** A small fetch wrapper for REST API tests: `api(url).get('/v1/projects')`. */
export function api(baseUrl: string) {
  const call = async (method: string, path: string, body?: unknown, raw = false): Promise<ApiResponse> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = raw ? (body as string) : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(baseUrl + path, init);
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, contentType: response.headers.get('content-type'), text, json };
  };
  return {
    get: (path: string) => call('GET', path),
    delete: (path: string) => call('DELETE', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    /** A POST whose body is sent as is (e.g. invalid JSON). */
    postRaw: (path: string, body: string) => call('POST', path, body, true),
  };
}

/** Sends spans made with the OpenTelemetry SDK to the server's OTLP/HTTP endpoint (protobuf). */
export async function sendSpans(baseUrl: string, spans: ReadableSpan[]): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: ProtobufTraceSerializer.serializeRequest(spans)!,
  });
  if (response.status !== 200)
    throw new Error(`OTLP export failed: ${response.status} ${await response.text()}`);
}

let idCounter = 0;

/** A fresh OpenTelemetry id: 16 (span) or 32 (trace) hex digits. */
export function otelId(bytes: 8 | 16): string {
  idCounter++;
  return (Date.now().toString(16) + idCounter.toString(16).padStart(6, '0'))
    .padStart(bytes * 2, '0')
    .slice(-bytes * 2);
}

export interface LoggedSpanOptions {
  traceId: string;
  spanId?: string;
  parentId?: string | null;
  name?: string;
  kind?: string;
  /** ISO 8601 with offset. */
  start: string;
  end?: string;
  statusCode?: 'OK' | 'ERROR' | 'UNSET';
  attributes?: Record<string, unknown>;
}

/** A span in Phoenix's REST shape, for `POST /v1/projects/{project}/spans`. */
export function loggedSpan(o: LoggedSpanOptions) {
  return {
    name: o.name ?? 'span',
    context: { trace_id: o.traceId, span_id: o.spanId ?? otelId(8) },
    span_kind: o.kind ?? 'CHAIN',
    parent_id: o.parentId ?? null,
    start_time: o.start,
    end_time: o.end ?? o.start,
    status_code: o.statusCode ?? 'OK',
    status_message: '',
    attributes: o.attributes ?? {},
    events: [],
  };
}
