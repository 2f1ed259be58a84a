import { serialize } from 'cookie';
import type { FastifyReply } from 'fastify';
import type { UserRow } from './auth-store.js';
import { ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE } from './credentials.js';
import type { AuthRuntime } from './start-auth.js';

/**
 * The access token's lifetime in seconds, on the answers that set a new session: the UI cannot read
 * its HttpOnly cookies, and refreshes ahead of this.
 */
export const ACCESS_EXPIRES_IN_HEADER = 'x-access-token-expires-in';

function cookie(runtime: AuthRuntime, name: string, value: string, maxAgeSeconds: number): string {
  return serialize(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: runtime.config.secureCookies,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

/** A new login session for `user`: its two cookies go on `reply`. */
export async function startSession(runtime: AuthRuntime, user: UserRow, reply: FastifyReply): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const accessSeconds = Math.round(runtime.config.accessTokenExpiryMinutes * 60);
  const refreshSeconds = Math.round(runtime.config.refreshTokenExpiryMinutes * 60);
  const sessionId = await runtime.store.createSession(user.id, (now + refreshSeconds) * 1_000_000);
  const claims = { userId: user.id, sessionId };
  const access = await runtime.tokens.sign('access', claims, now + accessSeconds);
  const refresh = await runtime.tokens.sign('refresh', claims, now + refreshSeconds);
  reply.header('set-cookie', [
    cookie(runtime, ACCESS_TOKEN_COOKIE, access, accessSeconds),
    cookie(runtime, REFRESH_TOKEN_COOKIE, refresh, refreshSeconds),
  ]);
  reply.header(ACCESS_EXPIRES_IN_HEADER, String(accessSeconds));
}

export function clearSessionCookies(runtime: AuthRuntime, reply: FastifyReply): void {
  reply.header('set-cookie', [
    cookie(runtime, ACCESS_TOKEN_COOKIE, '', 0),
    cookie(runtime, REFRESH_TOKEN_COOKIE, '', 0),
  ]);
}
