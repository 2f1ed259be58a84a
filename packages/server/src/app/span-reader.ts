/**
 * The read side of a Session: its own read-only connection to the store (WAL: reads never wait for
 * the writer thread, and see every committed batch) and the span query behind getSpansDataframe.
 */
import type { Kysely } from 'kysely';
import type pl from 'nodejs-polars';
import {
  type Instant,
  type QuerySpansOptions,
  queryDialect,
  querySpans,
  type SpanFrame,
} from '../span-query/index.js';
import type { DatabaseLocation } from '../store/database-url.js';
import type { Database } from '../store/schema.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openSqlite } from '../store/sqlite/open.js';
import { spansDataframe } from './spans-dataframe.js';

export interface SpansDataframeOptions {
  /** A filter in Phoenix's span query language, e.g. `span_kind == 'LLM' and latency_ms > 100`. */
  filterCondition?: string;
  /** Spans that start at or after this instant (a Date, ISO 8601, or epoch milliseconds). */
  startTime?: Instant;
  /** Spans that start before this instant. */
  endTime?: Instant;
  /** Phoenix's older name for `endTime`. */
  stopTime?: Instant;
  /** Root spans only: without a parent, or whose parent is not stored (as Phoenix counts them). */
  rootSpansOnly?: boolean;
  /** Default: the session's default project (PHOENIX_PROJECT_NAME, else `default`). */
  projectName?: string;
  /** The newest spans, at most; null for all. Default 1000, as in Phoenix. */
  limit?: number | null;
}

export interface SpanReader {
  /** Phoenix's default span frame for `options` (see query/query-spans.ts). */
  query(options: QuerySpansOptions): Promise<SpanFrame>;
  close(): Promise<void>;
}

/** Bad options; a bad filter rejects with the query's SpanQueryError, which names the position. */
export class SpansDataframeError extends Error {}

export function querySpansOptions(options: SpansDataframeOptions, defaultProject: string): QuerySpansOptions {
  const { filterCondition, startTime, rootSpansOnly = false, projectName = defaultProject, limit } = options;
  if (options.endTime !== undefined && options.stopTime !== undefined) {
    throw new SpansDataframeError('Give endTime or stopTime (its older name), not both');
  }
  if (filterCondition !== undefined && typeof filterCondition !== 'string') {
    throw new SpansDataframeError('filterCondition must be a string');
  }
  if (typeof projectName !== 'string' || projectName === '') {
    throw new SpansDataframeError('projectName must be a non-empty string');
  }
  return {
    projectName,
    filterCondition: filterCondition?.trim() ? filterCondition : undefined,
    startTime,
    endTime: options.endTime ?? options.stopTime,
    rootSpansOnly: Boolean(rootSpansOnly),
    limit,
  };
}

export async function spansDataframeOf(
  reader: SpanReader,
  options: SpansDataframeOptions,
  defaultProject: string,
): Promise<pl.DataFrame> {
  const frame = await reader.query(querySpansOptions(options, defaultProject));
  return spansDataframe(frame.rows);
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
  return {
    query: (options) => querySpans(open(), queryDialect('sqlite'), options),
    async close() {
      db?.close();
      db = undefined;
    },
  };
}
