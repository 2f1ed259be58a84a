import type { Kysely } from 'kysely';

/**
 * Per-project retention policies (issue #19 C). A project without a row follows the server's default
 * (PHOENIX_DEFAULT_RETENTION_POLICY_DAYS); a row with both limits null keeps everything.
 */
export function retentionPolicies() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('retention_policies')
        .addColumn('project_id', 'bigint', (c) =>
          c.primaryKey().references('projects.id').onDelete('cascade'),
        )
        .addColumn('max_age_days', 'integer')
        .addColumn('max_traces', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
