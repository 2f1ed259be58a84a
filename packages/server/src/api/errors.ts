import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpError } from '../util/http-error.js';

/**
 * Errors answered as Phoenix answers them: the status code and a plain-text detail. Unknown routes
 * get FastAPI's JSON `{"detail": "Not Found"}`.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const statusCode =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (error instanceof HttpError) reply.headers(error.headers);
    if (statusCode >= 500 && !(error instanceof HttpError)) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).type('text/plain; charset=utf-8').send('Internal Server Error');
    }
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(error.message);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not Found' }));
}
