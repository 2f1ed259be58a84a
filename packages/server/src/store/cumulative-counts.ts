import type { SpanRecord as FullSpanRecord } from '../model/span-record.js';

/** What counting needs of a span (every form the writers accept has it). */
type SpanRecord = Pick<
  FullSpanRecord,
  'spanId' | 'parentId' | 'statusCode' | 'llmTokenCountPrompt' | 'llmTokenCountCompletion'
>;

export interface Counts {
  errors: number;
  prompt: number;
  completion: number;
}

export const ZERO: Readonly<Counts> = Object.freeze({ errors: 0, prompt: 0, completion: 0 });

export const isZero = (c: Counts) => c.errors === 0 && c.prompt === 0 && c.completion === 0;

/**
 * Each new span's cumulative counts: its own, plus those of its children, whether stored earlier
 * (`stored`: totals per parent span id, read before this request's spans were inserted) or arriving
 * in the same request. Cycle-safe: a span met again on its own path adds nothing.
 */
export function cumulativeCounts(
  spans: readonly SpanRecord[],
  stored: ReadonlyMap<string, Counts>,
): Map<string, Counts> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    if (span.parentId === null || !byId.has(span.parentId)) continue;
    const siblings = children.get(span.parentId);
    if (siblings) siblings.push(span);
    else children.set(span.parentId, [span]);
  }
  const counts = new Map<string, Counts>();
  const visiting = new Set<string>();
  const total = (span: SpanRecord): Counts => {
    const known = counts.get(span.spanId);
    if (known) return known;
    if (visiting.has(span.spanId)) return ZERO;
    visiting.add(span.spanId);
    const fromStored = stored.get(span.spanId) ?? ZERO;
    const sum: Counts = {
      errors: (span.statusCode === 'ERROR' ? 1 : 0) + fromStored.errors,
      prompt: span.llmTokenCountPrompt + fromStored.prompt,
      completion: span.llmTokenCountCompletion + fromStored.completion,
    };
    for (const child of children.get(span.spanId) ?? []) {
      const c = total(child);
      sum.errors += c.errors;
      sum.prompt += c.prompt;
      sum.completion += c.completion;
    }
    visiting.delete(span.spanId);
    counts.set(span.spanId, sum);
    return sum;
  };
  for (const span of spans) total(span);
  return counts;
}

/**
 * What the stored ancestors of a request's spans gain: for every span whose parent is not in the
 * request, its whole in-request subtree's counts go up from that parent (summed per parent).
 */
export function ancestorDeltas(
  spans: readonly SpanRecord[],
  counts: ReadonlyMap<string, Counts>,
): Map<string, Counts> {
  const deltas = new Map<string, Counts>();
  for (const span of spans) {
    if (span.parentId === null || counts.has(span.parentId)) continue;
    const c = counts.get(span.spanId)!;
    if (isZero(c)) continue;
    const d = deltas.get(span.parentId);
    if (d) {
      d.errors += c.errors;
      d.prompt += c.prompt;
      d.completion += c.completion;
    } else deltas.set(span.parentId, { ...c });
  }
  return deltas;
}
