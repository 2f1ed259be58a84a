import type { RetentionLimits, SweepCriterion } from '../../retention/policy.js';
import type { SqliteConnection } from '../../store/sqlite/open.js';
import type { SqliteRollups } from './rollups.js';

interface PickedTrace {
  id: number;
  project_session_id: number | null;
}

/**
 * Retention's writes on the SQLite writer thread: a project's own policy, and one batch of a sweep
 * (whole traces, the oldest first; spans and annotations go by the schema's cascades, sessions left
 * empty by SqliteRollups). Runs inside the caller's transaction.
 */
export class SqliteRetention {
  private readonly stmt;

  constructor(
    db: SqliteConnection,
    private readonly rollups: SqliteRollups,
  ) {
    this.stmt = {
      upsertPolicy: db.prepare<{
        projectId: number;
        maxAgeDays: number | null;
        maxTraces: number | null;
        now: number;
      }>(
        `INSERT INTO retention_policies (project_id, max_age_days, max_traces, updated_at)
         SELECT id, @maxAgeDays, @maxTraces, @now FROM projects WHERE id = @projectId
         ON CONFLICT (project_id) DO UPDATE SET max_age_days = excluded.max_age_days,
           max_traces = excluded.max_traces, updated_at = excluded.updated_at`,
      ),
      deletePolicy: db.prepare<[number]>('DELETE FROM retention_policies WHERE project_id = ?'),
      projectExists: db.prepare<[number], { id: number }>('SELECT id FROM projects WHERE id = ?'),
      startedBefore: db.prepare<[number, number, number], PickedTrace>(
        `SELECT id, project_session_id FROM traces WHERE project_id = ? AND start_time < ?
         ORDER BY start_time, id LIMIT ?`,
      ),
      traceCount: db.prepare<[number], { n: number }>(
        'SELECT count(*) AS n FROM traces WHERE project_id = ?',
      ),
      oldest: db.prepare<[number, number], PickedTrace>(
        'SELECT id, project_session_id FROM traces WHERE project_id = ? ORDER BY start_time, id LIMIT ?',
      ),
      deleteTraces: db.prepare<[string]>('DELETE FROM traces WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  /** false when there is no such project. */
  setPolicy(projectId: number, limits: RetentionLimits | null, now: number): boolean {
    if (limits === null) {
      this.stmt.deletePolicy.run(projectId);
      return this.stmt.projectExists.get(projectId) !== undefined;
    }
    const params = { projectId, maxAgeDays: limits.maxAgeDays, maxTraces: limits.maxTraces, now };
    return this.stmt.upsertPolicy.run(params).changes > 0;
  }

  /** Deletes at most `limit` traces of the project that `criterion` expires; how many. */
  sweep(projectId: number, criterion: SweepCriterion, limit: number): number {
    let picked: PickedTrace[];
    if ('startedBefore' in criterion) {
      picked = this.stmt.startedBefore.all(projectId, criterion.startedBefore, limit);
    } else {
      const excess = this.stmt.traceCount.get(projectId)!.n - criterion.keepNewest;
      picked = excess > 0 ? this.stmt.oldest.all(projectId, Math.min(excess, limit)) : [];
    }
    if (picked.length === 0) return 0;
    this.stmt.deleteTraces.run(JSON.stringify(picked.map((t) => t.id)));
    this.rollups.refreshSessions(
      picked.flatMap((t) => (t.project_session_id === null ? [] : [t.project_session_id])),
    );
    return picked.length;
  }
}
