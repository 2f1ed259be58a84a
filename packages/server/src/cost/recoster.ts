import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { StoreCommands } from '../writer/commands.js';
import { RECOST_BATCH_SPANS } from './recost.js';

/**
 * Prices stored spans again after a price change, off the ingest path: batches of
 * RECOST_BATCH_SPANS spans, one short transaction each (on SQLite, a command of the writer thread
 * run between ingest batches; on PostgreSQL, a pooled transaction that skips a project another
 * server is re-costing), until cost_recost_queue is empty. The queue is written in the price
 * change's own transaction, so a crash in between only delays the work to the next start.
 */
export class Recoster {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly commands: Pick<StoreCommands, 'recostSpans'>,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Resolves once every project queued before the call has been re-costed. */
  drain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops after the batch in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => {});
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return;
        const outcome = await this.commands.recostSpans({ limit: RECOST_BATCH_SPANS });
        if (outcome.projectId === null) {
          if (!this.again) return;
          this.again = false;
        }
        await yieldToOthers();
      }
    } catch (error) {
      if (!this.closed) this.onError(error);
    }
  }
}

const recosters = new WeakMap<object, Recoster>();

/** The one re-coster of a store's commands (the server's and its routes'). */
export function recosterFor(
  commands: Pick<StoreCommands, 'recostSpans'>,
  onError?: (error: unknown) => void,
): Recoster {
  let recoster = recosters.get(commands);
  if (!recoster) {
    recoster = new Recoster(commands, onError);
    recosters.set(commands, recoster);
  }
  return recoster;
}
