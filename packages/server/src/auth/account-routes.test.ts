import { afterAll, beforeAll, expect, it } from 'vitest';
import { authCalls } from '../../test-support/auth-calls.js';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { AuthStore } from './auth-store.js';

describeEachDialect('password changes, the forced reset and admin changes to users', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: TEST_AUTH });
  });
  afterAll(() => t?.close());

  const { call, cookiesOf, login, admin } = authCalls(() => t.server.url);

  it('holds the default admin at the password change until a new password is chosen', async () => {
    const session = await login('admin@localhost', 'admin');
    const held = await call('GET', '/v1/projects', session);
    expect(held.status).toBe(403);
    expect(held.json.detail).toMatch(/^Password reset required/);
    expect((await call('POST', '/v1/user/api_keys', session, { data: { name: 'k' } })).status).toBe(403);
    const me = await call('GET', '/v1/user', session);
    expect(me.json.data).toMatchObject({ username: 'admin', password_needs_reset: true });

    const wrong = await call('PATCH', '/v1/user', session, {
      current_password: 'admim',
      new_password: 'a-better-password-1',
    });
    expect(wrong.status).toBe(401);
    for (const [new_password, msg] of [
      ['short', /at least 8 characters/],
      ['        ', /only spaces/],
    ] as const) {
      const weak = await call('PATCH', '/v1/user', session, { current_password: 'admin', new_password });
      expect(weak.status).toBe(422);
      expect(weak.json.detail[0]).toMatchObject({ loc: ['body', 'new_password'], type: 'value_error' });
      expect(weak.json.detail[0].msg).toMatch(msg);
    }
    const missing = await call('PATCH', '/v1/user', session, { current_password: 'admin' });
    expect(missing.status).toBe(422);
    expect(missing.json.detail[0].loc).toEqual(['body', 'new_password']);
    // Nothing changed meanwhile.
    expect((await call('GET', '/v1/user', session)).json.data.password_needs_reset).toBe(true);

    const changed = await call('PATCH', '/v1/user', session, {
      current_password: 'admin',
      new_password: 'a-better-password-1',
    });
    expect(changed.status).toBe(200);
    expect(changed.json.data).toMatchObject({ username: 'admin', password_needs_reset: false });
    expect(changed.headers.get('x-access-token-expires-in')).toBe('600');
    // The old session is over; the new cookies work everywhere.
    expect((await call('GET', '/v1/user', session)).status).toBe(401);
    const renewed = cookiesOf(changed);
    expect((await call('GET', '/v1/projects', renewed)).status).toBe(200);
    expect(
      (await call('POST', '/auth/login', {}, { email: 'admin@localhost', password: 'admin' })).status,
    ).toBe(401);
    const again = await login('admin@localhost', 'a-better-password-1');
    expect((await call('GET', '/v1/user', again)).json.data.password_needs_reset).toBe(false);
    expect((await call('GET', '/v1/projects', again)).status).toBe(200);
  });

  it('refuses the same password again, and a change by API key or admin secret', async () => {
    const session = await login('admin@localhost', 'a-better-password-1');
    const same = await call('PATCH', '/v1/user', session, {
      current_password: 'a-better-password-1',
      new_password: 'a-better-password-1',
    });
    expect(same.status).toBe(422);
    expect(same.json.detail[0].msg).toMatch(/differ/);
    const key = (await call('POST', '/v1/user/api_keys', session, { data: { name: 'k' } })).json.data.key;
    const body = { current_password: 'a-better-password-1', new_password: 'another-password-2' };
    expect((await call('PATCH', '/v1/user', { authorization: `Bearer ${key}` }, body)).status).toBe(403);
    expect((await call('PATCH', '/v1/user', admin, body)).status).toBe(403);
    expect((await call('PATCH', '/v1/user', {}, body)).status).toBe(401);
    expect((await call('GET', '/v1/user', session)).status).toBe(200);
  });

  it("lets admins change a user's role and set a password the user must replace", async () => {
    const created = await call('POST', '/v1/users', admin, {
      user: {
        email: 'kim@example.com',
        username: 'kim',
        role: 'VIEWER',
        auth_method: 'LOCAL',
        password: 'kims-first-pw',
      },
    });
    const id = created.json.data.id;
    const kim = await login('kim@example.com', 'kims-first-pw');
    expect((await call('GET', '/v1/projects', kim)).status).toBe(403);
    const kimChanged = await call('PATCH', '/v1/user', kim, {
      current_password: 'kims-first-pw',
      new_password: 'kims-own-password',
    });
    expect(kimChanged.status).toBe(200);
    const kimSession = cookiesOf(kimChanged);
    expect((await call('GET', '/v1/projects', kimSession)).status).toBe(200);
    // A VIEWER may not manage users (the role table).
    expect((await call('PATCH', `/v1/users/${id}`, kimSession, { role: 'ADMIN' })).status).toBe(403);

    const promoted = await call('PATCH', `/v1/users/${id}`, admin, { role: 'MEMBER' });
    expect(promoted.status).toBe(200);
    expect(promoted.json.data).toMatchObject({
      username: 'kim',
      role: 'MEMBER',
      password_needs_reset: false,
    });
    expect((await call('GET', '/v1/user', kimSession)).json.data.role).toBe('MEMBER');

    const reset = await call('PATCH', `/v1/users/${id}`, admin, { new_password: 'set-by-the-admin' });
    expect(reset.status).toBe(200);
    expect(reset.json.data.password_needs_reset).toBe(true);
    expect((await call('GET', '/v1/user', kimSession)).status).toBe(401);
    const afterReset = await login('kim@example.com', 'set-by-the-admin');
    expect((await call('GET', '/v1/projects', afterReset)).status).toBe(403);

    const adminId = Buffer.from('User:2').toString('base64');
    const systemId = Buffer.from('User:1').toString('base64');
    expect((await call('PATCH', `/v1/users/${adminId}`, admin, { role: 'VIEWER' })).status).toBe(403);
    expect(
      (await call('PATCH', `/v1/users/${systemId}`, admin, { new_password: 'whatever-pw' })).status,
    ).toBe(403);
    expect((await call('PATCH', `/v1/users/${id}`, admin, { role: 'SYSTEM' })).status).toBe(400);
    const weak = await call('PATCH', `/v1/users/${id}`, admin, { new_password: 'x' });
    expect(weak.status).toBe(422);
    expect(weak.json.detail[0].loc).toEqual(['body', 'new_password']);
    expect((await call('PATCH', `/v1/users/${id}`, admin, { role: 'ROOT' })).status).toBe(422);
    expect((await call('PATCH', '/v1/users/not-an-id', admin, { role: 'MEMBER' })).status).toBe(404);
    // None of the refused changes took.
    const users = (await call('GET', '/v1/users', admin)).json.data as { username: string; role: string }[];
    expect(users.find((u) => u.username === 'kim')?.role).toBe('MEMBER');
    expect(users.find((u) => u.username === 'admin')?.role).toBe('ADMIN');
  });

  it('gives PHOENIX_ADMINS a random initial password once, to be changed at the first login', async () => {
    const store = new AuthStore(t.store.db);
    const ann = await store.findUserByUsername('Ann Lee');
    expect(ann?.password_hash).toMatch(/^scrypt\$/);
    expect(ann?.reset_password).toBe(1);
    // A later start gives nobody a password again.
    expect(await store.bootstrap(TEST_AUTH)).toEqual([]);
    // An admin left without a password (provisioned before passwords were given) gets one.
    await t.store.db.updateTable('users').set({ password_hash: null }).where('id', '=', ann!.id).execute();
    const [given, ...more] = await store.bootstrap(TEST_AUTH);
    expect(more).toEqual([]);
    expect(given).toMatchObject({ username: 'Ann Lee', email: 'ann@example.com' });
    expect(given!.password).toMatch(/^[\w-]{16}$/);
    const session = await login('ann@example.com', given!.password);
    expect((await call('GET', '/v1/projects', session)).status).toBe(403);
    expect((await call('GET', '/v1/user', session)).json.data).toMatchObject({
      role: 'ADMIN',
      password_needs_reset: true,
    });
  });
});
