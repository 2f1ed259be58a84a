import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';

/**
 * Costs written with the span (issue #19 A.2, B): each span's prompt, completion and total cost in
 * US dollars, priced by the writer thread at ingest with the prices then in force (its project's
 * own, then the built-in table; cost/write-time-cost.ts); NULL when no price matches. Reads sum the
 * columns instead of matching every span's model against every price rule.
 *
 * `cost_recost_queue` holds the projects whose stored spans must be priced again (a price added or
 * deleted, in the same transaction as the change), with how far the re-coster has gone
 * (cost/recoster.ts, batches between ingest batches). Every project with spans is queued here, so
 * the spans stored before this migration get their costs the same way.
 *
 * A partial index on the total cost (priced spans only: the others add nothing to the insert path)
 * serves the spans table sorted by cost.
 */
export function spanCosts(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const column of ['cost_prompt', 'cost_completion', 'cost_total']) {
        await db.schema.alterTable('spans').addColumn(column, 'double precision').execute();
      }
      await db.schema
        .createIndex('ix_spans_cost_total')
        .on('spans')
        .columns(['cost_total', 'id'])
        .where(sql.ref('cost_total'), 'is not', null)
        .execute();
      await db.schema
        .createTable('cost_recost_queue')
        .addColumn('project_id', dialect === 'postgresql' ? 'bigint' : 'integer', (c) =>
          c.primaryKey().references('projects.id').onDelete('cascade'),
        )
        .addColumn('after_span_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`INSERT INTO cost_recost_queue (project_id, after_span_id)
        SELECT id, 0 FROM projects`.execute(db);
    },
  };
}
