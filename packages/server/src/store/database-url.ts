import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export type DatabaseLocation =
  | { dialect: 'sqlite'; path: string }
  /** `schema`: PHOENIX_SQL_DATABASE_SCHEMA, the PostgreSQL schema that holds Fawkes' tables. */
  | { dialect: 'postgresql'; url: string; schema?: string };

export const SQLITE_FILE_NAME = 'fawkes.db';

/** `~/.fawkes` unless PHOENIX_WORKING_DIR (or --working-dir) says otherwise. */
export function defaultWorkingDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PHOENIX_WORKING_DIR || join(homedir(), '.fawkes');
}

/**
 * Reads a PHOENIX_SQL_DATABASE_URL-style value: `sqlite:///abs/path.db`, `sqlite:///:memory:`,
 * `postgresql://…` (also `postgres://`). Without one, SQLite in the working directory.
 */
export function resolveDatabaseLocation(
  databaseUrl: string | undefined,
  workingDir: string,
): DatabaseLocation {
  if (!databaseUrl) return { dialect: 'sqlite', path: join(resolve(workingDir), SQLITE_FILE_NAME) };
  if (/^postgres(ql)?(\+\w+)?:\/\//i.test(databaseUrl)) {
    return { dialect: 'postgresql', url: databaseUrl.replace(/^postgres(ql)?\+\w+:/i, 'postgresql:') };
  }
  const sqlite = /^sqlite(\+\w+)?:\/\/(.*)$/i.exec(databaseUrl);
  if (sqlite) {
    // sqlite:///relative.db (three slashes) is relative; sqlite:////abs.db (four) is absolute, as in
    // SQLAlchemy URLs that Phoenix users already have.
    const rest = sqlite[2]!.replace(/^\//, '');
    if (rest === '' || rest === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
    return { dialect: 'sqlite', path: isAbsolute(rest) ? rest : resolve(rest) };
  }
  throw new Error(
    `Unsupported database URL '${redact(databaseUrl)}': expected sqlite:///path/to/file.db or postgresql://user:password@host:port/database`,
  );
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
