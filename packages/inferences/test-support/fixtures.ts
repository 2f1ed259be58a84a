import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inferences } from '../src/inferences/inferences.js';
import { InferenceModel } from '../src/model/model.js';
import { Schema } from '../src/schema/schema.js';

/** `../shared/fixtures/inferences` beside the repository, where CI has it too. */
export const FIXTURES_DIR = new URL('../../../../shared/fixtures/inferences/', import.meta.url).pathname;

export type FixtureName = 'tabular' | 'nlp' | 'rag';

/** A fixture's sets loaded as a user would (`Inferences.fromParquet`, `Schema.fromJSON`), and what Phoenix computes for them. */
export async function loadFixture<Expected = unknown>(
  name: FixtureName,
): Promise<{ model: InferenceModel; sets: Record<string, Inferences>; expected: Expected }> {
  const schemas = JSON.parse(readFileSync(join(FIXTURES_DIR, name, 'schema.json'), 'utf8')) as Record<
    string,
    object
  >;
  const sets: Record<string, Inferences> = {};
  for (const [role, schema] of Object.entries(schemas)) {
    sets[role] = await Inferences.fromParquet(
      join(FIXTURES_DIR, name, `${role}.parquet`),
      Schema.fromJSON(schema),
    );
  }
  const expected = JSON.parse(readFileSync(join(FIXTURES_DIR, name, 'expected.json'), 'utf8')) as Expected;
  return { model: new InferenceModel(sets as { primary: Inferences }), sets, expected };
}
