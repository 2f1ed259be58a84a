import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HttpError } from '../util/http-error.js';
import { ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE, requestCookie } from './credentials.js';
import { RATE_LIMITED_PATHS } from './login-rate-limit.js';
import { verifyPassword } from './password.js';
import { authOn } from './principal-checks.js';
import { clearSessionCookies, startSession } from './session-cookies.js';
import type { AuthRuntime } from './start-auth.js';

const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }) },
  { title: 'LoginRequestBody' },
);

const NO_CONTENT = { 204: { description: 'No Content', type: 'null' } };

/**
 * The UI's session: /auth/login (email + password → the two cookies), /auth/refresh (a new pair
 * for a valid refresh token; the old session ends), /auth/logout (the session ends, cookies cleared).
 * All three are rate-limited per client address as in Phoenix (login-rate-limit.ts).
 */
export const loginRoutes: FastifyPluginAsyncTypebox<{ auth: AuthRuntime | null }> = async (app, { auth }) => {
  /** The session a request's cookies name (either token), if they hold a valid one. */
  const cookieSession = async (runtime: AuthRuntime, request: FastifyRequest) => {
    const refresh = requestCookie(request.headers, REFRESH_TOKEN_COOKIE);
    const access = requestCookie(request.headers, ACCESS_TOKEN_COOKIE);
    return (
      (refresh ? await runtime.tokens.verify('refresh', refresh) : null) ??
      (access ? await runtime.tokens.verify('access', access) : null)
    );
  };

  // Phoenix's per-address limit on these routes, before the body is parsed or anything is read.
  const limiter = auth?.loginRateLimiter;
  if (limiter) {
    app.addHook('onRequest', async (request) => {
      if (!RATE_LIMITED_PATHS.includes(request.routeOptions.url ?? '')) return;
      const retryAfter = limiter.take(request.ip);
      if (retryAfter !== null) {
        throw new HttpError(429, 'Too Many Requests', { 'retry-after': String(retryAfter) });
      }
    });
  }

  app.post(
    '/auth/login',
    {
      schema: {
        operationId: '_login_auth_login_post',
        summary: ' Login',
        description: 'Authenticate user via email/password and return access/refresh tokens.',
        body: LoginBody,
        response: { ...NO_CONTENT, 401: { description: 'Invalid email and/or password', type: 'string' } },
      },
    },
    async (request, reply) => {
      const runtime = authOn(auth);
      const { email, password } = request.body;
      const user = await runtime.store.findUserByEmail(email);
      // The same answer, and a password check, whether or not the email is known.
      const valid = await verifyPassword(password, user?.password_hash ?? null);
      if (!user || !valid) throw new HttpError(401, 'Invalid email and/or password');
      await startSession(runtime, user, reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        operationId: '_refresh_tokens_auth_refresh_post',
        summary: ' Refresh Tokens',
        description: 'Refresh access and refresh tokens.',
        response: { ...NO_CONTENT, 401: { description: 'Invalid refresh token', type: 'string' } },
      },
    },
    async (request, reply) => {
      const runtime = authOn(auth);
      const token = requestCookie(request.headers, REFRESH_TOKEN_COOKIE);
      const claims = token ? await runtime.tokens.verify('refresh', token) : null;
      const user = claims ? await runtime.store.findSessionUser(claims.sessionId) : undefined;
      if (!claims || !user || user.id !== claims.userId) {
        clearSessionCookies(runtime, reply);
        throw new HttpError(401, 'Invalid refresh token');
      }
      await runtime.store.deleteSession(claims.sessionId);
      await startSession(runtime, user, reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/logout',
    {
      schema: {
        operationId: '_logout_auth_logout_get',
        summary: ' Logout',
        description: 'Log out user by revoking tokens and clearing cookies.',
        response: NO_CONTENT,
      },
    },
    async (request, reply) => {
      const runtime = authOn(auth);
      const claims = await cookieSession(runtime, request);
      if (claims) {
        await runtime.store.deleteSession(claims.sessionId);
        runtime.authenticator.forget();
      }
      clearSessionCookies(runtime, reply);
      return reply.code(204).send();
    },
  );
};
