/**
 * The inference sets a launch was given (launchApp's options, fawkes serve's files), checked before
 * any port opens: each an Inferences, a primary for a reference or corpus, a corpus with documents.
 */
import { Inferences } from '@fawkes/inferences';

export interface InferenceSets {
  primary?: Inferences | undefined;
  reference?: Inferences | undefined;
  corpus?: Inferences | undefined;
}

export const SET_ROLES = ['primary', 'reference', 'corpus'] as const;
export type SetRole = (typeof SET_ROLES)[number];

const HOW_TO_MAKE =
  'new Inferences(dataframe, schema) or await Inferences.fromParquet(path, schema) (also fromCsv, fromJsonl)';

/** What a wrong value is, for messages: `a DataFrame`, `an array`, `a string`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  // nodejs-polars' DataFrame is a proxy whose constructor is Object.
  const candidate = value as { getColumn?: unknown; columns?: unknown };
  if (typeof candidate.getColumn === 'function' && Array.isArray(candidate.columns)) return 'a DataFrame';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}

/** What is wrong with the sets, one line each (an empty list when nothing is). */
export function inferenceSetProblems(sets: Partial<Record<SetRole, unknown>>): string[] {
  const problems: string[] = [];
  for (const role of SET_ROLES) {
    const value = sets[role];
    if (value === undefined || value instanceof Inferences) continue;
    problems.push(`${role} must be an Inferences (${HOW_TO_MAKE}), got ${describeValue(value)}`);
  }
  if (problems.length > 0) return problems;
  if (sets.primary === undefined) {
    for (const role of ['reference', 'corpus'] as const) {
      if (sets[role] !== undefined) {
        problems.push(`${role} was given without primary: a ${role} set is compared with a primary one`);
      }
    }
  }
  const corpus = sets.corpus as Inferences | undefined;
  if (corpus && corpus.schema.promptColumnNames === undefined) {
    problems.push(
      "corpus needs its documents' embedding: a Schema with documentColumnNames ({ vectorColumnName, rawDataColumnName? })",
    );
  }
  return problems;
}
