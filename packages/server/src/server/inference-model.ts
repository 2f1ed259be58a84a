import { InferenceModel } from '@fawkes/inferences';
import type { InferenceSets } from './inference-sets.js';

/**
 * The model the server answers from, built once at launch. The sets must have passed
 * inferenceSetProblems; what the model itself refuses (an embedding whose vectors differ in length
 * across sets) throws its InferencesError.
 */
export function inferenceModel(sets: InferenceSets): InferenceModel | undefined {
  if (!sets.primary) return undefined;
  return new InferenceModel({ primary: sets.primary, reference: sets.reference, corpus: sets.corpus });
}
