/** A project's retention limits; null: no limit on that axis (both null: keep everything). */
export interface RetentionLimits {
  /** Traces that started more than this many days ago go. */
  maxAgeDays: number | null;
  /** Beyond this many traces, the oldest go. */
  maxTraces: number | null;
}

/** The limits a project lives under, and whether they are its own or the server's default. */
export interface PolicyInForce extends RetentionLimits {
  source: 'project' | 'default';
}

export const MICROS_PER_DAY = 86_400_000_000;

/**
 * The project's own policy when it has one, else the default: PHOENIX_DEFAULT_RETENTION_POLICY_DAYS
 * days (0: keep everything), as in Phoenix.
 */
export function policyInForce(own: RetentionLimits | undefined, defaultDays: number): PolicyInForce {
  if (own) return { maxAgeDays: own.maxAgeDays, maxTraces: own.maxTraces, source: 'project' };
  return { maxAgeDays: defaultDays > 0 ? defaultDays : null, maxTraces: null, source: 'default' };
}

/** What a sweep deletes of one project under `limits`, now; none when it keeps everything. */
export function expiryCriteria(limits: RetentionLimits, nowMicros: number): SweepCriterion[] {
  const criteria: SweepCriterion[] = [];
  if (limits.maxAgeDays !== null)
    criteria.push({ startedBefore: nowMicros - limits.maxAgeDays * MICROS_PER_DAY });
  if (limits.maxTraces !== null) criteria.push({ keepNewest: limits.maxTraces });
  return criteria;
}

/** Traces that started before an instant (micros), or all but the newest N of the project. */
export type SweepCriterion = { startedBefore: number } | { keepNewest: number };
