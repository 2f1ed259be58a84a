import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserRole } from '../store/schema.js';
import { nowMicros } from '../writer/sqlite/commands.js';
import { apiKeyMatches, parseApiKey } from './api-key-secret.js';
import type { AuthStore, UserRow } from './auth-store.js';
import type { Credential } from './credentials.js';
import type { SessionTokens } from './tokens.js';

/** Who a request acts as. */
export interface Principal {
  userId: number;
  username: string;
  role: UserRole;
  /** How it proved it: Phoenix lets only an access-token session (or the admin secret) mint keys. */
  via: 'api-key' | 'access-token' | 'admin-secret';
  /** The login session, for an access token. */
  sessionId?: string;
  /** The user must choose a new password first (Phoenix's forced reset). */
  passwordNeedsReset: boolean;
  /**
   * When the credential stops working (epoch ms): an access token's expiry, an API key's expiry;
   * absent for the admin secret and keys without one. A live stream it opened ends then.
   */
  expiresAtMs?: number;
}

/**
 * How long a verdict on a credential is reused. Every server sharing the database looks again at
 * least this often, so a revoked key or a logged-out session stops working everywhere within it
 * (the bound is 1 s; the rest is the lookup's own time).
 */
export const VERDICT_TTL_MS = 500;
/** Verdicts kept at most (a flood of made-up tokens must not grow the process). */
const MAX_VERDICTS = 10_000;

interface Verdict {
  principal: Principal | null;
  until: number;
}

function principalOf(user: UserRow, via: Principal['via'], sessionId?: string): Principal {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    via,
    ...(sessionId ? { sessionId } : {}),
    passwordNeedsReset: user.reset_password === 1,
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Checks credentials: the admin secret, API keys (`fawkes_…`, a salted SHA-256: the keys are random,
 * so no KDF is needed) and the session's access tokens. Verdicts, good and bad, are cached for
 * VERDICT_TTL_MS and concurrent checks of one credential share one lookup, so a busy exporter costs
 * the database one query per key every half second.
 */
export class Authenticator {
  private readonly verdicts = new Map<string, Verdict>();
  private readonly inFlight = new Map<string, Promise<Principal | null>>();
  private readonly adminSecretHash: Buffer | null;

  constructor(
    private readonly store: AuthStore,
    private readonly tokens: SessionTokens,
    adminSecret: string | null,
    private readonly clock: () => number = Date.now,
  ) {
    this.adminSecretHash = adminSecret === null ? null : sha256(adminSecret);
  }

  async authenticate(credential: Credential): Promise<Principal | null> {
    const cacheKey = `${credential.source}:${credential.token}`;
    const cached = this.verdicts.get(cacheKey);
    if (cached && cached.until > this.clock()) return cached.principal;
    const pending = this.inFlight.get(cacheKey);
    if (pending) return pending;
    const lookup = this.lookUp(credential).finally(() => this.inFlight.delete(cacheKey));
    this.inFlight.set(cacheKey, lookup);
    return lookup;
  }

  /** Forgets every verdict (this server just revoked something: no need to wait for the TTL here). */
  forget(): void {
    this.verdicts.clear();
  }

  private async lookUp(credential: Credential): Promise<Principal | null> {
    const { principal, expiresAtMs } = await this.check(credential);
    if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
    const now = this.clock();
    this.verdicts.set(`${credential.source}:${credential.token}`, {
      principal,
      until: Math.min(now + VERDICT_TTL_MS, expiresAtMs ?? Number.POSITIVE_INFINITY),
    });
    return principal;
  }

  private async check(
    credential: Credential,
  ): Promise<{ principal: Principal | null; expiresAtMs?: number }> {
    const { token } = credential;
    if (credential.source === 'header' && this.adminSecretHash) {
      if (timingSafeEqual(sha256(token), this.adminSecretHash)) {
        return { principal: principalOf(await this.store.systemUser(), 'admin-secret') };
      }
    }
    const apiKey = credential.source === 'header' ? parseApiKey(token) : null;
    if (apiKey) {
      const found = await this.store.findApiKey(apiKey.keyId);
      if (!found || !apiKeyMatches(apiKey.secret, found.key.salt, found.key.key_hash))
        return { principal: null };
      const expiresAt = found.key.expires_at;
      if (expiresAt !== null && expiresAt <= nowMicros()) return { principal: null };
      if (expiresAt === null) return { principal: principalOf(found.user, 'api-key') };
      const expiresAtMs = expiresAt / 1000;
      return { principal: { ...principalOf(found.user, 'api-key'), expiresAtMs }, expiresAtMs };
    }
    const claims = await this.tokens.verify('access', token);
    if (!claims) return { principal: null };
    const user = await this.store.findSessionUser(claims.sessionId);
    if (!user || user.id !== claims.userId) return { principal: null };
    const expiresAtMs = claims.expiresAtSeconds * 1000;
    return {
      principal: { ...principalOf(user, 'access-token', claims.sessionId), expiresAtMs },
      expiresAtMs,
    };
  }
}
