import type { FastifyInstance } from 'fastify';
import { FAWKES_VERSION, PHOENIX_COMPATIBLE_VERSION } from '../version.js';

export interface HealthOptions {
  /** True once migrations ran and the writer can store spans. */
  ready: () => boolean;
}

export async function healthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('OK'));
  app.get('/readyz', async (_request, reply) =>
    options.ready()
      ? reply.type('text/plain; charset=utf-8').send('OK')
      : reply.code(503).type('text/plain; charset=utf-8').send('Not ready'),
  );
  app.get('/arize_phoenix_version', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(PHOENIX_COMPATIBLE_VERSION),
  );
  app.get('/version', async () => ({ fawkes: FAWKES_VERSION, phoenix: PHOENIX_COMPATIBLE_VERSION }));
}
