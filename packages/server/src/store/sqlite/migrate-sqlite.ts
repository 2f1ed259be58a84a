import { migrateToLatest } from '../migrate.js';
import { sqliteKysely } from './kysely.js';
import { openSqlite, type SqliteConnection } from './open.js';

/** Opens the SQLite file (creating it and its folder) and brings its schema to the newest version. */
export async function openMigratedSqlite(path: string): Promise<SqliteConnection> {
  const connection = openSqlite(path);
  const db = sqliteKysely(connection);
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}
