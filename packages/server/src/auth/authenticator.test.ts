import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { AuthStore } from './auth-store.js';
import { Authenticator, VERDICT_TTL_MS } from './authenticator.js';
import { SessionTokens } from './tokens.js';

describeEachDialect('credential verdicts are cached', (dialect) => {
  let database: TestDatabase;
  let store: AuthStore;
  let lookups: number;
  let now: number;
  let authenticator: Authenticator;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    store = new AuthStore(database.db);
    await store.bootstrap(TEST_AUTH);
    lookups = 0;
    const findApiKey = store.findApiKey.bind(store);
    store.findApiKey = (keyId) => {
      lookups++;
      return findApiKey(keyId);
    };
    now = 1_000_000;
    authenticator = new Authenticator(
      store,
      new SessionTokens(TEST_AUTH.secret),
      TEST_AUTH.adminSecret,
      () => now,
    );
  });
  afterEach(() => database.close());

  const newKey = async () => {
    const admin = (await store.findUserByUsername('admin'))!;
    return store.createApiKey({
      kind: 'user',
      userId: admin.id,
      name: 'k',
      description: null,
      expiresAt: null,
    });
  };

  it('looks a key up once per TTL, however many requests carry it at once', async () => {
    const { key } = await newKey();
    const verdicts = await Promise.all(
      Array.from({ length: 200 }, () => authenticator.authenticate({ source: 'header', token: key })),
    );
    expect(verdicts.every((p) => p?.username === 'admin' && p.via === 'api-key')).toBe(true);
    expect(lookups).toBe(1);
    now += VERDICT_TTL_MS - 1;
    await authenticator.authenticate({ source: 'header', token: key });
    expect(lookups).toBe(1);
    now += 1;
    await authenticator.authenticate({ source: 'header', token: key });
    expect(lookups).toBe(2);
  });

  it('caches refusals too, and sees a deleted key once its verdict is over', async () => {
    const { key, row } = await newKey();
    const wrong = `${key.slice(0, -2)}zz`;
    expect(await authenticator.authenticate({ source: 'header', token: wrong })).toBeNull();
    expect(await authenticator.authenticate({ source: 'header', token: wrong })).toBeNull();
    expect(lookups).toBe(1);
    expect(await authenticator.authenticate({ source: 'header', token: key })).not.toBeNull();
    await store.deleteApiKey(row.id);
    now += VERDICT_TTL_MS;
    expect(await authenticator.authenticate({ source: 'header', token: key })).toBeNull();
  });

  it('keeps a verdict no longer than the key lives', async () => {
    const admin = (await store.findUserByUsername('admin'))!;
    const expiresAt = (Date.now() + 60_000) * 1000;
    const { key } = await store.createApiKey({
      kind: 'user',
      userId: admin.id,
      name: 'k',
      description: null,
      expiresAt,
    });
    now = expiresAt / 1000 - 10;
    expect(await authenticator.authenticate({ source: 'header', token: key })).not.toBeNull();
    now = expiresAt / 1000;
    await authenticator.authenticate({ source: 'header', token: key });
    expect(lookups).toBe(2);
  });

  it('takes the admin secret as the system user, without a lookup', async () => {
    const principal = await authenticator.authenticate({ source: 'header', token: TEST_AUTH.adminSecret! });
    expect(principal).toMatchObject({ username: 'system', role: 'SYSTEM', via: 'admin-secret' });
    expect(lookups).toBe(0);
    // Never from a cookie.
    expect(await authenticator.authenticate({ source: 'cookie', token: TEST_AUTH.adminSecret! })).toBeNull();
  });
});
