import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrl, type ProvidedPostgres } from './postgres-global-setup.js';

/** What the global setup (postgres-global-setup.ts) found; as unavailable outside Vitest's run. */
export function providedPostgres(): ProvidedPostgres {
  const provided = inject('fawkesPostgres') as ProvidedPostgres | undefined;
  return (
    provided ?? {
      adminUrl: null,
      template: null,
      unavailable: 'the Vitest global setup test-support/postgres-global-setup.ts did not run',
      runTag: '',
    }
  );
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  return providedPostgres().unavailable;
}

export interface TestPostgresDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  /** Drops the database (closing any connection still open to it). */
  drop(): Promise<void>;
}

let counter = 0;

/**
 * A new database on the test server, migrated (a copy of the migrated template) unless
 * `migrated: false` asks for an empty one. Each test file (or test) gets its own.
 */
export async function createTestPostgresDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestPostgresDatabase> {
  const { adminUrl, template, unavailable, runTag } = providedPostgres();
  if (!adminUrl || !template) throw new Error(`PostgreSQL is required by this test: ${unavailable}`);
  const name = `fawkes_test_${runTag}_${process.pid}_${++counter}`;
  await adminQuery(
    adminUrl,
    options.migrated === false ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`,
  );
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  // CREATE DATABASE fails while another one copies the same template at the same moment: retry.
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client(adminUrl);
    try {
      await client.connect();
      await client.query(text);
      return;
    } catch (error) {
      if (attempt >= 20 || !/is being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
