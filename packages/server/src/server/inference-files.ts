/**
 * `fawkes serve --primary FILE --reference FILE --corpus FILE --schema FILE`: inference sets read
 * from files (the format by extension), each with its Schema from a JSON file.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Inferences, InferencesError, Schema } from '@fawkes/inferences';
import { type InferenceSets, SET_ROLES, type SetRole } from './inference-sets.js';

export interface InferenceFileFlags {
  primary?: string;
  reference?: string;
  corpus?: string;
  /** One JSON file: `{ "primary": {...}, "reference": {...}, "corpus": {...} }`, or one Schema for every set. */
  schema?: string;
  primarySchema?: string;
  referenceSchema?: string;
  corpusSchema?: string;
  /** The sets' names (default: the file's name without its extension). */
  primaryName?: string;
  referenceName?: string;
  corpusName?: string;
}

/** A problem with the files or their schemas; the message says which flag and what to do. */
export class InferenceFilesError extends Error {}

const FORMATS: Record<string, 'parquet' | 'csv' | 'jsonl'> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Any inference flag given? (Without them `fawkes serve` serves traces only.) */
export function hasInferenceFlags(flags: InferenceFileFlags): boolean {
  return SET_ROLES.some((role) => flags[role] !== undefined);
}

async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InferenceFilesError(
      `${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InferenceFilesError(`${flag} ${path}: not JSON (${(error as Error).message})`);
  }
}

function toSchema(value: unknown, where: string): Schema {
  try {
    return Schema.fromJSON(value as object);
  } catch (error) {
    if (error instanceof InferencesError) throw new InferenceFilesError(`${where}: ${error.message}`);
    throw error;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The Schema of each set given, from --schema (keyed by role, or one for all) and --<role>-schema. */
async function schemasOf(
  flags: InferenceFileFlags,
  roles: readonly SetRole[],
): Promise<Map<SetRole, Schema>> {
  const schemas = new Map<SetRole, Schema>();
  if (flags.schema !== undefined) {
    const json = await readJson(flags.schema, '--schema');
    if (!isObject(json)) throw new InferenceFilesError(`--schema ${flags.schema}: expected a JSON object`);
    const keyed = SET_ROLES.some((role) => role in json);
    for (const role of roles) {
      if (!keyed) schemas.set(role, toSchema(json, `--schema ${flags.schema}`));
      else if (json[role] != null)
        schemas.set(role, toSchema(json[role], `--schema ${flags.schema} ("${role}")`));
    }
  }
  for (const role of roles) {
    const path = flags[`${role}Schema`];
    if (path === undefined) continue;
    if (schemas.has(role)) {
      throw new InferenceFilesError(
        `--${role}-schema and --schema both give the ${role} schema: keep one of them`,
      );
    }
    schemas.set(role, toSchema(await readJson(path, `--${role}-schema`), `--${role}-schema ${path}`));
  }
  for (const role of roles) {
    if (!schemas.has(role)) {
      throw new InferenceFilesError(
        `no schema for the ${role} set: give --${role}-schema FILE, or --schema FILE with a "${role}" key`,
      );
    }
  }
  return schemas;
}

function formatOf(path: string, flag: string): 'parquet' | 'csv' | 'jsonl' {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) {
    throw new InferenceFilesError(
      `${flag} ${path}: unknown file format "${extname(path) || '(no extension)'}" (expected .parquet, .csv, .jsonl or .ndjson)`,
    );
  }
  return format;
}

const loaders = {
  parquet: Inferences.fromParquet,
  csv: Inferences.fromCsv,
  jsonl: Inferences.fromJsonl,
} as const;

/** Reads every set the flags name, with its Schema; throws InferenceFilesError naming the flag. */
export async function loadInferenceFiles(flags: InferenceFileFlags): Promise<InferenceSets> {
  for (const role of SET_ROLES) {
    if (flags[`${role}Schema`] !== undefined && flags[role] === undefined) {
      throw new InferenceFilesError(`--${role}-schema was given without --${role} FILE`);
    }
  }
  if (flags.primary === undefined) {
    const given = SET_ROLES.filter((role) => flags[role] !== undefined);
    if (given.length > 0) {
      throw new InferenceFilesError(`--${given[0]} needs --primary FILE: it is compared with a primary set`);
    }
    if (flags.schema !== undefined)
      throw new InferenceFilesError('--schema was given without --primary FILE');
    return {};
  }
  const roles = SET_ROLES.filter((role) => flags[role] !== undefined);
  const formats = new Map(roles.map((role) => [role, formatOf(flags[role]!, `--${role}`)]));
  const schemas = await schemasOf(flags, roles);
  const sets: InferenceSets = {};
  for (const role of roles) {
    const path = flags[role]!;
    const name = flags[`${role}Name`] ?? basename(path, extname(path));
    try {
      sets[role] = await loaders[formats.get(role)!](path, schemas.get(role)!, name);
    } catch (error) {
      throw new InferenceFilesError(`--${role} ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  return sets;
}
