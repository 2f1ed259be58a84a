import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database, UserRole, UsersTable } from '../store/schema.js';
import { nowMicros } from '../writer/sqlite/commands.js';
import { newApiKey } from './api-key-secret.js';
import type { AuthConfig } from './auth-config.js';
import { hashPassword } from './password.js';

/**
 * Users, API keys and login sessions, on the server's own connection (not the writer thread's): they
 * change a few times a day, and PostgreSQL servers sharing the database must all see them.
 */
export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;

/** A PHOENIX_ADMINS user given a password at this start. */
export interface ProvisionedAdmin {
  username: string;
  email: string;
  password: string;
}

/** Phoenix's two built-in users. */
export const SYSTEM_USER = { username: 'system', email: 'system@localhost' } as const;
export const DEFAULT_ADMIN = { username: 'admin', email: 'admin@localhost' } as const;

export class AuthStore {
  constructor(private readonly db: Kysely<Database>) {}

  private async insertUserIfAbsent(user: {
    username: string;
    email: string;
    role: UserRole;
    passwordHash: string | null;
    resetPassword: boolean;
  }): Promise<void> {
    const now = nowMicros();
    // Several servers may start at once on one PostgreSQL database: the first insert wins.
    await this.db
      .insertInto('users')
      .values({
        username: user.username,
        email: user.email,
        role: user.role,
        password_hash: user.passwordHash,
        reset_password: user.resetPassword ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /**
   * The system user, the default admin (PHOENIX_DEFAULT_ADMIN_INITIAL_PASSWORD, to be changed at
   * first login) and PHOENIX_ADMINS (a random initial password each, also to be changed at first
   * login), each once. Returns the PHOENIX_ADMINS given a password now, with it (to be told once).
   */
  async bootstrap(config: AuthConfig): Promise<ProvisionedAdmin[]> {
    await this.insertUserIfAbsent({
      ...SYSTEM_USER,
      role: 'SYSTEM',
      passwordHash: null,
      resetPassword: false,
    });
    if (!(await this.findUserByUsername(DEFAULT_ADMIN.username))) {
      await this.insertUserIfAbsent({
        ...DEFAULT_ADMIN,
        role: 'ADMIN',
        passwordHash: await hashPassword(config.defaultAdminInitialPassword),
        resetPassword: true,
      });
    }
    const provisioned: ProvisionedAdmin[] = [];
    for (const admin of config.admins) {
      await this.insertUserIfAbsent({ ...admin, role: 'ADMIN', passwordHash: null, resetPassword: true });
      // Without a password nobody could log in as them: a random one, told once (to whoever starts
      // the server), to be changed at the first login. Servers starting together on one database:
      // only the one whose update finds no password yet gives it.
      if ((await this.findUserByUsername(admin.username))?.password_hash !== null) continue;
      const password = randomBytes(12).toString('base64url');
      const given = await this.db
        .updateTable('users')
        .set({ password_hash: await hashPassword(password), reset_password: 1, updated_at: nowMicros() })
        .where('username', '=', admin.username)
        .where('password_hash', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (given) provisioned.push({ ...admin, password });
    }
    return provisioned;
  }

  findUserById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUserByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async systemUser(): Promise<UserRow> {
    const user = await this.findUserByUsername(SYSTEM_USER.username);
    if (!user) throw new Error('The system user is missing: the auth store was not bootstrapped');
    return user;
  }

  /** The key row of a key id with its owner, when the key exists (expired or not). */
  async findApiKey(keyId: string): Promise<{ key: ApiKeyRow; user: UserRow } | undefined> {
    const key = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    if (!key) return undefined;
    const user = await this.findUserById(key.user_id);
    return user ? { key, user } : undefined;
  }

  /** Newest first, from row id `fromId` down; `fetch` rows at most. */
  listUsers(fromId: number | null, fetch: number): Promise<UserRow[]> {
    let q = this.db.selectFrom('users').selectAll().orderBy('id', 'desc').limit(fetch);
    if (fromId !== null) q = q.where('id', '<=', fromId);
    return q.execute();
  }

  /** null when the username or the email is taken. */
  async createUser(user: {
    username: string;
    email: string;
    role: UserRole;
    passwordHash: string | null;
    resetPassword: boolean;
  }): Promise<UserRow | null> {
    const now = nowMicros();
    const row = await this.db
      .insertInto('users')
      .values({
        username: user.username,
        email: user.email,
        role: user.role,
        password_hash: user.passwordHash,
        reset_password: user.resetPassword ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Its keys and sessions go with it (foreign keys). */
  async deleteUser(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  /** Keys of a kind, oldest first; a user's own when `userId` is given. */
  listApiKeys(kind: 'user' | 'system', userId?: number): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_keys').selectAll().where('kind', '=', kind).orderBy('id');
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return q.execute();
  }

  findApiKeyById(id: number): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A new key for `userId`; the key itself is in the result only (the row keeps a salted hash). */
  async createApiKey(args: {
    kind: 'user' | 'system';
    userId: number;
    name: string;
    description: string | null;
    expiresAt: number | null;
  }): Promise<{ row: ApiKeyRow; key: string }> {
    const secret = newApiKey();
    const row = await this.db
      .insertInto('api_keys')
      .values({
        kind: args.kind,
        user_id: args.userId,
        key_id: secret.keyId,
        salt: secret.salt,
        key_hash: secret.hash,
        name: args.name,
        description: args.description,
        expires_at: args.expiresAt,
        created_at: nowMicros(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, key: secret.key };
  }

  /** false when there is no such key. */
  async deleteApiKey(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** A login session until `expiresAt` (micros); its id goes into the session's tokens. */
  async createSession(userId: number, expiresAt: number): Promise<string> {
    const sessionId = randomBytes(24).toString('base64url');
    await this.db
      .insertInto('auth_sessions')
      .values({ session_id: sessionId, user_id: userId, expires_at: expiresAt, created_at: nowMicros() })
      .execute();
    return sessionId;
  }

  /** The session's user while the session lasts. */
  async findSessionUser(sessionId: string, now = nowMicros()): Promise<UserRow | undefined> {
    const session = await this.db
      .selectFrom('auth_sessions')
      .select(['user_id', 'expires_at'])
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    if (!session || session.expires_at <= now) return undefined;
    return this.findUserById(session.user_id);
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom('auth_sessions').where('session_id', '=', sessionId).execute();
  }

  /** Ends every login session of a user (a new password, a new role). */
  async deleteSessionsOf(userId: number): Promise<void> {
    await this.db.deleteFrom('auth_sessions').where('user_id', '=', userId).execute();
  }

  /** A new password hash; `resetPassword` when the user must choose another at the next login. */
  async setPassword(
    userId: number,
    passwordHash: string,
    resetPassword: boolean,
  ): Promise<UserRow | undefined> {
    return this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, reset_password: resetPassword ? 1 : 0, updated_at: nowMicros() })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirst();
  }

  async setRole(userId: number, role: UserRole): Promise<UserRow | undefined> {
    return this.db
      .updateTable('users')
      .set({ role, updated_at: nowMicros() })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirst();
  }
}
