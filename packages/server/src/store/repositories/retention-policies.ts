import type { RetentionLimits } from '../../retention/policy.js';
import type { ReadStore } from './read-store.js';

/** The project's own retention limits, or undefined when it follows the default. */
export async function findRetentionLimits(
  { db }: ReadStore,
  projectId: number,
): Promise<RetentionLimits | undefined> {
  const row = await db
    .selectFrom('retention_policies')
    .select(['max_age_days', 'max_traces'])
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row ? { maxAgeDays: row.max_age_days, maxTraces: row.max_traces } : undefined;
}

/** Every project with its own limits (undefined: it follows the default). */
export async function listProjectRetention({
  db,
}: ReadStore): Promise<{ projectId: number; own: RetentionLimits | undefined }[]> {
  const rows = await db
    .selectFrom('projects')
    .leftJoin('retention_policies', 'retention_policies.project_id', 'projects.id')
    .select([
      'projects.id as projectId',
      'retention_policies.project_id as policyProjectId',
      'retention_policies.max_age_days',
      'retention_policies.max_traces',
    ])
    .orderBy('projects.id')
    .execute();
  return rows.map((r) => ({
    projectId: r.projectId,
    own: r.policyProjectId === null ? undefined : { maxAgeDays: r.max_age_days, maxTraces: r.max_traces },
  }));
}
