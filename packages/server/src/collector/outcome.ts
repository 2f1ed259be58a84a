import type { IngestOutcome } from '../writer/protocol.js';

/** The OTLP partial-success warning for an export request that repeated spans already stored. */
export function duplicateWarning(
  outcome: IngestOutcome,
): { rejectedSpans: number; errorMessage: string } | undefined {
  if (outcome.status !== 'stored' || outcome.duplicates === 0) return undefined;
  const n = outcome.duplicates;
  return {
    rejectedSpans: 0,
    errorMessage: `${n} span${n === 1 ? ' was' : 's were'} already stored (same span_id) and ignored`,
  };
}

/** Seconds an exporter should wait before retrying when the server is saturated. */
export const RETRY_AFTER_SECONDS = 1;
