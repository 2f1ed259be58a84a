import { HttpError } from '../util/http-error.js';
import { rowIdFromCursor } from './global-id.js';

/**
 * Pages are read with one row more than asked: when it comes back, the page is full and that row,
 * the first of the next page, becomes `next_cursor` (as Phoenix does).
 */
export function splitPage<T>(rows: readonly T[], limit: number): { rows: T[]; next: T | undefined } {
  if (rows.length <= limit) return { rows: [...rows], next: undefined };
  return { rows: rows.slice(0, limit), next: rows[limit] };
}

/** The row id a cursor names, or a 422 with Phoenix's text. */
export function cursorRowId(
  cursor: string | undefined,
  message = `Invalid cursor format: ${cursor}`,
): number | null {
  if (cursor === undefined || cursor === '') return null;
  const id = rowIdFromCursor(cursor);
  if (id === null) throw new HttpError(422, message);
  return id;
}
