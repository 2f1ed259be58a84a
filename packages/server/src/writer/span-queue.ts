import type { RejectedSpans } from '../ingest/index.js';
import type { SerializedSpanRecord } from '../model/span-record.js';
import type { IngestOutcome } from './protocol.js';

export interface QueuedRequest<S = SerializedSpanRecord> {
  id: number;
  spans: S[];
  /** Invalid spans of the request, left out; told in its answer. */
  rejected?: RejectedSpans;
}

/**
 * A writer thread's queue of decoded requests (SQLite: worker.ts, PostgreSQL: postgres-worker.ts):
 * bounded in spans, taken in batches of whole requests for group commit.
 */
export class SpanQueue<S = SerializedSpanRecord> {
  private readonly pending: QueuedRequest<S>[] = [];
  private queuedSpans = 0;

  constructor(
    private readonly maxQueuedSpans: number,
    private readonly maxBatchSpans: number,
  ) {}

  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  /**
   * Queues the request, or answers it at once: stored (no spans) or busy (the queue is full; a
   * request is always taken when nothing waits, however large).
   */
  offer(request: QueuedRequest<S>): IngestOutcome | null {
    const n = request.spans.length;
    if (n === 0) return storedOutcome(request, { inserted: 0, duplicates: 0 });
    if (this.queuedSpans > 0 && this.queuedSpans + n > this.maxQueuedSpans) {
      return { status: 'busy', message: 'Server is at capacity and cannot process more requests' };
    }
    this.pending.push(request);
    this.queuedSpans += n;
    return null;
  }

  /** The oldest requests, up to maxBatchSpans (one request at least); still counted until released. */
  take(): QueuedRequest<S>[] {
    const batch: QueuedRequest<S>[] = [];
    let spans = 0;
    while (
      this.pending.length > 0 &&
      (batch.length === 0 || spans + this.pending[0]!.spans.length <= this.maxBatchSpans)
    ) {
      const next = this.pending.shift()!;
      spans += next.spans.length;
      batch.push(next);
    }
    return batch;
  }

  /** Frees the room `batch` took in the bound. */
  release(batch: readonly QueuedRequest<S>[]): void {
    for (const request of batch) this.queuedSpans -= request.spans.length;
  }
}

/** A stored request's answer: what the writer counted, and the spans the decoder left out. */
export function storedOutcome(
  request: { rejected?: RejectedSpans },
  counts: { inserted: number; duplicates: number },
): IngestOutcome {
  return request.rejected
    ? { status: 'stored', ...counts, rejected: request.rejected }
    : { status: 'stored', ...counts };
}
