import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';
import { rowIdColumn } from './row-id.js';

/** The data model of DESIGN.md: projects → traces → spans, sessions, four annotation tables. */
export function initialSchema(dialect: SqlDialect) {
  const json = dialect === 'postgresql' ? 'jsonb' : 'text';
  const { rowid, id } = rowIdColumn(dialect);
  const micros = 'bigint' as const;

  /** The four annotation tables share their columns; only the target (and documents' position) differ. */
  const annotationTable = (
    db: Kysely<unknown>,
    table: string,
    target: string,
    references: string,
    withDocumentPosition = false,
  ) => {
    let t: CreateTableBuilder<string, string> = db.schema
      .createTable(table)
      .addColumn('id', rowid, id)
      .addColumn(target, 'bigint', (c) => c.notNull().references(references).onDelete('cascade'));
    if (withDocumentPosition) t = t.addColumn('document_position', 'integer', (c) => c.notNull());
    return t
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('score', 'double precision')
      .addColumn('explanation', 'text')
      .addColumn('metadata', json, (c) => c.notNull())
      .addColumn('annotator_kind', 'text', (c) =>
        c.notNull().check(sql`annotator_kind in ('LLM', 'CODE', 'HUMAN')`),
      )
      .addColumn('identifier', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('API', 'APP')`))
      .addColumn('user_id', 'bigint')
      .addColumn('created_at', micros, (c) => c.notNull())
      .addColumn('updated_at', micros, (c) => c.notNull())
      .addUniqueConstraint(`uq_${table}_name_target_identifier`, [
        'name',
        target,
        ...(withDocumentPosition ? ['document_position'] : []),
        'identifier',
      ]);
  };

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('projects')
        .addColumn('id', rowid, id)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('created_at', micros, (c) => c.notNull())
        .addColumn('updated_at', micros, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('project_sessions')
        .addColumn('id', rowid, id)
        .addColumn('session_id', 'text', (c) => c.notNull().unique())
        .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('start_time', micros, (c) => c.notNull())
        .addColumn('end_time', micros, (c) => c.notNull())
        .addColumn('num_traces', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('token_count_prompt', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('token_count_completion', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('first_input', 'text')
        .addColumn('first_input_time', micros)
        .addColumn('last_output', 'text')
        .addColumn('last_output_time', micros)
        .execute();
      await db.schema
        .createIndex('ix_project_sessions_project_id')
        .on('project_sessions')
        .columns(['project_id', 'id'])
        .execute();
      await db.schema
        .createIndex('ix_project_sessions_project_start')
        .on('project_sessions')
        .columns(['project_id', 'start_time'])
        .execute();

      await db.schema
        .createTable('traces')
        .addColumn('id', rowid, id)
        .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('trace_id', 'text', (c) => c.notNull().unique())
        .addColumn('project_session_id', 'bigint', (c) =>
          c.references('project_sessions.id').onDelete('cascade'),
        )
        .addColumn('start_time', micros, (c) => c.notNull())
        .addColumn('end_time', micros, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ix_traces_project_start')
        .on('traces')
        .columns(['project_id', 'start_time'])
        .execute();
      await db.schema
        .createIndex('ix_traces_session_start')
        .on('traces')
        .columns(['project_session_id', 'start_time'])
        .execute();

      await db.schema
        .createTable('spans')
        .addColumn('id', rowid, id)
        .addColumn('trace_rowid', 'bigint', (c) => c.notNull().references('traces.id').onDelete('cascade'))
        .addColumn('span_id', 'text', (c) => c.notNull().unique())
        .addColumn('parent_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('span_kind', 'text', (c) => c.notNull())
        .addColumn('start_time', micros, (c) => c.notNull())
        .addColumn('end_time', micros, (c) => c.notNull())
        .addColumn('attributes', json, (c) => c.notNull())
        .addColumn('events', json, (c) => c.notNull())
        .addColumn('status_code', 'text', (c) =>
          c.notNull().check(sql`status_code in ('OK', 'ERROR', 'UNSET')`),
        )
        .addColumn('status_message', 'text', (c) => c.notNull())
        .addColumn('cumulative_error_count', 'integer', (c) => c.notNull())
        .addColumn('cumulative_llm_token_count_prompt', 'bigint', (c) => c.notNull())
        .addColumn('cumulative_llm_token_count_completion', 'bigint', (c) => c.notNull())
        .addColumn('llm_token_count_prompt', 'bigint', (c) => c.notNull())
        .addColumn('llm_token_count_completion', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_spans_trace_rowid').on('spans').column('trace_rowid').execute();
      await db.schema.createIndex('ix_spans_parent_id').on('spans').column('parent_id').execute();
      await db.schema.createIndex('ix_spans_start_time').on('spans').column('start_time').execute();

      await annotationTable(db, 'span_annotations', 'span_rowid', 'spans.id').execute();
      await annotationTable(db, 'trace_annotations', 'trace_rowid', 'traces.id').execute();
      await annotationTable(
        db,
        'project_session_annotations',
        'project_session_id',
        'project_sessions.id',
      ).execute();
      await annotationTable(db, 'document_annotations', 'span_rowid', 'spans.id', true).execute();
      for (const [table, column] of [
        ['span_annotations', 'span_rowid'],
        ['trace_annotations', 'trace_rowid'],
        ['project_session_annotations', 'project_session_id'],
        ['document_annotations', 'span_rowid'],
      ] as const) {
        await db.schema.createIndex(`ix_${table}_target`).on(table).column(column).execute();
        await db.schema.createIndex(`ix_${table}_name`).on(table).column('name').execute();
      }
    },
  };
}
