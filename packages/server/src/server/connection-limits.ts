import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Bounds on the HTTP server's connections, so that slow or idle clients cannot exhaust its file
 * descriptors or memory: headers must arrive within `headersTimeoutMs` (408), a whole request within
 * `requestTimeoutMs` (408), and past `maxConnections` open at once a new connection is answered 503
 * with Retry-After and closed.
 */
export interface ConnectionLimits {
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How often Node looks for connections past those timeouts. */
  checkIntervalMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 4096,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  checkIntervalMs: 2_000,
};

/** Options for `http.createServer` (through Fastify's `http` option). */
export function httpServerOptions(limits: ConnectionLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
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
