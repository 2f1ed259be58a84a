import type pg from 'pg';
import type { RetentionLimits, SweepCriterion } from '../../retention/policy.js';
import { PostgresRollups } from './rollups.js';

/**
 * SqliteRetention's twin (retention-sqlite.ts), inside the caller's transaction. The traces of a
 * batch are locked in trace_id order, as the span writer and transferTraces lock them, so a sweep
 * and an ingest wait for each other rather than deadlock; spans go by the traces' delete trigger
 * (migration 0005), annotations by their foreign keys.
 */
export class PostgresRetention {
  constructor(private readonly client: pg.PoolClient) {}

  /** false when there is no such project. */
  async setPolicy(projectId: number, limits: RetentionLimits | null, now: number): Promise<boolean> {
    if (limits === null) {
      await this.client.query('DELETE FROM retention_policies WHERE project_id = $1', [projectId]);
      const { rowCount } = await this.client.query('SELECT 1 FROM projects WHERE id = $1', [projectId]);
      return (rowCount ?? 0) > 0;
    }
    const { rowCount } = await this.client.query(
      `INSERT INTO retention_policies (project_id, max_age_days, max_traces, updated_at)
       SELECT id, $2, $3, $4 FROM projects WHERE id = $1
       ON CONFLICT (project_id) DO UPDATE SET max_age_days = excluded.max_age_days,
         max_traces = excluded.max_traces, updated_at = excluded.updated_at`,
      [projectId, limits.maxAgeDays, limits.maxTraces, now],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Deletes at most `limit` traces of the project that `criterion` expires; how many. */
  async sweep(projectId: number, criterion: SweepCriterion, limit: number): Promise<number> {
    let ids: number[];
    if ('startedBefore' in criterion) {
      ids = await this.pick(
        'SELECT id FROM traces WHERE project_id = $1 AND start_time < $2 ORDER BY start_time LIMIT $3',
        [projectId, criterion.startedBefore, limit],
      );
    } else {
      const { rows } = await this.client.query<{ n: number }>(
        'SELECT count(*)::bigint AS n FROM traces WHERE project_id = $1',
        [projectId],
      );
      const excess = rows[0]!.n - criterion.keepNewest;
      ids =
        excess > 0
          ? await this.pick('SELECT id FROM traces WHERE project_id = $1 ORDER BY start_time LIMIT $2', [
              projectId,
              Math.min(excess, limit),
            ])
          : [];
    }
    if (ids.length === 0) return 0;
    // Locked in trace_id order; a trace deleted meanwhile (by another sweep or the API) is skipped.
    const { rows: locked } = await this.client.query<{ id: number; project_session_id: number | null }>(
      'SELECT id, project_session_id FROM traces WHERE id = ANY($1::bigint[]) ORDER BY trace_id FOR UPDATE',
      [ids],
    );
    if (locked.length === 0) return 0;
    await this.client.query('DELETE FROM traces WHERE id = ANY($1::bigint[])', [locked.map((t) => t.id)]);
    await new PostgresRollups(this.client).refreshSessions(
      locked.flatMap((t) => (t.project_session_id === null ? [] : [t.project_session_id])),
    );
    return locked.length;
  }

  private async pick(text: string, values: unknown[]): Promise<number[]> {
    const { rows } = await this.client.query<{ id: number }>(text, values);
    return rows.map((r) => r.id);
  }
}
