import type { Metadata } from '@grpc/grpc-js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AuthConfig } from './auth-config.js';
import { AuthStore, type ProvisionedAdmin } from './auth-store.js';
import { Authenticator, type Principal } from './authenticator.js';
import { bearerToken } from './credentials.js';
import { LoginRateLimiter } from './login-rate-limit.js';
import { rolesFor } from './roles.js';
import { SessionTokens } from './tokens.js';

/** Everything the server's authentication holds, made once at start (auth on only). */
export interface AuthRuntime {
  config: AuthConfig;
  store: AuthStore;
  tokens: SessionTokens;
  authenticator: Authenticator;
  /** PHOENIX_ADMINS given their random initial password at this start (logged once by the server). */
  provisionedAdmins: ProvisionedAdmin[];
  /** The session routes' per-address limit (login-rate-limit.ts); null when disabled. */
  loginRateLimiter: LoginRateLimiter | null;
  /**
   * gRPC: the `authorization` (or `api_key`) metadata's principal when it may export; `forbidden` when
   * its role may not (PERMISSION_DENIED, as 403 on OTLP/HTTP); null without a valid credential.
   */
  authenticateGrpc(metadata: Metadata): Promise<Principal | 'forbidden' | null>;
}

/** Creates the built-in users when missing, then the authenticator. */
export async function startAuth(config: AuthConfig, db: Kysely<Database>): Promise<AuthRuntime> {
  const store = new AuthStore(db);
  const provisionedAdmins = await store.bootstrap(config);
  const tokens = new SessionTokens(config.secret);
  const authenticator = new Authenticator(store, tokens, config.adminSecret);
  return {
    config,
    store,
    tokens,
    authenticator,
    provisionedAdmins,
    loginRateLimiter: config.loginRateLimit ? new LoginRateLimiter(config.loginRateLimit) : null,
    async authenticateGrpc(metadata) {
      const authorization = metadata.get('authorization')[0];
      const apiKey = metadata.get('api_key')[0];
      const token =
        typeof authorization === 'string'
          ? bearerToken(authorization)
          : typeof apiKey === 'string'
            ? apiKey.trim() || null
            : null;
      const principal = token === null ? null : await authenticator.authenticate({ source: 'header', token });
      // An export writes: a VIEWER's key is refused as on OTLP/HTTP (the role table's POST /v1/traces).
      if (principal === null) return null;
      return rolesFor('POST', '/v1/traces').includes(principal.role) ? principal : 'forbidden';
    },
  };
}
