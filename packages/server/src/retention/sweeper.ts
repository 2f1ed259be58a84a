import type { ReadStore } from '../store/repositories/read-store.js';
import { listProjectRetention } from '../store/repositories/retention-policies.js';
import type { StoreCommands } from '../writer/commands.js';
import { expiryCriteria, policyInForce } from './policy.js';
import type { SweepLock } from './sweep-lock.js';
import { sweepProject } from './sweep-project.js';

export interface SweeperOptions {
  reads: ReadStore;
  commands: StoreCommands;
  lock: SweepLock;
  /** PHOENIX_DEFAULT_RETENTION_POLICY_DAYS (0: projects without a policy keep everything). */
  defaultRetentionDays: number;
  /** Between the end of one sweep and the start of the next; 0: only when asked (sweepOnce). */
  intervalMs: number;
  /** Whole traces per transaction. */
  batchTraces?: number;
  /**
   * After each batch the sweeper rests this many times as long as the batch took, so that it takes
   * at most 1 / (1 + ratio) of the writer's time and ingest batches go in between.
   */
  restRatio?: number;
  /** Now, in microseconds since the epoch. */
  now?: () => number;
  /** Progress, after every batch (awaited): logging, tests. */
  onBatch?: (progress: { projectId: number; deletedTraces: number }) => Promise<void> | void;
  /** A sweep failed; the next one comes at the next interval. */
  onError?: (error: unknown) => void;
}

export type SweepOutcome =
  | { status: 'swept'; deletedTraces: number }
  /** Another sweep (here, or on another server sharing the database) holds the lock. */
  | { status: 'busy' };

export const DEFAULT_BATCH_TRACES = 100;
export const DEFAULT_REST_RATIO = 1;

/**
 * Applies every project's retention policy (its own, else the default): deletes its expired traces
 * in small transactions, resting between them, off the ingest path (on SQLite the batches are
 * commands to the writer thread, which commits ingest batches in between).
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepOutcome> | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: SweeperOptions) {
    this.now = options.now ?? (() => Date.now() * 1000);
  }

  /** Sweeps every intervalMs from now on (unless it is 0). */
  start(): void {
    if (this.options.intervalMs > 0 && !this.closed) this.schedule();
  }

  /** Stops: no new sweep, the running one stops after its current batch. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep over every project, now. */
  sweepOnce(): Promise<SweepOutcome> {
    if (this.running) return Promise.resolve({ status: 'busy' });
    this.running = this.sweepAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(async () => {
      try {
        await this.sweepOnce();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.closed) this.schedule();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async sweepAll(): Promise<SweepOutcome> {
    const { reads, commands, lock, defaultRetentionDays, onBatch } = this.options;
    const batchTraces = this.options.batchTraces ?? DEFAULT_BATCH_TRACES;
    const restRatio = this.options.restRatio ?? DEFAULT_REST_RATIO;
    const deleted = await lock.tryWith(async () => {
      let total = 0;
      for (const { projectId, own } of await listProjectRetention(reads)) {
        if (this.closed) break;
        const criteria = expiryCriteria(policyInForce(own, defaultRetentionDays), this.now());
        if (criteria.length === 0) continue;
        let inProject = 0;
        total += await sweepProject(commands, projectId, criteria, {
          batchTraces,
          betweenBatches: async (batchMillis, batchDeleted) => {
            inProject += batchDeleted;
            await onBatch?.({ projectId, deletedTraces: inProject });
            if (this.closed) return false;
            await rest(batchMillis * restRatio);
            return !this.closed;
          },
        });
      }
      return total;
    });
    return deleted === null ? { status: 'busy' } : { status: 'swept', deletedTraces: deleted };
  }
}

const rest = (millis: number) =>
  new Promise<void>((resolve) => (millis >= 1 ? setTimeout(resolve, millis) : setImmediate(resolve)));
