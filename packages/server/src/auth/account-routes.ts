import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountUserBody, ChangePasswordBody, PatchUserBody } from '../api/schemas/account.js';
import { responses } from '../api/schemas/common.js';
import { UserIdParams } from '../api/schemas/users.js';
import { HttpError } from '../util/http-error.js';
import { DEFAULT_ADMIN, SYSTEM_USER } from './auth-store.js';
import { hashPassword, verifyPassword } from './password.js';
import { checkNewPassword } from './password-policy.js';
import { authOn, principalOf, requireAdmin } from './principal-checks.js';
import { startSession } from './session-cookies.js';
import type { AuthRuntime } from './start-auth.js';
import { rowIdOf, userData } from './wire.js';

/**
 * Password and role changes, which Phoenix makes through GraphQL (patchViewer, patchUser), as REST:
 * PATCH /v1/user (one's own password, from a login session) and PATCH /v1/users/{user_id} (admins:
 * a role, or a new password the user must replace at the next login).
 */
export const accountRoutes: FastifyPluginAsyncTypebox<{ auth: AuthRuntime | null }> = async (
  app,
  { auth },
) => {
  const tags = ['users'];

  app.patch(
    '/v1/user',
    {
      schema: {
        tags,
        operationId: 'changePassword',
        summary: "Change the authenticated user's password",
        description:
          "Sets a new password (at least 8 characters, not the current one) after checking the current one. Ends the user's other login sessions; the caller's session continues with new cookies. This is how a forced reset (the default admin's first login, a password set by an admin) is done. Only from a login session: an API key cannot change a password.",
        body: ChangePasswordBody,
        response: responses(AccountUserBody, 401, 403),
      },
    },
    async (request, reply) => {
      const runtime = authOn(auth);
      const principal = principalOf(request);
      if (principal.via !== 'access-token') {
        throw new HttpError(403, 'The password can be changed from a login session only');
      }
      const { current_password, new_password } = request.body;
      checkNewPassword(new_password, ['body', 'new_password'], current_password);
      const user = await runtime.store.findUserById(principal.userId);
      if (!user || !(await verifyPassword(current_password, user.password_hash))) {
        throw new HttpError(401, 'The current password is wrong');
      }
      const changed = await runtime.store.setPassword(user.id, await hashPassword(new_password), false);
      if (!changed) throw new HttpError(401, 'User not found');
      // Whoever knew the old password is logged out everywhere; this browser gets a new session.
      await runtime.store.deleteSessionsOf(user.id);
      runtime.authenticator.forget();
      await startSession(runtime, changed, reply);
      return { data: userData(changed) };
    },
  );

  app.patch(
    '/v1/users/:user_id',
    {
      schema: {
        tags,
        operationId: 'patchUser',
        summary: "Change a user's role or password (admins)",
        description:
          "Gives a user another role, or a new password that the user must replace at the next login (their login sessions end). The system user cannot be changed, nor the default admin's role.",
        params: UserIdParams,
        body: PatchUserBody,
        response: responses(AccountUserBody, 400, 403, 404),
      },
    },
    async (request) => {
      const runtime = authOn(auth);
      requireAdmin(request);
      const { user_id } = request.params;
      const { role, new_password } = request.body;
      if (new_password !== undefined) checkNewPassword(new_password, ['body', 'new_password']);
      const id = rowIdOf(user_id, 'User');
      let user = id === null ? undefined : await runtime.store.findUserById(id);
      if (!user) throw new HttpError(404, `User ${user_id} not found`);
      if (user.username === SYSTEM_USER.username) throw new HttpError(403, 'Cannot modify the system user');
      if (role !== undefined && role !== user.role) {
        if (role === 'SYSTEM') throw new HttpError(400, 'Role not found: SYSTEM cannot be given to a user');
        if (user.username === DEFAULT_ADMIN.username) {
          throw new HttpError(403, "Cannot change the default admin's role");
        }
        user = (await runtime.store.setRole(user.id, role)) ?? user;
      }
      if (new_password !== undefined) {
        user = (await runtime.store.setPassword(user.id, await hashPassword(new_password), true)) ?? user;
        await runtime.store.deleteSessionsOf(user.id);
      }
      runtime.authenticator.forget();
      return { data: userData(user) };
    },
  );
};
