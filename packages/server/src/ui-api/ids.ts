import { type SqlBool, sql } from 'kysely';
import { isoFromMicros } from '../ingest/normalize.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';

/** Relay GlobalIDs as Phoenix writes them: base64 of `<Type>:<rowid>`. */
export function globalId(type: string, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`, 'utf8').toString('base64');
}

/** The row id of a GlobalID of `type`, else null. */
export function rowIdOf(value: string, type: string): number | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const text = Buffer.from(value, 'base64').toString('utf8');
  const match = /^([A-Za-z]+):(\d+)$/.exec(text);
  if (!match || match[1] !== type) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? id : null;
}

export const iso = isoFromMicros;

/** Milliseconds between two microsecond instants. */
export function millisBetween(startUs: number, endUs: number): number {
  return (endUs - startUs) / 1000;
}

export interface ProjectRef {
  id: number;
  name: string;
}

/** A project by name or GlobalID; 404 with Phoenix's wording when there is none. */
export async function findProject({ db }: ReadStore, identifier: string): Promise<ProjectRef> {
  const byName = await db
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('name', '=', identifier)
    .executeTakeFirst();
  if (byName) return byName;
  const rowId = rowIdOf(identifier, 'Project');
  if (rowId !== null) {
    const byId = await db
      .selectFrom('projects')
      .select(['id', 'name'])
      .where('id', '=', rowId)
      .executeTakeFirst();
    if (byId) return byId;
  }
  throw new HttpError(404, `Project with identifier ${identifier} not found`);
}

/**
 * "This span is a root", written so that no index serves it: SQLite, without statistics, would
 * otherwise walk the parent_id index through every root span of the database (a tenth of all spans)
 * instead of the few traces at hand. Span ids are never empty.
 */
export const IS_ROOT_SPAN = sql<SqlBool>`coalesce(spans.parent_id, '') = ''`;

/** `substr(text, 1, n)`: the same in SQLite and PostgreSQL. */
export function preview(expression: ReturnType<typeof sql>, length: number) {
  return sql<string | null>`substr(${expression}, 1, ${sql.lit(length)})`;
}
