import type { FastifyInstance } from 'fastify';
import { typeboxValidatorCompiler } from '../api/request-validation.js';
import { accountRoutes } from './account-routes.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { loginRoutes } from './login-routes.js';
import type { AuthRuntime } from './start-auth.js';
import { userRoutes } from './user-routes.js';

/** Users, API keys and login, validated and written as the REST API's routes are (rest-api.ts). */
export async function authApi(app: FastifyInstance, options: { auth: AuthRuntime | null }): Promise<void> {
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(userRoutes, options);
  await app.register(accountRoutes, options);
  await app.register(apiKeyRoutes, options);
  await app.register(loginRoutes, options);
}
