import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';
import { rowIdColumn } from './row-id.js';

/**
 * Authentication (issue #15): users with a role and a scrypt password hash, API keys (user or
 * system) kept only as a salt and a salted SHA-256 of their secret, and login sessions (the row a
 * session cookie's tokens name, deleted at logout so that the tokens stop working).
 */
export function usersAndApiKeys(dialect: SqlDialect) {
  const { rowid, id } = rowIdColumn(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', rowid, id)
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('SYSTEM', 'ADMIN', 'MEMBER', 'VIEWER')`),
        )
        .addColumn('password_hash', 'text')
        .addColumn('reset_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', rowid, id)
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('user', 'system')`))
        .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('key_id', 'text', (c) => c.notNull().unique())
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_api_keys_user_id').on('api_keys').column('user_id').execute();
      await db.schema
        .createTable('auth_sessions')
        .addColumn('id', rowid, id)
        .addColumn('session_id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_auth_sessions_user_id').on('auth_sessions').column('user_id').execute();
    },
  };
}
