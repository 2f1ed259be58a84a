/**
 * PostgreSQL stores neither NUL characters in text nor `\u0000` in JSON (SQLite stores both); such
 * characters in spans become U+FFFD instead of failing the whole request.
 */
export function pgText(value: string): string;
export function pgText(value: string | null): string | null;
export function pgText(value: string | null): string | null {
  return value?.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
}

/**
 * JSON text (from JSON.stringify) that PostgreSQL's json/jsonb accept: `\u0000` and unpaired
 * surrogate escapes (JSON.stringify writes both as \u escapes) become `\ufffd`.
 */
export function pgJson(json: string): string {
  if (!json.includes('\\u')) return json;
  return json.replace(
    /\\\\|\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}/g,
    (sequence) => {
      // An escaped backslash stays (it may precede a literal "u0000"); so does a well-formed pair.
      if (sequence === '\\\\' || sequence.length === 12) return sequence;
      return '\\ufffd';
    },
  );
}
