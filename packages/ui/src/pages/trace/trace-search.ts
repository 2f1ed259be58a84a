import type { UiSpanDetail } from '../../api/types.js';

/** Every string, number and boolean inside a value, flattened (attribute values and their keys). */
function collectText(value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectText(item, out);
  else if (typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      collectText(item, out);
    }
}

/** The text a search inside a trace looks at: name, kind, ids, status message, attributes. */
export function searchableText(span: UiSpanDetail): string {
  const parts = [span.name, span.span_kind, span.span_id, span.status_message ?? ''];
  collectText(span.attributes, parts);
  return parts.join('\n').toLowerCase();
}

/**
 * The spans matching a search, in the given (tree) order: each whose name or attribute text holds
 * the query, case-insensitively. A blank query matches nothing.
 */
export function matchingSpans(spans: readonly UiSpanDetail[], query: string, index?: Map<string, string>) {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  return spans.filter((span) => (index?.get(span.span_id) ?? searchableText(span)).includes(needle));
}

/** The matches and all their ancestors: what a filtered tree keeps. */
export function withAncestors(spans: readonly UiSpanDetail[], matches: readonly UiSpanDetail[]): Set<string> {
  const parentOf = new Map(spans.map((s) => [s.span_id, s.parent_id]));
  const kept = new Set<string>();
  for (const match of matches) {
    let id: string | null | undefined = match.span_id;
    while (id && !kept.has(id)) {
      kept.add(id);
      id = parentOf.get(id);
    }
  }
  return kept;
}

/** The index of the match after (step 1) or before (step -1) `current`, wrapping around. */
export function stepMatch(count: number, current: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}
