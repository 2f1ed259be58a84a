import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';
import { rowIdColumn } from './row-id.js';

/**
 * Annotations sent without `sync` before their span, trace or session arrived: kept here (durably)
 * and applied by the writer once the target is stored, instead of being lost.
 */
export function pendingAnnotations(dialect: SqlDialect) {
  const { rowid, id } = rowIdColumn(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('pending_annotations')
        .addColumn('id', rowid, id)
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in ('span', 'trace', 'session', 'document')`),
        )
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('document_position', 'integer')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('score', 'double precision')
        .addColumn('explanation', 'text')
        .addColumn('metadata', dialect === 'postgresql' ? 'jsonb' : 'text', (c) => c.notNull())
        .addColumn('annotator_kind', 'text', (c) => c.notNull())
        .addColumn('identifier', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ix_pending_annotations_kind_target')
        .on('pending_annotations')
        .columns(['kind', 'target'])
        .execute();
    },
  };
}
