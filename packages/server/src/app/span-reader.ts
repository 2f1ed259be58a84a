/**
 * The read side of a Session: its own read-only connection to the store (WAL: reads never wait for
 * the writer thread, and see every committed batch) and the span query behind getSpansDataframe.
 */
import type { Kysely } from 'kysely';
import type pl from 'nodejs-polars';
import type { DatabaseLocation } from '../store/database-url.js';
import type { Database, SqlDialect } from '../store/schema.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openSqlite } from '../store/sqlite/open.js';
import { type SpanRow, spansDataframe } from './spans-dataframe.js';
import { microsFromInstant } from './time.js';

export interface SpansDataframeOptions {
  /** A filter in Phoenix's span query language, e.g. `span_kind == 'LLM' and latency_ms > 100`. */
  filterCondition?: string;
  /** Spans that start at or after this instant (a Date, ISO 8601, or epoch milliseconds). */
  startTime?: Date | string | number;
  /** Spans that start before this instant. */
  endTime?: Date | string | number;
  /** Phoenix's older name for `endTime`. */
  stopTime?: Date | string | number;
  /** Root spans only (and spans whose parent is not stored, as Phoenix counts them). */
  rootSpansOnly?: boolean;
  /** Default: the session's default project (PHOENIX_PROJECT_NAME, else `default`). */
  projectName?: string;
  /** The newest spans, at most. Default 1000, as in Phoenix. */
  limit?: number;
}

/** The span query's input, checked and in the store's units. */
export interface SpanQuery {
  projectName: string;
  filterCondition: string | undefined;
  startTime: number | undefined;
  endTime: number | undefined;
  rootSpansOnly: boolean;
  limit: number;
}

export interface SpanReader {
  query(query: SpanQuery): Promise<SpanRow[]>;
  close(): Promise<void>;
}

export class SpansDataframeError extends Error {}

function instant(name: string, value: Date | string | number | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const us = microsFromInstant(value);
  if (us === undefined) {
    throw new SpansDataframeError(
      `${name} must be a Date, an ISO 8601 string or epoch milliseconds, got ${String(value)}`,
    );
  }
  return us;
}

export function spanQueryOf(options: SpansDataframeOptions, defaultProject: string): SpanQuery {
  const { filterCondition, rootSpansOnly = false, projectName = defaultProject, limit = 1000 } = options;
  if (options.endTime !== undefined && options.stopTime !== undefined) {
    throw new SpansDataframeError('Give endTime or stopTime (its older name), not both');
  }
  if (filterCondition !== undefined && typeof filterCondition !== 'string') {
    throw new SpansDataframeError('filterCondition must be a string');
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new SpansDataframeError(`limit must be a whole number of at least 1, got ${limit}`);
  }
  if (typeof projectName !== 'string' || projectName === '') {
    throw new SpansDataframeError('projectName must be a non-empty string');
  }
  return {
    projectName,
    filterCondition: filterCondition?.trim() ? filterCondition : undefined,
    startTime: instant('startTime', options.startTime),
    endTime: instant(
      options.stopTime !== undefined ? 'stopTime' : 'endTime',
      options.endTime ?? options.stopTime,
    ),
    rootSpansOnly: Boolean(rootSpansOnly),
    limit,
  };
}

export async function spansDataframeOf(
  reader: SpanReader,
  options: SpansDataframeOptions,
  defaultProject: string,
): Promise<pl.DataFrame> {
  return spansDataframe(await reader.query(spanQueryOf(options, defaultProject)));
}

/** A reader on the server's store; the connection opens on first use. */
export function openSpanReader(database: DatabaseLocation): SpanReader {
  if (database.dialect !== 'sqlite') {
    throw new SpansDataframeError('launchApp keeps its data in SQLite; PostgreSQL is not supported here yet');
  }
  let db: { kysely: Kysely<Database>; close: () => void } | undefined;
  const open = () => {
    if (!db) {
      const connection = openSqlite(database.path, { readonly: true });
      db = { kysely: sqliteKysely(connection), close: () => connection.close() };
    }
    return db.kysely;
  };
  const dialect: SqlDialect = 'sqlite';
  return {
    async query(query) {
      return runSpanQuery(open(), dialect, query);
    },
    async close() {
      db?.close();
      db = undefined;
    },
  };
}

async function runSpanQuery(
  _db: Kysely<Database>,
  _dialect: SqlDialect,
  _query: SpanQuery,
): Promise<SpanRow[]> {
  throw new SpansDataframeError(
    'getSpansDataframe needs the span query executor (packages/server/src/query)',
  );
}
