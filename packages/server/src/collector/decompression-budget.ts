/**
 * Bytes that request bodies may occupy decompressed at once, across the whole server. A small gzip
 * body can inflate to the per-request limit (64 MiB); without a shared bound, 64 such requests at
 * once would take gigabytes before any other bound applies. Past it, an export is refused with 503
 * and Retry-After, and the exporter retries.
 */
export class DecompressionBudget {
  private used = 0;

  constructor(readonly bytes: number) {}

  /** Takes `n` bytes if they are free; false (and nothing taken) when the budget is spent. */
  tryTake(n: number): boolean {
    if (this.used + n > this.bytes) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  get inUse(): number {
    return this.used;
  }
}
