/**
 * Vitest global setup: a PostgreSQL server for the dialect-parameterized tests. Uses
 * FAWKES_TEST_DATABASE_URL when set (CI starts its own cluster), else starts a throwaway cluster
 * when PostgreSQL's binaries are installed. Prepares a migrated template database, so that a test
 * gets a fresh migrated database by copying it.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratePostgres } from '../src/store/postgres/migrate-postgres.js';
import { findPostgresBinaries, startThrowawayCluster } from './postgres-cluster.js';

export interface ProvidedPostgres {
  /** Superuser URL of a maintenance database, or null when PostgreSQL is unavailable. */
  adminUrl: string | null;
  /** A migrated database to copy (CREATE DATABASE … TEMPLATE). */
  template: string | null;
  /** Why PostgreSQL is unavailable. */
  unavailable: string | null;
  /** Names of this run's test databases start with `fawkes_test_<runTag>_`. */
  runTag: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fawkesPostgres: ProvidedPostgres;
  }
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.FAWKES_TEST_DATABASE_URL || null;
  let stopCluster: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const bin = findPostgresBinaries();
    if (!bin) {
      project.provide('fawkesPostgres', {
        adminUrl: null,
        template: null,
        unavailable:
          'PostgreSQL is not installed (no initdb / pg_ctl found) and FAWKES_TEST_DATABASE_URL is not set',
        runTag: '',
      });
      return;
    }
    const cluster = await startThrowawayCluster(bin);
    adminUrl = cluster.url;
    stopCluster = cluster.stop;
  }
  const runTag = `${process.pid}_${Date.now().toString(36)}`;
  const template = `fawkes_template_${runTag}`;
  const admin = new pg.Client(adminUrl);
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    await migratePostgres({ url: databaseUrl(adminUrl, template) });
    // Nobody may stay connected to a template while it is copied.
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [template],
    );
  } catch (error) {
    await admin.end().catch(() => {});
    await stopCluster?.();
    throw new Error(
      `Could not prepare the PostgreSQL test database on ${adminUrl}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  await admin.end();
  project.provide('fawkesPostgres', { adminUrl, template, unavailable: null, runTag });

  return async () => {
    if (stopCluster) {
      await stopCluster();
      return;
    }
    // A shared server (CI's, a developer's): leave it as found.
    const client = new pg.Client(adminUrl);
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2',
        [`fawkes_test_${runTag}_`, template],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
