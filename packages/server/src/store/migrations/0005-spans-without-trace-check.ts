import { type Kysely, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';

/**
 * PostgreSQL only: spans no longer carry a foreign key to traces. PostgreSQL checks a foreign key
 * with one trigger and one lookup query per inserted row, which cost ~10 µs of the database's CPU
 * per span, about a sixth of its ingest work (bench/README.md). Both halves of what the key gave
 * stay true without it:
 * - a span always has its trace: the span writer, the only code that inserts spans, upserts the
 *   trace in the same transaction and holds that row's lock until commit, so no delete can remove
 *   the trace in between;
 * - deleting traces deletes their spans, however the traces go (directly, or by cascade from a
 *   project or a session): one statement-level trigger deletes the spans of all deleted traces at
 *   once, and annotations of those spans go by their own foreign keys.
 * SQLite keeps the key: its check is one B-tree probe, not a query.
 */
export function spansWithoutTraceCheck(dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgresql') return;
      await sql`ALTER TABLE spans DROP CONSTRAINT spans_trace_rowid_fkey`.execute(db);
      // SET search_path FROM CURRENT: the function finds `spans` in this store's schema whatever the
      // search path of the session that deletes.
      await sql`
        CREATE FUNCTION delete_spans_of_deleted_traces() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          DELETE FROM spans WHERE trace_rowid IN (SELECT id FROM deleted_traces);
          RETURN NULL;
        END
        $$`.execute(db);
      await sql`
        CREATE TRIGGER spans_of_deleted_traces AFTER DELETE ON traces
        REFERENCING OLD TABLE AS deleted_traces
        FOR EACH STATEMENT EXECUTE FUNCTION delete_spans_of_deleted_traces()`.execute(db);
    },
  };
}
