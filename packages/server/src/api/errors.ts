import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../util/http-error.js';
import {
  type FastApiErrorItem,
  fastApiDetail,
  invalidJsonDetail,
  RequestValidationError,
  type SchemaError,
} from './fastapi-errors.js';
import { bodyTooLargeDetail } from './limits.js';

/**
 * Errors answered as Phoenix answers them: the status code and a plain-text detail. Unknown routes
 * get FastAPI's JSON `{"detail": "Not Found"}`; invalid requests (schema, JSON) FastAPI's JSON 422.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const invalid = validationDetail(error, request);
    if (invalid) return reply.code(422).send({ detail: invalid });
    const statusCode =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (error instanceof HttpError) reply.headers(error.headers);
    if ('code' in error && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .type('text/plain; charset=utf-8')
        .send(bodyTooLargeDetail(request.routeOptions.bodyLimit));
    }
    if (statusCode >= 500) logServerError(request, statusCode, error);
    if (statusCode >= 500 && !(error instanceof HttpError)) {
      // The details are in the log (with the request id the response names), never in the answer.
      return reply.code(500).type('text/plain; charset=utf-8').send('Internal Server Error');
    }
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(error.message);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not Found' }));
}

/** FastAPI's 422 detail when the error is about an invalid request, else null. */
function validationDetail(
  error: FastifyError | HttpError,
  request: FastifyRequest,
): FastApiErrorItem[] | null {
  if (error instanceof RequestValidationError) return error.detail;
  if ('validation' in error && Array.isArray(error.validation)) {
    const part = error.validationContext ?? 'body';
    const input = part === 'body' ? request.body : part === 'querystring' ? request.query : request.params;
    return fastApiDetail(error.validation as unknown as SchemaError[], part, input);
  }
  const code = 'code' in error ? error.code : undefined;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return invalidJsonDetail(error.message);
  }
  return null;
}

/** One JSON line for a 5xx: the request id (pino's reqId), the route, and the error with its stack. */
function logServerError(request: FastifyRequest, statusCode: number, error: Error): void {
  const fields = {
    method: request.method,
    url: request.url,
    route: request.routeOptions.url,
    statusCode,
    err: error,
  };
  // A 503 is the server saying "later" (saturated, database out of reach); a 500 is a fault.
  if (statusCode === 503) request.log.warn(fields, 'request refused for now');
  else request.log.error(fields, 'request failed');
}
