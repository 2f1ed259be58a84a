/**
 * Test helper: OpenTelemetry SDK spans as rows in Phoenix's DataFrame columns, with attribute keys
 * left flat (`attributes.llm.input_messages.0.message.role`) or, with `nestLists`, lists of objects
 * the way Phoenix's DataFrames hold them (`attributes.llm.input_messages` = [{'message.role': …}]).
 */
import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanRow } from '../src/app/spans-dataframe.js';
import { isoFromMicros } from '../src/ingest/normalize.js';

const STATUS = ['UNSET', 'OK', 'ERROR'] as const;

export const microsFromHrTime = ([s, ns]: HrTime): number => s * 1_000_000 + Math.floor(ns / 1000);

function nest(attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const m = /^(.*?)\.(\d+)\.(.+)$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const [, list, index, rest] = m as unknown as [string, string, string, string];
    const elements = (out[list] ?? []) as Record<string, unknown>[];
    out[list] = elements;
    const element = elements[Number(index)] ?? {};
    elements[Number(index)] = element;
    element[rest] = value;
  }
  return out;
}

export function phoenixRows(spans: readonly ReadableSpan[], { nestLists = false } = {}): SpanRow[] {
  return spans.map((span) => {
    const attributes = nestLists ? nest(span.attributes) : span.attributes;
    const row: SpanRow = {
      'context.span_id': span.spanContext().spanId,
      'context.trace_id': span.spanContext().traceId,
      parent_id: span.parentSpanContext?.spanId ?? null,
      name: span.name,
      span_kind: String(span.attributes['openinference.span.kind'] ?? 'UNKNOWN'),
      start_time: microsFromHrTime(span.startTime),
      end_time: microsFromHrTime(span.endTime),
      status_code: STATUS[span.status.code],
      status_message: span.status.message ?? '',
      events: span.events.map((e) => ({
        name: e.name,
        timestamp: isoFromMicros(microsFromHrTime(e.time)),
        attributes: e.attributes ?? {},
      })),
    };
    for (const [key, value] of Object.entries(attributes)) row[`attributes.${key}`] = value;
    return row;
  });
}
