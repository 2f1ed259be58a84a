import type { FastifyRequest } from 'fastify';
import { HttpError } from '../util/http-error.js';
import type { Principal } from './authenticator.js';
import type { AuthRuntime } from './start-auth.js';

/** The server's authentication, or Phoenix's 403 when it is off (these routes manage it). */
export function authOn(auth: AuthRuntime | null): AuthRuntime {
  if (!auth) throw new HttpError(403, 'Authentication is not enabled (PHOENIX_ENABLE_AUTH)');
  return auth;
}

/** Who asks (the onRequest check has made sure there is someone). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'Not authenticated');
  return request.principal;
}

export function isAdmin(principal: Principal): boolean {
  return principal.role === 'ADMIN' || principal.role === 'SYSTEM';
}

export function requireAdmin(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (!isAdmin(principal)) throw new HttpError(403, 'Only admins may do this');
  return principal;
}
