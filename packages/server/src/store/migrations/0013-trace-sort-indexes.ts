import { type Kysely, sql } from 'kysely';

/**
 * The traces table sorted by a root-span column, served from an index instead of a sort of every
 * trace in range (#16; at 1M spans 1.1–1.35 s before, bench/README.md):
 * - latency: a project's traces by `end_time - start_time` (the REST traces list and the UI's traces
 *   table write the same expression, which is what lets SQLite and PostgreSQL use it);
 * - tokens: the root spans by their cumulative token total, and row id for the keyset's tie-break;
 *   a partial index, on the UI's own root-span condition (ui-api/ids.ts IS_ROOT_SPAN), so that it
 *   holds one row per trace.
 * Start time already has ix_traces_project_start.
 */
export function traceSortIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`create index ix_traces_project_latency on traces (project_id, (end_time - start_time))`.execute(
        db,
      );
      await sql`create index ix_spans_root_token_total on spans ((cumulative_llm_token_count_prompt + cumulative_llm_token_count_completion), id) where coalesce(parent_id, '') = ''`.execute(
        db,
      );
    },
  };
}
