import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { initialSchema } from './migrations/0001-initial.js';
import { pendingAnnotations } from './migrations/0002-pending-annotations.js';
import { queryAnnotationLabels } from './migrations/0003-query-annotation-labels.js';
import { spansTraceParentIndex } from './migrations/0004-spans-trace-parent-index.js';
import { spansWithoutTraceCheck } from './migrations/0005-spans-without-trace-check.js';
import { usersAndApiKeys } from './migrations/0006-users-and-api-keys.js';
import { modelPrices } from './migrations/0007-model-prices.js';
import { annotationConfigs } from './migrations/0008-annotation-configs.js';
import { retentionPolicies } from './migrations/0009-retention-policies.js';
import { spansStartMetricsIndex } from './migrations/0010-spans-start-metrics-index.js';
import { spanCosts } from './migrations/0011-span-costs.js';
import { traceSortIndexes } from './migrations/0013-trace-sort-indexes.js';
import type { SqlDialect } from './schema.js';

/** Migrations live in code (not files found at run time), so a bundled or compiled server finds them. */
function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0002-pending-annotations': pendingAnnotations(dialect),
    '0003-query-annotation-labels': queryAnnotationLabels(),
    '0004-spans-trace-parent-index': spansTraceParentIndex(),
    '0005-spans-without-trace-check': spansWithoutTraceCheck(dialect),
    '0006-users-and-api-keys': usersAndApiKeys(dialect),
    '0007-model-prices': modelPrices(dialect),
    '0008-annotation-configs': annotationConfigs(dialect),
    '0009-retention-policies': retentionPolicies(),
    '0010-spans-start-metrics-index': spansStartMetricsIndex(),
    '0011-span-costs': spanCosts(dialect),
    '0013-trace-sort-indexes': traceSortIndexes(),
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: SqlDialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}

/** Brings the schema to the newest version; throws with the failing migration's name. */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before (and regardless of) the typed schema
  db: Kysely<any>,
  dialect: SqlDialect,
  options: { schema?: string | undefined } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(dialect),
    // Numbers are handed out ahead of time and land in any order (0009 before 0006): a database
    // that already ran a later one still gets the earlier one.
    allowUnorderedMigrations: true,
    // PostgreSQL: the bookkeeping tables live beside the schema's tables (not in another schema's).
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`.replace('  ', ' '), {
      cause: error,
    });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
