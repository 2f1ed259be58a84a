import type { AuthConfig } from '../src/auth/auth-config.js';

/** Authentication on, for tests: valid secrets, Phoenix's default admin password, one PHOENIX_ADMINS entry, no login rate limit. */
export const TEST_AUTH: AuthConfig = {
  secret: 'test-secret-0123456789-abcdefghijklmnop',
  adminSecret: 'test-admin-secret-0123456789-abcdefghij',
  defaultAdminInitialPassword: 'admin',
  admins: [{ username: 'Ann Lee', email: 'ann@example.com' }],
  accessTokenExpiryMinutes: 10,
  refreshTokenExpiryMinutes: 60,
  secureCookies: false,
  // The route tests log in far more often than 12 times a minute; login-rate-limit.test.ts turns it on.
  loginRateLimit: null,
};
