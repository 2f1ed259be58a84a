import type { Kysely } from 'kysely';
import type { SqlDialect } from '../schema.js';
import { rowIdColumn } from './row-id.js';

/**
 * Annotation configs (Phoenix's): a named definition of what an annotation of that name holds
 * (categorical values, continuous bounds, freeform), kept as one JSON document, and the projects each
 * one is assigned to. Deleting a config or a project removes its assignments.
 */
export function annotationConfigs(dialect: SqlDialect) {
  const { rowid, id } = rowIdColumn(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('annotation_configs')
        .addColumn('id', rowid, id)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('config', dialect === 'postgresql' ? 'jsonb' : 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('project_annotation_configs')
        .addColumn('id', rowid, id)
        .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('annotation_config_id', 'bigint', (c) =>
          c.notNull().references('annotation_configs.id').onDelete('cascade'),
        )
        .addUniqueConstraint('uq_project_annotation_configs_project_config', [
          'project_id',
          'annotation_config_id',
        ])
        .execute();
      await db.schema
        .createIndex('ix_project_annotation_configs_config')
        .on('project_annotation_configs')
        .column('annotation_config_id')
        .execute();
    },
  };
}
