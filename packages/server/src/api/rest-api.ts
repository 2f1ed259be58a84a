import type { FastifyInstance } from 'fastify';
import { openApiRoutes } from './openapi.js';
import { typeboxValidatorCompiler } from './request-validation.js';
import { annotationConfigRoutes } from './routes/annotation-configs.js';
import { annotationListRoutes } from './routes/annotation-lists.js';
import { annotationRoutes } from './routes/annotations.js';
import type { ApiContext } from './routes/context.js';
import { costRoutes } from './routes/costs.js';
import { inferenceExportsRoutes } from './routes/inference-exports.js';
import { inferencePointCloudRoutes } from './routes/inference-point-cloud.js';
import { inferencesRoutes } from './routes/inferences.js';
import { metricRoutes } from './routes/metrics.js';
import { modelPriceRoutes } from './routes/model-prices.js';
import { projectRoutes } from './routes/projects.js';
import { retentionRoutes } from './routes/retention.js';
import { sessionRoutes } from './routes/sessions.js';
import { spanRoutes } from './routes/spans.js';
import { traceRoutes } from './routes/traces.js';

export type { ApiContext } from './routes/context.js';

/**
 * Phoenix's REST API (`/v1/...`), its OpenAPI document and docs page. Requests are validated from
 * the routes' TypeBox schemas (errors as FastAPI's 422); responses are written with JSON.stringify,
 * the response schemas only document them.
 */
export async function restApi(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(openApiRoutes);
  await app.register(projectRoutes, context);
  await app.register(modelPriceRoutes, context);
  await app.register(costRoutes, context);
  await app.register(retentionRoutes, context);
  await app.register(traceRoutes, context);
  await app.register(spanRoutes, context);
  await app.register(sessionRoutes, context);
  await app.register(annotationRoutes, context);
  await app.register(annotationListRoutes, context);
  await app.register(annotationConfigRoutes, context);
  await app.register(metricRoutes, context);
  await app.register(inferencesRoutes, context);
  await app.register(inferenceExportsRoutes, context);
  await app.register(inferencePointCloudRoutes, context);
}
