/** Span queries: the filter language compiled to SQL, and Phoenix's SpanQuery over the store. */
import type { SqlDialect } from '../store/schema.js';
import type { QueryDialect } from './dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import { sqliteDialect } from './sqlite-dialect.js';

export { compileSpanFilter, DEFAULT_SPAN_TABLES, type SpanTables } from './compile-filter.js';
export type { QueryDialect } from './dialect.js';
export { type Instant, InvalidInstantError, microsFromInstant } from './instant.js';
export { postgresDialect } from './postgres-dialect.js';
export {
  DEFAULT_PROJECT_NAME,
  DEFAULT_SPAN_COLUMNS,
  DEFAULT_SPAN_LIMIT,
  type QuerySpansOptions,
  querySpans,
  type SpanFrame,
} from './query-spans.js';
export { type SpanQuery, SpanQueryError } from './span-query.js';
export { sqliteDialect } from './sqlite-dialect.js';

/** The query dialect of a store. */
export function queryDialect(name: SqlDialect): QueryDialect {
  return name === 'postgresql' ? postgresDialect : sqliteDialect;
}
