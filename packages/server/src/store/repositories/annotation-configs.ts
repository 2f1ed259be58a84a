import type { AnnotationConfigDocument, AnnotationConfigRecord } from '../../model/annotation-config.js';
import { parseJsonColumn } from './json.js';
import type { ReadStore } from './read-store.js';

interface ConfigRow {
  id: number;
  name: string;
  config: unknown;
}

export function toConfigRecord(row: ConfigRow): AnnotationConfigRecord {
  return {
    id: Number(row.id),
    name: row.name,
    config: parseJsonColumn<AnnotationConfigDocument>(row.config),
  };
}

export async function findAnnotationConfigById(
  { db }: ReadStore,
  id: number,
): Promise<AnnotationConfigRecord | undefined> {
  const row = await db.selectFrom('annotation_configs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConfigRecord(row);
}

export async function findAnnotationConfigByName(
  { db }: ReadStore,
  name: string,
): Promise<AnnotationConfigRecord | undefined> {
  const row = await db
    .selectFrom('annotation_configs')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row && toConfigRecord(row);
}

export interface ConfigPageQuery {
  /** Configs with an id at most this (the cursor names the first config of the page). */
  fromId: number | null;
  /** The page size plus one, to know whether another page follows. */
  fetch: number;
  /** Only the configs assigned to this project, when given. */
  projectId?: number;
}

/** Newest first (id descending), as Phoenix lists them. */
export async function listAnnotationConfigs(
  { db }: ReadStore,
  query: ConfigPageQuery,
): Promise<AnnotationConfigRecord[]> {
  let q = db
    .selectFrom('annotation_configs as c')
    .select(['c.id', 'c.name', 'c.config'])
    .orderBy('c.id', 'desc')
    .limit(query.fetch);
  if (query.fromId !== null) q = q.where('c.id', '<=', query.fromId);
  if (query.projectId !== undefined) {
    const projectId = query.projectId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_annotation_configs as pc')
          .select('pc.id')
          .whereRef('pc.annotation_config_id', '=', 'c.id')
          .where('pc.project_id', '=', projectId),
      ),
    );
  }
  return (await q.execute()).map(toConfigRecord);
}

/** The configs of these names assigned to these projects, by project id then name. */
export async function projectConfigsByName(
  { db }: ReadStore,
  projectIds: readonly number[],
  names: readonly string[],
): Promise<Map<number, Map<string, AnnotationConfigRecord>>> {
  const out = new Map<number, Map<string, AnnotationConfigRecord>>();
  if (projectIds.length === 0 || names.length === 0) return out;
  const rows = await db
    .selectFrom('project_annotation_configs as pc')
    .innerJoin('annotation_configs as c', 'c.id', 'pc.annotation_config_id')
    .select(['pc.project_id', 'c.id', 'c.name', 'c.config'])
    .where('pc.project_id', 'in', [...projectIds])
    .where('c.name', 'in', [...names])
    .execute();
  for (const row of rows) {
    const projectId = Number(row.project_id);
    const byName = out.get(projectId) ?? new Map<string, AnnotationConfigRecord>();
    byName.set(row.name, toConfigRecord(row));
    out.set(projectId, byName);
  }
  return out;
}

/** Whether any config of these names is assigned to any project: when none is, nothing to check. */
export async function anyAssignedConfigNamed({ db }: ReadStore, names: readonly string[]): Promise<boolean> {
  if (names.length === 0) return false;
  const row = await db
    .selectFrom('annotation_configs as c')
    .innerJoin('project_annotation_configs as pc', 'pc.annotation_config_id', 'c.id')
    .select('c.id')
    .where('c.name', 'in', [...names])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Targets looked up per query: well under SQLite's and PostgreSQL's bound-parameter limits. */
const TARGETS_PER_QUERY = 500;

/**
 * The project of each stored target: span ids (span and document annotations), trace ids or
 * session ids, by the user's id. Targets not stored (yet) are absent.
 */
export async function projectsOfTargets(
  { db }: ReadStore,
  kind: 'span' | 'document' | 'trace' | 'session',
  targets: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(targets)];
  for (let i = 0; i < unique.length; i += TARGETS_PER_QUERY) {
    const chunk = unique.slice(i, i + TARGETS_PER_QUERY);
    const rows =
      kind === 'trace'
        ? await db
            .selectFrom('traces')
            .select(['trace_id as target', 'project_id'])
            .where('trace_id', 'in', chunk)
            .execute()
        : kind === 'session'
          ? await db
              .selectFrom('project_sessions')
              .select(['session_id as target', 'project_id'])
              .where('session_id', 'in', chunk)
              .execute()
          : await db
              .selectFrom('spans as s')
              .innerJoin('traces as t', 't.id', 's.trace_rowid')
              .select(['s.span_id as target', 't.project_id'])
              .where('s.span_id', 'in', chunk)
              .execute();
    for (const row of rows) out.set(row.target, Number(row.project_id));
  }
  return out;
}
