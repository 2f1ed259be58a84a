import type { StoreCommands } from '../writer/commands.js';
import type { SweepCriterion } from './policy.js';

export interface BatchPacing {
  /** Whole traces per transaction, at most. */
  batchTraces: number;
  /** Awaited after each batch that deleted any, so that ingest batches and reads get their turn; false: stop. */
  betweenBatches(batchMillis: number, batchDeleted: number): Promise<boolean>;
}

/** Deletes, batch by batch, every trace of the project that the criteria expire; how many traces. */
export async function sweepProject(
  commands: StoreCommands,
  projectId: number,
  criteria: SweepCriterion[],
  pacing: BatchPacing,
): Promise<number> {
  let deleted = 0;
  for (const criterion of criteria) {
    for (;;) {
      const started = performance.now();
      const n = await commands.sweepTraces({ projectId, criterion, limit: pacing.batchTraces });
      deleted += n;
      if (n === 0 || !(await pacing.betweenBatches(performance.now() - started, n))) break;
    }
  }
  return deleted;
}
