import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isServerPath } from '../ui-api/static-ui.js';
import type { Authenticator, Principal } from './authenticator.js';
import { requestCredential } from './credentials.js';
import { rolesFor } from './roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as; null when authentication is off (or on an open route). */
    principal: Principal | null;
  }
}

/** Routes anyone may call: health, and the login routes themselves. */
const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/auth/login', '/auth/logout', '/auth/refresh']);
/** The single-page app's routes (static-ui.ts): its files are open, so that the login page loads. */
const UI_ROUTES = new Set(['/', '/*']);

/**
 * What a login session may do while its user must choose a new password (the default admin's first
 * login, a password an admin set): see who it is, and change the password (logout is open anyway).
 * API keys are not held back: only a session after the new password can mint them.
 */
const RESET_ROUTES = new Set(['GET /v1/user', 'PATCH /v1/user']);

function isOpen(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route === undefined) return false;
  if (OPEN_ROUTES.has(route)) return true;
  const path = request.url.split('?')[0] ?? '/';
  return (
    (request.method === 'GET' || request.method === 'HEAD') && UI_ROUTES.has(route) && !isServerPath(path)
  );
}

function refuse(reply: FastifyReply, detail: string): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({ detail });
}

/**
 * One check before every route (before its body is even read, so a refused export stores nothing):
 * `Authorization: Bearer`, Phoenix's `api_key` header, or the UI's access-token cookie.
 * The caller's role must then be one the role table (roles.ts) gives the route and method: else 403.
 */
export function requireAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (isOpen(request)) return;
    const credential = requestCredential(request.headers);
    if (credential === null) return refuse(reply, 'Not authenticated');
    const principal = credential === 'invalid' ? null : await authenticator.authenticate(credential);
    if (principal === null) return refuse(reply, 'Invalid credentials');
    const route = request.routeOptions.url ?? (request.url.split('?')[0] as string);
    if (!rolesFor(request.method, route).includes(principal.role)) {
      return reply
        .code(403)
        .send({ detail: `Forbidden: ${principal.role} may not ${request.method} ${route}` });
    }
    if (
      principal.passwordNeedsReset &&
      principal.via === 'access-token' &&
      !RESET_ROUTES.has(`${request.method} ${route}`)
    ) {
      return reply.code(403).send({
        detail: 'Password reset required: choose a new password (PATCH /v1/user) before anything else',
      });
    }
    request.principal = principal;
  });
}
