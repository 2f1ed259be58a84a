/**
 * Relay GlobalIDs as Phoenix (strawberry) writes and reads them: standard base64, with padding, of
 * `<TypeName>:<rowid>`. `Project:1` ↔ `UHJvamVjdDox`, `ProjectSession:7` ↔ `UHJvamVjdFNlc3Npb246Nw==`.
 */

export type NodeType =
  | 'Project'
  | 'ProjectSession'
  | 'Trace'
  | 'Span'
  | 'SpanAnnotation'
  | 'TraceAnnotation'
  | 'ProjectSessionAnnotation'
  | 'DocumentAnnotation'
  | 'CategoricalAnnotationConfig'
  | 'ContinuousAnnotationConfig'
  | 'FreeformAnnotationConfig'
  | 'GenerativeModel'
  | 'User';

export function encodeGlobalId(type: NodeType, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`, 'utf8').toString('base64');
}

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/**
 * Python's lenient `base64.b64decode`: characters outside the alphabet are skipped, the rest must be
 * correctly padded; null when they are not, or when the bytes are not UTF-8.
 */
function decodeBase64Leniently(value: string): string | null {
  let kept = '';
  for (const ch of value) if (BASE64_CHAR.test(ch)) kept += ch;
  const data = kept.replace(/=+$/, '');
  if (data.includes('=') || data.length % 4 === 1) return null;
  const padding = kept.length - data.length;
  if ((data.length + padding) % 4 !== 0) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
  } catch {
    return null;
  }
}

/** The type name and node id a GlobalID carries, or null when the value is not a GlobalID at all. */
export function decodeGlobalId(value: string): { type: string; nodeId: string } | null {
  const text = decodeBase64Leniently(value);
  if (text === null) return null;
  const colon = text.indexOf(':');
  if (colon === -1) return null;
  return { type: text.slice(0, colon), nodeId: text.slice(colon + 1) };
}

/**
 * The row id when `value` is a GlobalID of `type` with an integer node id, else null: then Phoenix
 * treats the value as something else (a name, a session_id, an OpenTelemetry id).
 */
export function rowIdFromGlobalId(value: string, type: NodeType): number | null {
  const decoded = decodeGlobalId(value);
  if (decoded === null || decoded.type !== type) return null;
  const id = decoded.nodeId.trim();
  if (!/^[+-]?\d+$/.test(id)) return null;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : null;
}

/** The row id a pagination cursor points at, whatever the type it names; null when unreadable. */
export function rowIdFromCursor(value: string): number | null {
  const decoded = decodeGlobalId(value);
  if (decoded === null) return null;
  const id = decoded.nodeId.trim();
  if (!/^[+-]?\d+$/.test(id)) return null;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : null;
}
