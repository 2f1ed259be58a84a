/** The reference datasets of `../shared/fixtures/inferences/` (see its README), as tests load them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inferences, Schema } from '@fawkes/inferences';

export const INFERENCE_FIXTURES = fileURLToPath(
  new URL('../../../../shared/fixtures/inferences/', import.meta.url),
);

export type FixtureName = 'tabular' | 'nlp' | 'rag';
export type FixtureRole = 'primary' | 'reference' | 'corpus';

export const fixturePath = (fixture: FixtureName, file: string) => join(INFERENCE_FIXTURES, fixture, file);

/** The fixture's `schema.json`: Phoenix's snake_case Schema of each of its sets. */
export function fixtureSchemas(fixture: FixtureName): Partial<Record<FixtureRole, object>> {
  return JSON.parse(readFileSync(fixturePath(fixture, 'schema.json'), 'utf8')) as Partial<
    Record<FixtureRole, object>
  >;
}

/** One set of a fixture, read from its Parquet file with its Schema, named by its role. */
export async function loadFixtureSet(fixture: FixtureName, role: FixtureRole): Promise<Inferences> {
  const schema = fixtureSchemas(fixture)[role];
  if (!schema) throw new Error(`the ${fixture} fixture has no ${role} set`);
  return Inferences.fromParquet(fixturePath(fixture, `${role}.parquet`), Schema.fromJSON(schema), role);
}

// biome-ignore lint/suspicious/noExplicitAny: expected.json is read as the README describes it.
export function fixtureExpected(fixture: FixtureName): any {
  return JSON.parse(readFileSync(fixturePath(fixture, 'expected.json'), 'utf8'));
}
