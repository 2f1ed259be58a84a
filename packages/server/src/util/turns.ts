import { setImmediate as nextTurn } from 'node:timers/promises';

/** A generator's result, one slice of its work per event-loop turn (what it yields between slices). */
export async function runInTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await nextTurn();
  }
}
