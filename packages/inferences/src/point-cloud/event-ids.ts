/**
 * Event ids, Phoenix's names for the rows of a point cloud and of an export: `"<row>:<set>"`, the
 * row's index in its set's time-sorted rows and the set's role.
 */
import type { SetRole } from '../model/model.js';

const ROLES: readonly SetRole[] = ['primary', 'reference', 'corpus'];

export interface EventRow {
  role: SetRole;
  row: number;
}

export const eventId = (row: number, role: SetRole): string => `${row}:${role}`;

/** The row an event id names, or undefined when it is not of the form `<row>:<set>`. */
export function parseEventId(id: string): EventRow | undefined {
  const match = /^(0|[1-9]\d*):(primary|reference|corpus)$/.exec(id);
  if (!match) return undefined;
  const row = Number(match[1]);
  const role = match[2] as SetRole;
  return Number.isSafeInteger(row) && ROLES.includes(role) ? { role, row } : undefined;
}
