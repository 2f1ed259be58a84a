import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePostgres } from '../../../test-support/dialects.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../../test-support/postgres.js';
import { spawnCli } from '../../../test-support/spawn-cli.js';
import { migratePostgres } from './migrate-postgres.js';
import { InvalidSchemaNameError } from './pool.js';

describePostgres('migrations', () => {
  let database: TestPostgresDatabase;
  let client: pg.Client;

  beforeEach(async () => {
    database = await createTestPostgresDatabase({ migrated: false });
    client = new pg.Client(database.url);
    await client.connect();
  });
  afterEach(async () => {
    await client.end();
    await database.drop();
  });

  const columnTypes = async (schema: string, table: string) => {
    const { rows } = await client.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
  };
  const tables = async (schema: string) =>
    (
      await client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      )
    ).rows.map((r) => r.table_name);

  it('creates the schema with jsonb documents, BIGINT microsecond instants and identity ids', async () => {
    const applied = await migratePostgres({ url: database.url });
    expect(applied[0]).toBe('0001-initial');
    expect(await migratePostgres({ url: database.url })).toEqual([]);
    expect(await tables('public')).toEqual(
      expect.arrayContaining([
        'document_annotations',
        'kysely_migration',
        'kysely_migration_lock',
        'project_session_annotations',
        'project_sessions',
        'projects',
        'span_annotations',
        'spans',
        'trace_annotations',
        'traces',
      ]),
    );
    expect(await columnTypes('public', 'spans')).toMatchObject({
      id: 'bigint',
      trace_rowid: 'bigint',
      start_time: 'bigint',
      end_time: 'bigint',
      attributes: 'jsonb',
      events: 'jsonb',
      cumulative_llm_token_count_prompt: 'bigint',
    });
    expect(await columnTypes('public', 'span_annotations')).toMatchObject({
      metadata: 'jsonb',
      score: 'double precision',
    });
    const identity = await client.query(
      "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND is_identity = 'YES' ORDER BY 1",
    );
    expect(identity.rows.length).toBeGreaterThanOrEqual(8);
  });

  it('keeps its tables in PHOENIX_SQL_DATABASE_SCHEMA, created when missing, apart from other schemas', async () => {
    await migratePostgres({ url: database.url, schema: 'fawkes_a' });
    await migratePostgres({ url: database.url, schema: 'fawkes_b' });
    expect(await tables('public')).toEqual([]);
    expect(await tables('fawkes_a')).toContain('spans');
    expect(await tables('fawkes_a')).toContain('kysely_migration');
    await client.query(
      "INSERT INTO fawkes_a.projects (name, created_at, updated_at) VALUES ('only-in-a', 1, 1)",
    );
    const inB = await client.query('SELECT count(*)::int AS n FROM fawkes_b.projects');
    expect(inB.rows).toEqual([{ n: 0 }]);
    expect(await migratePostgres({ url: database.url, schema: 'fawkes_a' })).toEqual([]);
  });

  it('migrates once when several servers start at the same moment', async () => {
    const applied = await Promise.all(
      Array.from({ length: 4 }, () => migratePostgres({ url: database.url, schema: 'fawkes_race' })),
    );
    // Each migration applied by exactly one of them.
    const all = applied.flat();
    expect(all[0]).toBe('0001-initial');
    expect(new Set(all).size).toBe(all.length);
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    expect(await tables('fawkes_race')).toContain('spans');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(migratePostgres({ url: database.url, schema: 'x; DROP TABLE spans' })).rejects.toThrow(
      InvalidSchemaNameError,
    );
  });

  it('`fawkes db migrate` migrates PostgreSQL, and names the database without its password', async () => {
    const cli = spawnCli(['db', 'migrate', '--database-url', database.url], {
      PHOENIX_SQL_DATABASE_SCHEMA: 'fawkes_cli',
    });
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('Applied: 0001-initial');
    expect(await tables('fawkes_cli')).toContain('spans');

    const url = new URL(database.url);
    url.password = 's3cret-password';
    url.port = '1'; // nothing listens there
    const failing = spawnCli(['db', 'migrate', '--database-url', url.toString()]);
    expect(await failing.exited).toBe(1);
    expect(failing.output().trim()).toBe(
      `fawkes: Cannot connect to PostgreSQL at postgresql://postgres:***@127.0.0.1:1/${database.name}: connect ECONNREFUSED 127.0.0.1:1`,
    );
  });
});
