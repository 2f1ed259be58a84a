import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../../test-support/dialects.js';
import { migrateToLatest } from '../migrate.js';

describeEachDialect('migration 0006: users, API keys, login sessions', (dialect) => {
  let store: TestDatabase;
  beforeEach(async () => {
    store = await openTestDatabase(dialect);
  });
  afterEach(() => store.close());

  const addUser = (
    username: string,
    email: string,
    role: 'SYSTEM' | 'ADMIN' | 'MEMBER' | 'VIEWER' = 'MEMBER',
  ) =>
    store.db
      .insertInto('users')
      .values({ username, email, role, password_hash: null, reset_password: 0, created_at: 1, updated_at: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();

  const addKey = (userId: number, keyId: string) =>
    store.db
      .insertInto('api_keys')
      .values({
        kind: 'user',
        user_id: userId,
        key_id: keyId,
        salt: 's',
        key_hash: 'h',
        name: 'k',
        description: null,
        expires_at: null,
        created_at: 1,
      })
      .execute();

  it('keeps users with unique usernames and emails and a known role', async () => {
    const { id } = await addUser('ann', 'ann@example.com');
    expect(id).toBeGreaterThan(0);
    await expect(addUser('ann', 'other@example.com')).rejects.toThrow(/unique/i);
    await expect(addUser('bob', 'ann@example.com')).rejects.toThrow(/unique/i);
    // biome-ignore lint/suspicious/noExplicitAny: the point is a role outside the type
    await expect(addUser('eve', 'eve@example.com', 'ROOT' as any)).rejects.toThrow(/check/i);
  });

  it("deletes a user's keys and sessions with the user", async () => {
    const { id } = await addUser('ann', 'ann@example.com');
    await addKey(Number(id), '0123456789abcdef');
    await expect(addKey(Number(id), '0123456789abcdef')).rejects.toThrow(/unique/i);
    await store.db
      .insertInto('auth_sessions')
      .values({ session_id: 'sid', user_id: Number(id), expires_at: 2, created_at: 1 })
      .execute();
    await store.db.deleteFrom('users').where('id', '=', id).execute();
    expect(await store.db.selectFrom('api_keys').selectAll().execute()).toEqual([]);
    expect(await store.db.selectFrom('auth_sessions').selectAll().execute()).toEqual([]);
  });

  it('refuses a key of no user', async () => {
    await expect(addKey(12345, 'fedcba9876543210')).rejects.toThrow(/foreign key/i);
  });
});

describeEachDialect('migration 0006 after later ones', (dialect) => {
  it('still runs on a database that already ran 0009 (numbers land out of order)', async () => {
    const store = await openTestDatabase(dialect);
    try {
      for (const table of ['auth_sessions', 'api_keys', 'users'])
        await store.db.schema.dropTable(table).execute();
      await sql`DELETE FROM kysely_migration WHERE name = '0006-users-and-api-keys'`.execute(store.db);
      expect(await migrateToLatest(store.db, dialect)).toEqual(['0006-users-and-api-keys']);
      expect(await store.db.selectFrom('users').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
