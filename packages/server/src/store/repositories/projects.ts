import { type Selectable, type SqlBool, sql } from 'kysely';
import type { ProjectsTable } from '../schema.js';
import type { ReadStore } from './read-store.js';

export type ProjectRow = Selectable<ProjectsTable>;

export function findProjectById({ db }: ReadStore, id: number): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProjectByName({ db }: ReadStore, name: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
}

export interface ProjectPageQuery {
  /** Rows with an id at most this (the cursor names the first row of the page). */
  fromId: number | null;
  /** Rows to fetch: the page size plus one, to know whether another page follows. */
  fetch: number;
  /** Case-insensitive substring of the name. */
  nameContains: string | null;
}

/** Newest first (id descending), as Phoenix lists projects. */
export function listProjects({ db }: ReadStore, query: ProjectPageQuery): Promise<ProjectRow[]> {
  let q = db.selectFrom('projects').selectAll().orderBy('id', 'desc').limit(query.fetch);
  if (query.fromId !== null) q = q.where('id', '<=', query.fromId);
  if (query.nameContains) {
    const escaped = query.nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where(sql<SqlBool>`lower(name) like ${`%${escaped}%`} escape '\\'`);
  }
  return q.execute();
}
