import { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { ServerConfig } from './config.js';

/**
 * The HTTP server's log: JSON lines (Fastify's pino logger) on stderr or in `config.logFile`. Every
 * 5xx is logged by the error handler (api/errors.ts) with its request id, route and error; with
 * `config.accessLog`, every answered request gets one line too. A caller's `x-request-id` is kept
 * as the request id, and every response names its id in `x-request-id`.
 */
export function httpLoggerOptions(config: ServerConfig): FastifyServerOptions {
  return {
    logger: {
      // 503s (saturation, a database out of reach) are warnings; 500s errors.
      level: config.accessLog ? 'info' : 'warn',
      ...(config.logFile ? { file: config.logFile } : { stream: process.stderr }),
    },
    // Fastify's own request logging writes two lines per request; the access log below writes one.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
  };
}

export function installAccessLog(app: FastifyInstance, config: ServerConfig): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (!config.accessLog) return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request answered',
    );
  });
}
