import type { PartialSuccess } from '../ingest/index.js';
import type { IngestOutcome } from '../writer/protocol.js';

/**
 * OTLP's partial_success for a stored export request: the invalid spans left out (rejected_spans,
 * with what was wrong), and a warning for spans already stored (not rejected: they are there).
 * Undefined when every span was stored anew.
 */
export function partialSuccess(outcome: IngestOutcome): PartialSuccess | undefined {
  if (outcome.status !== 'stored') return undefined;
  const messages: string[] = [];
  if (outcome.rejected) {
    const n = outcome.rejected.count;
    messages.push(`${n} invalid span${n === 1 ? ' was' : 's were'} rejected: ${outcome.rejected.message}`);
  }
  if (outcome.duplicates > 0) {
    const n = outcome.duplicates;
    messages.push(`${n} span${n === 1 ? ' was' : 's were'} already stored (same span_id) and ignored`);
  }
  if (messages.length === 0) return undefined;
  return { rejectedSpans: outcome.rejected?.count ?? 0, errorMessage: messages.join('. ') };
}

/** Seconds an exporter should wait before retrying when the server is saturated. */
export const RETRY_AFTER_SECONDS = 1;
