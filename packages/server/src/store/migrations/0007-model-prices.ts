import type { Kysely } from 'kysely';
import type { SqlDialect } from '../schema.js';
import { rowIdColumn } from './row-id.js';

/**
 * A project's own model prices (issue #19 A), which take precedence over the built-in table
 * (cost/builtin-prices.ts). Costs are computed when read, from these and the spans' token counts,
 * so a price changed here shows in every figure at once.
 */
export function modelPrices(dialect: SqlDialect) {
  const { rowid, id } = rowIdColumn(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('model_prices')
        .addColumn('id', rowid, id)
        .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('model_name_pattern', 'text', (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('prompt_cost_per_token', 'double precision', (c) => c.notNull())
        .addColumn('completion_cost_per_token', 'double precision', (c) => c.notNull())
        .addColumn('cache_read_cost_per_token', 'double precision')
        .addColumn('cache_write_cost_per_token', 'double precision')
        .addColumn('reasoning_cost_per_token', 'double precision')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ix_model_prices_project')
        .on('model_prices')
        .column('project_id')
        .execute();
    },
  };
}
