import { describe, expect, it } from 'vitest';
import { spawnCli } from '../../test-support/spawn-cli.js';
import { ConfigError, resolveConfig } from '../server/config.js';
import { AUTH_DEFAULTS, parseAdmins, resolveAuthConfig, secretProblem } from './auth-config.js';

const SECRET = 'a-long-enough-secret-with-digit-1-abcdef';
const ADMIN_SECRET = 'another-long-admin-secret-with-digit-2';

describe('auth configuration', () => {
  it('is off unless PHOENIX_ENABLE_AUTH is true, whatever else is set', () => {
    expect(resolveAuthConfig({})).toBeNull();
    expect(resolveAuthConfig({ PHOENIX_ENABLE_AUTH: 'false', PHOENIX_SECRET: 'short' })).toBeNull();
    expect(resolveConfig({}, {}).auth).toBeNull();
  });

  it("takes Phoenix's defaults", () => {
    expect(resolveAuthConfig({ PHOENIX_ENABLE_AUTH: 'true', PHOENIX_SECRET: SECRET })).toEqual({
      secret: SECRET,
      adminSecret: null,
      defaultAdminInitialPassword: 'admin',
      admins: [],
      accessTokenExpiryMinutes: 10,
      refreshTokenExpiryMinutes: 43_200,
      secureCookies: false,
      loginRateLimit: { perSecond: 0.2, windowSeconds: 60 },
    });
    expect(AUTH_DEFAULTS.defaultAdminInitialPassword).toBe('admin');
  });

  it('reads every variable', () => {
    const auth = resolveConfig(
      {},
      {
        PHOENIX_ENABLE_AUTH: 'True',
        PHOENIX_SECRET: SECRET,
        PHOENIX_ADMIN_SECRET: ADMIN_SECRET,
        PHOENIX_DEFAULT_ADMIN_INITIAL_PASSWORD: 'first-password',
        PHOENIX_ADMINS: 'John Doe=john@example.com;Jane=jane@example.com;',
        PHOENIX_ACCESS_TOKEN_EXPIRY_MINUTES: '5',
        PHOENIX_REFRESH_TOKEN_EXPIRY_MINUTES: '60',
        PHOENIX_USE_SECURE_COOKIES: 'true',
        PHOENIX_DISABLE_RATE_LIMIT: 'true',
      },
    ).auth;
    expect(auth).toEqual({
      secret: SECRET,
      adminSecret: ADMIN_SECRET,
      defaultAdminInitialPassword: 'first-password',
      admins: [
        { username: 'John Doe', email: 'john@example.com' },
        { username: 'Jane', email: 'jane@example.com' },
      ],
      accessTokenExpiryMinutes: 5,
      refreshTokenExpiryMinutes: 60,
      secureCookies: true,
      loginRateLimit: null,
    });
  });

  it.each([
    [{}, 'PHOENIX_ENABLE_AUTH=true needs PHOENIX_SECRET'],
    [{ PHOENIX_SECRET: 'abc1' }, 'PHOENIX_SECRET is 4 characters long (at least 32 are needed)'],
    [{ PHOENIX_SECRET: 'a'.repeat(40) }, 'PHOENIX_SECRET has no digit'],
    [{ PHOENIX_SECRET: `A${'1'.repeat(40)}` }, 'PHOENIX_SECRET has no lower-case letter'],
    [
      { PHOENIX_SECRET: SECRET, PHOENIX_ADMIN_SECRET: 'ABC' },
      'PHOENIX_ADMIN_SECRET is 3 characters long (at least 32 are needed), has no digit, has no lower-case letter',
    ],
    [
      { PHOENIX_SECRET: SECRET, PHOENIX_ADMIN_SECRET: SECRET },
      'PHOENIX_ADMIN_SECRET must differ from PHOENIX_SECRET',
    ],
    [{ PHOENIX_SECRET: SECRET, PHOENIX_ADMINS: 'nobody' }, "PHOENIX_ADMINS: 'nobody' is not username=email"],
    [
      { PHOENIX_SECRET: SECRET, PHOENIX_ADMINS: 'a=x@y.z;b=X@y.z' },
      "PHOENIX_ADMINS: 'b=X@y.z' repeats a username or an email",
    ],
    [
      { PHOENIX_SECRET: SECRET, PHOENIX_ACCESS_TOKEN_EXPIRY_MINUTES: '0' },
      "PHOENIX_ACCESS_TOKEN_EXPIRY_MINUTES must be a positive number of minutes, got '0'",
    ],
    [
      { PHOENIX_SECRET: SECRET, PHOENIX_USE_SECURE_COOKIES: 'maybe' },
      "PHOENIX_USE_SECURE_COOKIES must be true or false, got 'maybe'",
    ],
  ])('refuses %o with the reason', (env, reason) => {
    const run = () => resolveConfig({}, { PHOENIX_ENABLE_AUTH: 'true', ...env });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(reason);
  });

  it('never puts a secret in its reasons', () => {
    const secret = 'S'.repeat(40);
    expect(secretProblem(secret)).not.toContain(secret);
    expect(secretProblem(SECRET)).toBeNull();
  });

  it('reads PHOENIX_ADMINS as Phoenix writes it', () => {
    expect(parseAdmins(undefined)).toEqual([]);
    expect(parseAdmins(' ; ')).toEqual([]);
    expect(parseAdmins(' Ann Lee = ann@example.com ')).toEqual([
      { username: 'Ann Lee', email: 'ann@example.com' },
    ]);
  });

  it('makes `fawkes serve` refuse to start, with the reason', async () => {
    const cli = spawnCli(['serve', '--working-dir', '/tmp/fawkes-auth-config-never-created'], {
      PHOENIX_ENABLE_AUTH: 'true',
      PHOENIX_SECRET: 'too-short-1',
    });
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('fawkes: PHOENIX_SECRET is 11 characters long (at least 32 are needed)');
  });
});
