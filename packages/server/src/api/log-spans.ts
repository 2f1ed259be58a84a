import type { Static } from 'typebox';
import { OtlpDecodeError } from '../ingest/errors.js';
import { normalizeRequest, type RawEvent, type RawKeyValue } from '../ingest/normalize.js';
import type { JsonValue, SpanRecord } from '../model/span-record.js';
import { parseDateTime } from './datetime.js';
import type { FastApiErrorItem } from './fastapi-errors.js';
import type { SpanSchema } from './schemas/spans.js';

type ApiSpan = Static<typeof SpanSchema>;

const STATUS: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };
const NAIVE =
  'timezone-naive timestamp is not allowed; all timestamps must be timezone-aware (e.g., use UTC).';

/** FastAPI's 422 items for timestamps pydantic would refuse (unreadable or without an offset). */
export function timestampProblems(spans: readonly ApiSpan[]): FastApiErrorItem[] {
  const problems: FastApiErrorItem[] = [];
  spans.forEach((span, i) => {
    for (const field of ['start_time', 'end_time'] as const) {
      if (!parseDateTime(span[field])?.timezoneAware) {
        problems.push({
          loc: ['body', 'data', i],
          msg: `Value error, ${field}: ${NAIVE}`,
          type: 'value_error',
        });
      }
    }
    span.events?.forEach((event, e) => {
      if (!parseDateTime(event.timestamp)?.timezoneAware) {
        problems.push({
          loc: ['body', 'data', i, 'events', e],
          msg: `Value error, timestamp: ${NAIVE}`,
          type: 'value_error',
        });
      }
    });
  });
  return problems;
}

const LOCATION = /^span .* \(resourceSpans\[\d+\]\.scopeSpans\[\d+\]\.spans\[\d+\]\): /;

/**
 * A span in Phoenix's REST shape (flattened attributes, ISO times) as the span writer takes it, by
 * the same validation and normalization OTLP spans go through; or why it is invalid.
 */
export function toSpanRecord(span: ApiSpan, projectName: string): { record: SpanRecord } | { error: string } {
  const toPairs = (attributes: Record<string, unknown> | undefined): RawKeyValue[] =>
    Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: value as JsonValue }));
  const events: RawEvent[] = (span.events ?? []).map((event) => ({
    name: event.name,
    time: parseDateTime(event.timestamp)!.micros,
    attributes: toPairs(event.attributes),
  }));
  const attributes = toPairs(span.attributes).filter((kv) => kv.key !== 'openinference.span.kind');
  attributes.push({ key: 'openinference.span.kind', value: span.span_kind });
  try {
    const [record] = normalizeRequest(
      [
        {
          resourceAttributes: [],
          scopeSpans: [
            {
              spans: [
                {
                  traceId: span.context.trace_id,
                  spanId: span.context.span_id,
                  parentSpanId: span.parent_id ?? '',
                  name: span.name,
                  startTime: parseDateTime(span.start_time)!.micros,
                  endTime: parseDateTime(span.end_time)!.micros,
                  attributes,
                  events,
                  statusCode: STATUS[span.status_code.toUpperCase()] ?? 0,
                  statusMessage: span.status_message ?? '',
                },
              ],
            },
          ],
        },
      ],
      { projectOverride: projectName, defaultProject: projectName },
    );
    return { record: record! };
  } catch (error) {
    if (error instanceof OtlpDecodeError) return { error: error.message.replace(LOCATION, '') };
    throw error;
  }
}
