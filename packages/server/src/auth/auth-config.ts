import { ConfigError } from '../server/config.js';
import { type LoginRateLimitOptions, PHOENIX_LOGIN_RATE_LIMIT } from './login-rate-limit.js';

/** Authentication settings (PHOENIX_ENABLE_AUTH and friends); null on the server config when auth is off. */
export interface AuthConfig {
  /** Signs the session tokens (PHOENIX_SECRET). */
  secret: string;
  /** A bearer token acting as the system user (PHOENIX_ADMIN_SECRET), if set. */
  adminSecret: string | null;
  /** The first admin's password (PHOENIX_DEFAULT_ADMIN_INITIAL_PASSWORD); reset forced at first login. */
  defaultAdminInitialPassword: string;
  /** Admins provisioned at start (PHOENIX_ADMINS="name=email;…"). */
  admins: { username: string; email: string }[];
  accessTokenExpiryMinutes: number;
  refreshTokenExpiryMinutes: number;
  /** Adds `Secure` to the session cookies (PHOENIX_USE_SECURE_COOKIES). */
  secureCookies: boolean;
  /**
   * The session routes' per-address token bucket (login-rate-limit.ts: Phoenix's 0.2 per second, 12
   * at most); null under PHOENIX_DISABLE_RATE_LIMIT=true.
   */
  loginRateLimit: LoginRateLimitOptions | null;
}

/** Phoenix's defaults (its environment-variable documentation). */
export const AUTH_DEFAULTS = {
  defaultAdminInitialPassword: 'admin',
  accessTokenExpiryMinutes: 10,
  refreshTokenExpiryMinutes: 43_200,
} as const;

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new ConfigError(`${name} must be true or false, got '${value}'`);
}

/** Phoenix's rule for PHOENIX_SECRET and PHOENIX_ADMIN_SECRET; the reason, or null when it holds. */
export function secretProblem(secret: string): string | null {
  const problems: string[] = [];
  if (secret.length < 32) problems.push(`is ${secret.length} characters long (at least 32 are needed)`);
  if (!/\d/.test(secret)) problems.push('has no digit');
  if (!/[a-z]/.test(secret)) problems.push('has no lower-case letter');
  return problems.length ? problems.join(', ') : null;
}

function minutes(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value.trim());
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(`${name} must be a positive number of minutes, got '${value}'`);
  return n;
}

/** "John Doe=john@example.com;Jane=jane@example.com" → pairs; usernames and emails each once. */
export function parseAdmins(value: string | undefined): { username: string; email: string }[] {
  if (!value?.trim()) return [];
  const admins: { username: string; email: string }[] = [];
  for (const entry of value.split(';')) {
    if (!entry.trim()) continue;
    const at = entry.lastIndexOf('=');
    const username = entry.slice(0, Math.max(at, 0)).trim();
    const email = entry.slice(at + 1).trim();
    if (at < 0 || !username || !/^[^@\s]+@[^@\s]+$/.test(email)) {
      throw new ConfigError(`PHOENIX_ADMINS: '${entry.trim()}' is not username=email`);
    }
    if (admins.some((a) => a.username === username || a.email.toLowerCase() === email.toLowerCase())) {
      throw new ConfigError(`PHOENIX_ADMINS: '${entry.trim()}' repeats a username or an email`);
    }
    admins.push({ username, email });
  }
  return admins;
}

/** The auth settings from the environment, null when PHOENIX_ENABLE_AUTH is not true; refuses bad secrets with the reason. */
export function resolveAuthConfig(env: NodeJS.ProcessEnv): AuthConfig | null {
  if (!flag('PHOENIX_ENABLE_AUTH', env.PHOENIX_ENABLE_AUTH)) return null;
  const secret = env.PHOENIX_SECRET ?? '';
  if (!secret) throw new ConfigError('PHOENIX_ENABLE_AUTH=true needs PHOENIX_SECRET');
  const secretIssue = secretProblem(secret);
  if (secretIssue) throw new ConfigError(`PHOENIX_SECRET ${secretIssue}`);
  const adminSecret = env.PHOENIX_ADMIN_SECRET || null;
  if (adminSecret !== null) {
    const issue = secretProblem(adminSecret);
    if (issue) throw new ConfigError(`PHOENIX_ADMIN_SECRET ${issue}`);
    if (adminSecret === secret) throw new ConfigError('PHOENIX_ADMIN_SECRET must differ from PHOENIX_SECRET');
  }
  return {
    secret,
    adminSecret,
    defaultAdminInitialPassword:
      env.PHOENIX_DEFAULT_ADMIN_INITIAL_PASSWORD || AUTH_DEFAULTS.defaultAdminInitialPassword,
    admins: parseAdmins(env.PHOENIX_ADMINS),
    accessTokenExpiryMinutes: minutes(
      'PHOENIX_ACCESS_TOKEN_EXPIRY_MINUTES',
      env.PHOENIX_ACCESS_TOKEN_EXPIRY_MINUTES,
      AUTH_DEFAULTS.accessTokenExpiryMinutes,
    ),
    refreshTokenExpiryMinutes: minutes(
      'PHOENIX_REFRESH_TOKEN_EXPIRY_MINUTES',
      env.PHOENIX_REFRESH_TOKEN_EXPIRY_MINUTES,
      AUTH_DEFAULTS.refreshTokenExpiryMinutes,
    ),
    secureCookies: flag('PHOENIX_USE_SECURE_COOKIES', env.PHOENIX_USE_SECURE_COOKIES),
    loginRateLimit: flag('PHOENIX_DISABLE_RATE_LIMIT', env.PHOENIX_DISABLE_RATE_LIMIT)
      ? null
      : { ...PHOENIX_LOGIN_RATE_LIMIT },
  };
}
