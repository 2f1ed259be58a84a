import type { SwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { FAWKES_VERSION, PHOENIX_COMPATIBLE_VERSION } from '../version.js';

/**
 * The OpenAPI document is generated from the routes' schemas by @fastify/swagger, which must be
 * registered on the root app before any route (see buildHttpApp).
 */
export const OPENAPI_OPTIONS: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Fawkes',
      version: FAWKES_VERSION,
      description: `LLM observability server speaking Arize Phoenix's REST API (Phoenix ${PHOENIX_COMPATIBLE_VERSION}).`,
    },
  },
  transformObject: (document) =>
    'openapiObject' in document
      ? defaultedParametersOptional(document.openapiObject)
      : document.swaggerObject,
};

interface ParameterObject {
  in?: string;
  required?: boolean;
  schema?: { default?: unknown };
}

/**
 * A query parameter with a default is optional, as in FastAPI's documents (and so for clients
 * generated from ours); the route schemas list it as required only so that validation fills the
 * default in.
 */
function defaultedParametersOptional<T extends { paths?: object }>(document: T): T {
  for (const path of Object.values(document.paths ?? {}) as Record<string, unknown>[]) {
    for (const operation of Object.values(path) as { parameters?: ParameterObject[] }[]) {
      for (const parameter of operation?.parameters ?? []) {
        if (parameter.in === 'query' && parameter.schema?.default !== undefined) parameter.required = false;
      }
    }
  }
  return document;
}

/** `GET /openapi.json` and the docs page at `/docs`. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
