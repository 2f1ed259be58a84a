/**
 * Instants on the wire: we print them as Python's `datetime.isoformat()` does for UTC (Phoenix's
 * clients compare them as strings) and read ISO 8601 as Python's `datetime.fromisoformat` does.
 */
export { type ParsedDateTime, parseDateTime } from '@fawkes/query';
export { isoFromMicros } from '../ingest/normalize.js';
