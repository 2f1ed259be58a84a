/**
 * The rows of the raw baselines (SQLite INSERT in run.ts, PostgreSQL COPY in pg-raw-copy.ts): the
 * spans of `rows / SPANS_PER_REQUEST` workload requests, decoded by the server's own decoder, with
 * their trace row ids; for SQLite, as the spans table's columns (RAW_COLUMNS, in order).
 */
import { decodeExportRequest } from '../../packages/server/dist/ingest/index.js';
import { SPANS_PER_REQUEST, type Workload } from './workload.js';

/** Rows per transaction (and per COPY) of the raw baselines. */
export const RAW_BATCH = 5000;

export const RAW_COLUMNS = `trace_rowid, span_id, parent_id, name, span_kind, start_time, end_time, attributes,
  events, status_code, status_message, cumulative_error_count, cumulative_llm_token_count_prompt,
  cumulative_llm_token_count_completion, llm_token_count_prompt, llm_token_count_completion`;

type RawRecord = ReturnType<typeof decodeExportRequest>[number] & { traceRowId: number };

/** Decoded before the timed loop; trace row ids numbered as the server does, in order of arrival. */
export function rawRecords(workload: Workload, rows: number): RawRecord[] {
  const requests = Math.ceil(rows / SPANS_PER_REQUEST);
  const traceRowIds = new Map<string, number>();
  return Array.from({ length: requests }, () =>
    decodeExportRequest(workload.request(), 'protobuf', { projectOverride: null, defaultProject: 'default' }),
  )
    .flat()
    .map((r) => {
      if (!traceRowIds.has(r.traceId)) traceRowIds.set(r.traceId, traceRowIds.size + 1);
      return { ...r, traceRowId: traceRowIds.get(r.traceId)! };
    });
}

/** One row's values in RAW_COLUMNS order; serializes the JSON, so it belongs in the timed loop. */
export function rawRowValues(r: RawRecord): (string | number | null)[] {
  return [
    r.traceRowId,
    r.spanId,
    r.parentId,
    r.name,
    r.spanKind,
    r.startTime,
    r.endTime,
    JSON.stringify(r.attributes),
    JSON.stringify(r.events),
    r.statusCode,
    r.statusMessage,
    0,
    r.llmTokenCountPrompt,
    r.llmTokenCountCompletion,
    r.llmTokenCountPrompt,
    r.llmTokenCountCompletion,
  ];
}
