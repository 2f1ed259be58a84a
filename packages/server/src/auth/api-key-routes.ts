import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { parseDateTime } from '../api/datetime.js';
import { RequestValidationError } from '../api/fastapi-errors.js';
import { splitPage } from '../api/pagination.js';
import { responses } from '../api/schemas/common.js';
import { AllUserApiKeysPage, ListAllUserApiKeysQuery } from '../api/schemas/user-api-keys.js';
import { ApiKeyIdParams, ApiKeysBody, CreateApiKeyBody, CreatedApiKeyBody } from '../api/schemas/users.js';
import { HttpError } from '../util/http-error.js';
import { nowMicros } from '../writer/sqlite/commands.js';
import { authOn, isAdmin, principalOf, requireAdmin } from './principal-checks.js';
import type { AuthRuntime } from './start-auth.js';
import { apiKeyData, globalId, rowIdOf } from './wire.js';

type CreateBody = { data: { name: string; description?: string | null; expires_at?: string | null } };

/** expires_at in micros (null: never); 422 naming it when unreadable or past. */
function expiry(text: string | null | undefined): number | null {
  if (text === undefined || text === null) return null;
  const parsed = parseDateTime(text);
  const problem = !parsed
    ? 'is not an ISO 8601 date-time'
    : parsed.micros <= nowMicros()
      ? 'is in the past'
      : null;
  if (problem) {
    throw new RequestValidationError([
      {
        loc: ['body', 'data', 'expires_at'],
        msg: `expires_at ${problem}: ${text}`,
        type: 'value_error',
        input: text,
      },
    ]);
  }
  return parsed!.micros;
}

/**
 * A user's own keys (/v1/user/api_keys) and the system keys (/v1/system/api_keys, admins). Keys are
 * made only from a login session (or, for system keys, the admin secret): a key cannot mint keys.
 */
export const apiKeyRoutes: FastifyPluginAsyncTypebox<{ auth: AuthRuntime | null }> = async (
  app,
  { auth },
) => {
  const tags = ['api_keys'];

  const create = async (request: FastifyRequest, body: CreateBody, kind: 'user' | 'system') => {
    const { store } = authOn(auth);
    const principal = kind === 'system' ? requireAdmin(request) : principalOf(request);
    const allowed =
      principal.via === 'access-token' || (kind === 'system' && principal.via === 'admin-secret');
    if (!allowed) throw new HttpError(403, 'API keys are created from a login session, not with an API key');
    const { name, description = null, expires_at } = body.data;
    const owner = kind === 'system' ? (await store.systemUser()).id : principal.userId;
    const { row, key } = await store.createApiKey({
      kind,
      userId: owner,
      name,
      description,
      expiresAt: expiry(expires_at),
    });
    return { data: { ...apiKeyData(row), key } };
  };

  const remove = async (request: FastifyRequest, api_key_id: string, kind: 'user' | 'system') => {
    const runtime = authOn(auth);
    const principal = kind === 'system' ? requireAdmin(request) : principalOf(request);
    const id = rowIdOf(api_key_id, kind === 'system' ? 'SystemApiKey' : 'UserApiKey');
    const key = id === null ? undefined : await runtime.store.findApiKeyById(id);
    // Users revoke their own keys; admins anyone's.
    const visible =
      key?.kind === kind && (kind === 'system' || key.user_id === principal.userId || isAdmin(principal));
    if (!key || !visible) throw new HttpError(404, `API key ${api_key_id} not found`);
    await runtime.store.deleteApiKey(key.id);
    runtime.authenticator.forget();
  };

  app.get(
    '/v1/user/api_keys',
    {
      schema: {
        tags,
        operationId: 'getUserApiKeys',
        summary: "List the authenticated user's API keys",
        response: responses(ApiKeysBody, 401, 403),
      },
    },
    async (request) => {
      const { store } = authOn(auth);
      const keys = await store.listApiKeys('user', principalOf(request).userId);
      return { data: keys.map(apiKeyData) };
    },
  );

  app.post(
    '/v1/user/api_keys',
    {
      schema: {
        tags,
        operationId: 'createUserApiKey',
        summary: 'Create an API key for the authenticated user',
        description:
          "The key inherits the user's role. Creation requires an access-token session; API keys cannot mint replacement keys. The key is in the response only.",
        body: CreateApiKeyBody,
        response: { ...responses(null, 401, 403), 201: CreatedApiKeyBody },
      },
    },
    async (request, reply) => reply.code(201).send(await create(request, request.body, 'user')),
  );

  app.delete(
    '/v1/user/api_keys/:api_key_id',
    {
      schema: {
        tags,
        operationId: 'deleteUserApiKey',
        summary: 'Delete a user API key',
        description: 'Users can revoke their own keys, and admins can revoke keys belonging to other users.',
        params: ApiKeyIdParams,
        response: responses(null, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await remove(request, request.params.api_key_id, 'user');
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/users/api_keys',
    {
      schema: {
        tags,
        operationId: 'getAllUserApiKeys',
        summary: 'List all user API keys',
        description:
          'Retrieve API keys belonging to human users across the organization. System API keys are excluded. Restricted to admins.',
        querystring: ListAllUserApiKeysQuery,
        response: responses(AllUserApiKeysPage, 401, 403),
      },
    },
    async (request) => {
      const { store } = authOn(auth);
      requireAdmin(request);
      const { cursor, limit } = request.query;
      const fromId = cursor ? rowIdOf(cursor, 'UserApiKey') : null;
      if (cursor && fromId === null) throw new HttpError(422, `Invalid cursor format: ${cursor}`);
      // Newest first; keys are few (people make them by hand), so one read of them all.
      const keys = (await store.listApiKeys('user'))
        .filter((key) => fromId === null || key.id <= fromId)
        .reverse();
      const page = splitPage(keys, limit);
      const owners = new Map<number, Awaited<ReturnType<typeof store.findUserById>>>();
      for (const key of page.rows) {
        if (!owners.has(key.user_id)) owners.set(key.user_id, await store.findUserById(key.user_id));
      }
      return {
        data: page.rows.map((key) => {
          const owner = owners.get(key.user_id);
          return {
            ...apiKeyData(key),
            user: {
              id: globalId('User', key.user_id),
              username: owner?.username ?? '',
              email: owner?.email ?? null,
            },
          };
        }),
        next_cursor: page.next ? globalId('UserApiKey', page.next.id) : null,
      };
    },
  );

  app.get(
    '/v1/system/api_keys',
    {
      schema: {
        tags,
        operationId: 'getSystemApiKeys',
        summary: 'List system API keys',
        response: responses(ApiKeysBody, 401, 403),
      },
    },
    async (request) => {
      const { store } = authOn(auth);
      requireAdmin(request);
      return { data: (await store.listApiKeys('system')).map(apiKeyData) };
    },
  );

  app.post(
    '/v1/system/api_keys',
    {
      schema: {
        tags,
        operationId: 'createSystemApiKey',
        summary: 'Create a system API key',
        description:
          'Restricted to admins, from an admin access-token session or the configured admin secret. The key is in the response only.',
        body: CreateApiKeyBody,
        response: { ...responses(null, 401, 403), 201: CreatedApiKeyBody },
      },
    },
    async (request, reply) => reply.code(201).send(await create(request, request.body, 'system')),
  );

  app.delete(
    '/v1/system/api_keys/:api_key_id',
    {
      schema: {
        tags,
        operationId: 'deleteSystemApiKey',
        summary: 'Delete a system API key',
        params: ApiKeyIdParams,
        response: responses(null, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await remove(request, request.params.api_key_id, 'system');
      return reply.code(204).send();
    },
  );
};
