import { createRequire } from 'node:module';

/** Fawkes' own version (this package's). */
export const FAWKES_VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;

/**
 * The Phoenix release whose REST surface Fawkes implements. Phoenix's clients read it (from
 * `/arize_phoenix_version` or the `x-phoenix-server-version` header) to decide which calls to make.
 */
export const PHOENIX_COMPATIBLE_VERSION = '20.3.0';
