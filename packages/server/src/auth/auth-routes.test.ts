import { afterAll, beforeAll, expect, it } from 'vitest';
import { authCalls } from '../../test-support/auth-calls.js';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { AuthStore } from './auth-store.js';

describeEachDialect('users, API keys and login routes', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: TEST_AUTH });
  });
  afterAll(() => t?.close());

  const { call, cookiesOf, login, admin } = authCalls(() => t.server.url);
  const cookieHeader = (setCookies: string[]) => cookiesOf({ setCookies });

  const ADMIN_PASSWORD = 'the-admins-own-password';
  let adminPasswordChanged = false;
  /** A session of the default admin, after its forced password change (made once). */
  const adminSession = async () => {
    if (!adminPasswordChanged) {
      const first = await login('admin@localhost', 'admin');
      const body = { current_password: 'admin', new_password: ADMIN_PASSWORD };
      expect((await call('PATCH', '/v1/user', first, body)).status).toBe(200);
      adminPasswordChanged = true;
    }
    return login('admin@localhost', ADMIN_PASSWORD);
  };

  it('logs in with email and password: two HttpOnly, SameSite=Lax cookies (not Secure unless configured)', async () => {
    const response = await call('POST', '/auth/login', {}, { email: 'admin@localhost', password: 'admin' });
    expect(response.status).toBe(204);
    expect(response.setCookies).toHaveLength(2);
    const [access, refresh] = response.setCookies as [string, string];
    expect(access).toMatch(
      /^phoenix-access-token=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(refresh).toMatch(
      /^phoenix-refresh-token=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const me = await call('GET', '/v1/user', cookieHeader(response.setCookies));
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({
      id: Buffer.from('User:2').toString('base64'),
      email: 'admin@localhost',
      username: 'admin',
      role: 'ADMIN',
      auth_method: 'LOCAL',
      password_needs_reset: true,
    });
    expect(me.json.data).not.toHaveProperty('password');
  });

  it.each([
    ['a wrong password', { email: 'admin@localhost', password: 'admim' }],
    ['an unknown email', { email: 'nobody@localhost', password: 'admin' }],
    ['the system user', { email: 'system@localhost', password: '' }],
  ])('refuses a login with %s', async (_what, body) => {
    const response = await call('POST', '/auth/login', {}, body);
    expect([401, 422]).toContain(response.status);
    expect(response.setCookies).toEqual([]);
  });

  it('creates a user key from a login session, shows it once, and revokes it at once', async () => {
    const session = await adminSession();
    const created = await call('POST', '/v1/user/api_keys', session, {
      data: { name: 'exporter', description: 'CI' },
    });
    expect(created.status).toBe(201);
    const { key, ...shown } = created.json.data;
    expect(shown).toMatchObject({ name: 'exporter', description: 'CI', expires_at: null });
    expect(Buffer.from(shown.id, 'base64').toString()).toMatch(/^UserApiKey:\d+$/);
    const listed = await call('GET', '/v1/user/api_keys', session);
    expect(listed.json.data).toEqual([shown]);
    expect(listed.text).not.toContain(key);

    const withKey = { authorization: `Bearer ${key}` };
    expect((await call('GET', '/v1/projects', withKey)).status).toBe(200);
    // A key cannot mint keys.
    expect((await call('POST', '/v1/user/api_keys', withKey, { data: { name: 'x' } })).status).toBe(403);
    expect((await call('DELETE', `/v1/user/api_keys/${shown.id}`, session)).status).toBe(204);
    expect((await call('DELETE', `/v1/user/api_keys/${shown.id}`, session)).status).toBe(404);
    expect((await call('GET', '/v1/projects', withKey)).status).toBe(401);
  });

  it('answers a bad expiry 422 naming it, and keeps an expiry given', async () => {
    const session = await adminSession();
    const past = await call('POST', '/v1/user/api_keys', session, {
      data: { name: 'x', expires_at: '2001-01-01T00:00:00+00:00' },
    });
    expect(past.status).toBe(422);
    expect(past.json.detail[0].loc).toEqual(['body', 'data', 'expires_at']);
    const later = await call('POST', '/v1/user/api_keys', session, {
      data: { name: 'x', expires_at: '2999-01-01T00:00:00+00:00' },
    });
    expect(later.status).toBe(201);
    expect(later.json.data.expires_at).toBe('2999-01-01T00:00:00+00:00');
  });

  it('lets admins create, page through and delete users; others get 403', async () => {
    const newUser = (username: string, role = 'MEMBER', password = 'pw-of-' + username) =>
      call('POST', '/v1/users', admin, {
        user: { email: `${username}@example.com`, username, role, auth_method: 'LOCAL', password },
      });
    const created = await newUser('mia');
    expect(created.status).toBe(201);
    expect(created.json.data).toMatchObject({ username: 'mia', role: 'MEMBER', password_needs_reset: true });
    expect((await newUser('mia')).status).toBe(409);
    expect((await newUser('sys', 'SYSTEM')).status).toBe(400);
    expect((await newUser('bad', 'ROOT')).status).toBe(422);

    const first = await call('GET', '/v1/users?limit=2', admin);
    expect(first.status).toBe(200);
    expect(first.json.data.map((u: { username: string }) => u.username)).toEqual(['mia', 'Ann Lee']);
    const second = await call(
      'GET',
      `/v1/users?limit=2&cursor=${encodeURIComponent(first.json.next_cursor)}`,
      admin,
    );
    expect(second.json).toMatchObject({ next_cursor: null });
    expect(second.json.data.map((u: { username: string }) => u.username)).toEqual(['admin', 'system']);

    const member = await login('mia@example.com', 'pw-of-mia');
    expect((await call('GET', '/v1/users', member)).status).toBe(403);
    expect((await call('GET', '/v1/system/api_keys', member)).status).toBe(403);

    const adminId = Buffer.from('User:2').toString('base64');
    expect((await call('DELETE', `/v1/users/${adminId}`, admin)).status).toBe(403);
    expect((await call('DELETE', `/v1/users/${created.json.data.id}`, admin)).status).toBe(204);
    expect((await call('DELETE', `/v1/users/${created.json.data.id}`, admin)).status).toBe(404);
    expect((await call('DELETE', '/v1/users/not-an-id', admin)).status).toBe(404);
    // Its session went with it.
    expect((await call('GET', '/v1/user', member)).status).toBe(401);
  });

  it('lets admins manage system keys with the admin secret', async () => {
    const created = await call('POST', '/v1/system/api_keys', admin, { data: { name: 'collector' } });
    expect(created.status).toBe(201);
    expect(Buffer.from(created.json.data.id, 'base64').toString()).toMatch(/^SystemApiKey:\d+$/);
    const listed = await call('GET', '/v1/system/api_keys', admin);
    expect(listed.json.data.map((k: { name: string }) => k.name)).toEqual(['collector']);
    const withKey = { authorization: `Bearer ${created.json.data.key}` };
    expect((await call('GET', '/v1/user', withKey)).json.data).toMatchObject({
      username: 'system',
      role: 'SYSTEM',
    });
    // A user key's id is not a system key's.
    const asUserKey = Buffer.from(
      `UserApiKey:${Buffer.from(created.json.data.id, 'base64').toString().split(':')[1]}`,
    ).toString('base64');
    expect((await call('DELETE', `/v1/system/api_keys/${asUserKey}`, admin)).status).toBe(404);
    expect((await call('DELETE', `/v1/system/api_keys/${created.json.data.id}`, admin)).status).toBe(204);
    expect((await call('GET', '/v1/user', withKey)).status).toBe(401);
  });

  it("lists every user's keys, each with its owner, to admins only (GET /v1/users/api_keys)", async () => {
    const store = new AuthStore(t.store.db);
    const owner = await store.createUser({
      username: 'kim',
      email: 'kim@example.com',
      role: 'VIEWER',
      passwordHash: null,
      resetPassword: false,
    });
    const makeKey = (name: string, kind: 'user' | 'system' = 'user') =>
      store.createApiKey({ kind, userId: owner!.id, name, description: null, expiresAt: null });
    const viewerKey = (await makeKey('first')).key;
    await makeKey('second');
    await makeKey('not listed: a system key', 'system');

    const first = await call('GET', '/v1/users/api_keys?limit=1', admin);
    expect(first.status).toBe(200);
    expect(Object.keys(first.json).sort()).toEqual(['data', 'next_cursor']);
    expect(first.json.data).toHaveLength(1);
    expect(first.json.data[0]).toMatchObject({
      name: 'second',
      description: null,
      expires_at: null,
      user: {
        id: Buffer.from(`User:${owner!.id}`).toString('base64'),
        username: 'kim',
        email: 'kim@example.com',
      },
    });
    expect(Buffer.from(first.json.data[0].id, 'base64').toString()).toMatch(/^UserApiKey:\d+$/);
    expect(first.json.data[0]).not.toHaveProperty('key');
    const rest = await call(
      'GET',
      `/v1/users/api_keys?limit=1000&cursor=${encodeURIComponent(first.json.next_cursor)}`,
      admin,
    );
    const names = rest.json.data.map((k: { name: string }) => k.name);
    expect(names[0]).toBe('first');
    expect(names).not.toContain('not listed: a system key');

    expect((await call('GET', '/v1/users/api_keys?cursor=bad', admin)).status).toBe(422);
    expect((await call('GET', '/v1/users/api_keys?limit=0', admin)).json.detail[0].loc).toEqual([
      'query',
      'limit',
    ]);
    expect((await call('GET', '/v1/users/api_keys', { authorization: `Bearer ${viewerKey}` })).status).toBe(
      403,
    );
    expect((await call('GET', '/v1/users/api_keys')).status).toBe(401);
  });

  it('refreshes a session once, and logs out', async () => {
    await adminSession();
    const first = await call(
      'POST',
      '/auth/login',
      {},
      { email: 'admin@localhost', password: ADMIN_PASSWORD },
    );
    const refreshed = await call('POST', '/auth/refresh', cookieHeader(first.setCookies));
    expect(refreshed.status).toBe(204);
    expect(refreshed.setCookies).toHaveLength(2);
    // The old pair's session is over.
    expect((await call('POST', '/auth/refresh', cookieHeader(first.setCookies))).status).toBe(401);
    expect((await call('GET', '/v1/user', cookieHeader(first.setCookies))).status).toBe(401);
    const session = cookieHeader(refreshed.setCookies);
    expect((await call('GET', '/v1/user', session)).status).toBe(200);
    const out = await call('GET', '/auth/logout', session);
    expect(out.status).toBe(204);
    expect(out.setCookies.every((c) => /Max-Age=0/.test(c))).toBe(true);
    expect((await call('GET', '/v1/user', session)).status).toBe(401);
    expect((await call('POST', '/auth/refresh')).status).toBe(401);
  });
});

describeEachDialect('users routes with authentication off', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
  });
  afterAll(() => t?.close());

  it('answers /v1/user with the anonymous user and the rest 403', async () => {
    const me = await fetch(`${t.server.url}/v1/user`);
    expect(await me.json()).toEqual({ data: { auth_method: 'ANONYMOUS' } });
    expect((await fetch(`${t.server.url}/v1/users`)).status).toBe(403);
    expect((await fetch(`${t.server.url}/v1/user/api_keys`)).status).toBe(403);
  });
});

describeEachDialect('secure cookies', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: { ...TEST_AUTH, secureCookies: true } });
  });
  afterAll(() => t?.close());

  it('marks both cookies Secure under PHOENIX_USE_SECURE_COOKIES', async () => {
    const response = await fetch(`${t.server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password: 'admin' }),
    });
    expect(response.status).toBe(204);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
  });
});
