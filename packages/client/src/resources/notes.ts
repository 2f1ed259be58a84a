import { requireText } from '../arguments.js';

/**
 * A note's text and identifier as the notes endpoints take them: without an identifier each note is
 * a new one; with one, a note of the same identifier is replaced.
 */
export function noteData(
  note: string,
  identifier: string | undefined,
): { note: string; identifier?: string } {
  const trimmed = identifier?.trim();
  return { note: requireText(note, 'note'), ...(trimmed ? { identifier: trimmed } : {}) };
}
