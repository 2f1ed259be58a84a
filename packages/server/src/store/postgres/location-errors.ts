/** The checks and errors of a PostgreSQL location that need no driver: config.ts and the CLI use them without loading pg. */

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class InvalidSchemaNameError extends Error {}

/** The schema name, checked: letters, digits and underscores, as an unquoted PostgreSQL identifier. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidSchemaNameError(
      `Invalid database schema '${schema}': use letters, digits and underscores (at most 63), not starting with a digit`,
    );
  }
  return schema;
}

/** The database cannot be reached (down, wrong address, wrong password, no such database). */
export class DatabaseUnavailableError extends Error {}
