import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cursorRowId, splitPage } from '../api/pagination.js';
import { responses } from '../api/schemas/common.js';
import {
  CreatedUserBody,
  CreateUserBody,
  ListUsersQuery,
  UserIdParams,
  UsersPage,
  ViewerBody,
} from '../api/schemas/users.js';
import { HttpError } from '../util/http-error.js';
import { DEFAULT_ADMIN, SYSTEM_USER } from './auth-store.js';
import { hashPassword } from './password.js';
import { authOn, principalOf, requireAdmin } from './principal-checks.js';
import type { AuthRuntime } from './start-auth.js';
import { globalId, rowIdOf, userData } from './wire.js';

/** GET /v1/user (who am I), and for admins GET/POST /v1/users, DELETE /v1/users/{user_id}. */
export const userRoutes: FastifyPluginAsyncTypebox<{ auth: AuthRuntime | null }> = async (app, { auth }) => {
  const tags = ['users'];

  app.get(
    '/v1/user',
    {
      schema: {
        tags,
        operationId: 'getViewer',
        summary: 'Get the authenticated user',
        description:
          'Returns the profile of the currently authenticated user. When authentication is disabled, returns an anonymous user representation.',
        response: responses(ViewerBody, 401, 403),
      },
    },
    async (request) => {
      if (!auth) return { data: { auth_method: 'ANONYMOUS' as const } };
      const user = await auth.store.findUserById(principalOf(request).userId);
      if (!user) throw new HttpError(401, 'User not found');
      return { data: userData(user) };
    },
  );

  app.get(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'getUsers',
        summary: 'List all users',
        description: 'Retrieve a paginated list of all users in the system.',
        querystring: ListUsersQuery,
        response: responses(UsersPage, 403),
      },
    },
    async (request) => {
      const { store } = authOn(auth);
      requireAdmin(request);
      const { cursor, limit } = request.query;
      const page = splitPage(await store.listUsers(cursorRowId(cursor), limit + 1), limit);
      return {
        data: page.rows.map(userData),
        next_cursor: page.next ? globalId('User', page.next.id) : null,
      };
    },
  );

  app.post(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'createUser',
        summary: 'Create a new user',
        description: 'Create a new user with the specified configuration.',
        body: CreateUserBody,
        response: { ...responses(null, 400, 403, 409), 201: CreatedUserBody },
      },
    },
    async (request, reply) => {
      const { store } = authOn(auth);
      requireAdmin(request);
      const { email, username, role, password } = request.body.user;
      if (role === 'SYSTEM') throw new HttpError(400, 'Role not found: SYSTEM cannot be given to a user');
      const user = await store.createUser({
        username,
        email,
        role,
        passwordHash: password === undefined ? null : await hashPassword(password),
        // Without a password the user must set one; with one chosen by an admin, Phoenix asks for a new one too.
        resetPassword: true,
      });
      if (!user) throw new HttpError(409, 'Username or email already exists');
      return reply.code(201).send({ data: userData(user) });
    },
  );

  app.delete(
    '/v1/users/:user_id',
    {
      schema: {
        tags,
        operationId: 'deleteUser',
        summary: 'Delete a user by ID',
        description: 'Delete an existing user by their unique GlobalID.',
        params: UserIdParams,
        response: responses(null, 403, 404),
      },
    },
    async (request, reply) => {
      const runtime = authOn(auth);
      requireAdmin(request);
      const { user_id } = request.params;
      const id = rowIdOf(user_id, 'User');
      const user = id === null ? undefined : await runtime.store.findUserById(id);
      if (!user) throw new HttpError(404, `User ${user_id} not found`);
      if (user.username === DEFAULT_ADMIN.username || user.username === SYSTEM_USER.username) {
        throw new HttpError(403, 'Cannot delete the default admin or system user');
      }
      if (!(await runtime.store.deleteUser(user.id))) throw new HttpError(404, `User ${user_id} not found`);
      runtime.authenticator.forget();
      return reply.code(204).send();
    },
  );
};
