import { type Server, type ServerOptions, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/**
 * Bounds on the HTTP server's connections, so that slow or idle clients cannot exhaust its file
 * descriptors or memory: headers must arrive within `headersTimeoutMs` (408), a whole request within
 * `requestTimeoutMs` (408), an idle keep-alive connection is closed after `keepAliveTimeoutMs`, and
 * past `maxConnections` open at once a new connection is answered 503 with Retry-After and closed.
 * Request lines and headers together past `maxHeaderBytes` are answered 431, a URL past
 * `maxUrlBytes` 414; each with a JSON `detail` naming the bound and its variable.
 */
export interface ConnectionLimits {
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Node's maxHeaderSize: the request line and every header, in bytes. */
  maxHeaderBytes: number;
  /** The request target (path and query), in bytes; below maxHeaderBytes to be answered 414. */
  maxUrlBytes: number;
  /** How often Node looks for connections past those timeouts. */
  checkIntervalMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 4096,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  // Fastify's default, above the 60 s idle timeout of the usual load balancers (so they close first).
  keepAliveTimeoutMs: 72_000,
  maxHeaderBytes: 16_384,
  maxUrlBytes: 8_192,
  checkIntervalMs: 2_000,
};

/** Options for `http.createServer` (through Fastify's `http` option). */
export function httpServerOptions(limits: ConnectionLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
}

function rawResponse(status: number, detail: string): string {
  const body = JSON.stringify({ detail });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const seconds = (ms: number) => `${ms / 1000} s`;

/**
 * Fastify's `clientErrorHandler`: what Node refuses before a request exists (headers too large, too
 * slow, unparsable) is answered with a JSON detail that names the bound, then the socket closed.
 */
export function clientErrorHandler(limits: ConnectionLimits) {
  return function handleClientError(
    this: FastifyInstance,
    error: NodeJS.ErrnoException,
    socket: Duplex,
  ): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    let answer: string;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      answer = rawResponse(
        408,
        `The request did not arrive in time: headers within ${seconds(limits.headersTimeoutMs)} ` +
          `(FAWKES_HEADERS_TIMEOUT_SECONDS), the whole request within ${seconds(limits.requestTimeoutMs)} ` +
          '(FAWKES_REQUEST_TIMEOUT_SECONDS)',
      );
    } else if (error.code === 'HPE_HEADER_OVERFLOW') {
      answer = rawResponse(
        431,
        `The request line and headers are larger than ${limits.maxHeaderBytes} bytes (FAWKES_MAX_HEADER_BYTES)`,
      );
    } else {
      answer = rawResponse(400, `The request is not valid HTTP/1.1 (${error.code ?? error.message})`);
    }
    this.log.debug({ err: error }, 'client error');
    // As Fastify's own handler (and Node's): write, then close.
    if (socket.writable) socket.write(answer);
    socket.destroy();
  };
}

/** A URL past `maxUrlBytes` is answered 414 before routing (Node's header bound alone would make it 431). */
export function refuseLongUrls(app: FastifyInstance, maxUrlBytes: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (Buffer.byteLength(request.raw.url ?? '') <= maxUrlBytes) return;
    return reply
      .code(414)
      .header('connection', 'close')
      .send({ detail: `The URL is longer than ${maxUrlBytes} bytes (FAWKES_MAX_URL_BYTES)` });
  });
}

const OVER_CAPACITY_BODY = JSON.stringify({
  detail: 'The server has too many open connections: retry shortly',
});
const OVER_CAPACITY =
  'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\nConnection: close\r\n' +
  `Content-Length: ${Buffer.byteLength(OVER_CAPACITY_BODY)}\r\n\r\n${OVER_CAPACITY_BODY}`;
/** How long a refused client has to read its 503 and hang up. */
const REFUSED_LINGER_MS = 5_000;

/**
 * Answers a connection past the cap with a 503 of its own instead of handing it to HTTP (Node's
 * `maxConnections` drops it without a word). Call before `listen`.
 */
export function capConnections(server: Server, maxConnections: number): void {
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  let open = 0;
  server.on('connection', (socket: Socket) => {
    if (open >= maxConnections) {
      // Read and drop what it sends (unread bytes would turn our close into a reset before the 503 is read).
      socket.on('error', () => {});
      socket.resume();
      socket.end(OVER_CAPACITY);
      setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
      return;
    }
    open++;
    socket.once('close', () => {
      open--;
    });
    for (const handler of handlers) handler.call(server, socket);
  });
}
