import type { ColumnDefinitionBuilder } from 'kysely';
import type { SqlDialect } from '../schema.js';

/** A table's row id: its column type, and the primary key that numbers new rows, per dialect. */
export function rowIdColumn(dialect: SqlDialect) {
  return {
    rowid: dialect === 'postgresql' ? ('bigint' as const) : ('integer' as const),
    id: (col: ColumnDefinitionBuilder) =>
      dialect === 'postgresql'
        ? col.primaryKey().generatedByDefaultAsIdentity()
        : col.primaryKey().autoIncrement(),
  };
}
