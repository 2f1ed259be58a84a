/** Span queries: the filter language compiled to SQL, and Phoenix's SpanQuery over the store. */
import type { SqlDialect } from '../store/schema.js';
import type { QueryDialect } from './dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import { sqliteDialect } from './sqlite-dialect.js';

export {
  type CompileOptions,
  compileSpanFilter,
  DEFAULT_SPAN_TABLES,
  type SemiJoinCandidate,
  type SpanTables,
} from './compile-filter.js';
export type { QueryDialect } from './dialect.js';
export { FilterParameterError, filterErrorDetail, spanFilterParameter } from './filter-parameter.js';
export { type Instant, InvalidInstantError, microsFromInstant } from './instant.js';
export { compileSpanFilterFor, SEMI_JOIN_MAX_ANNOTATIONS } from './plan-filter.js';
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
