/**
 * The read benchmark's data: realistic LLM-app traces written through the real span writer (so
 * every rollup and cumulative count is what ingest would have stored), in 3 projects.
 *
 * Shape: most sessions are 2 traces of 10 spans (agent → LLM, retriever, tools); 100 "long"
 * sessions have 40 traces of 5 spans (the session-get case). About 20 spans per session, so 1M spans
 * is ~50k sessions. Growing a file from 100k to 1M spans appends newer sessions.
 */
import type { SerializedSpanRecord } from '../../packages/server/dist/model/span-record.js';
import type { SqliteConnection } from '../../packages/server/dist/store/sqlite/open.js';
import { SqliteSpanWriter } from '../../packages/server/dist/store/sqlite/span-writer.js';

export const PROJECTS = ['chatbot', 'rag-search', 'agent'];
export const LONG_SESSIONS = 100;
export const LONG_SESSION_TRACES = 40;
const LONG_TRACE_SPANS = 5;
const REGULAR_TRACES = 2;
const REGULAR_TRACE_SPANS = 10;
const T0 = Date.UTC(2026, 0, 1) * 1000; // µs
const SESSION_GAP = 60_000_000; // a new session every minute

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const traceIdOf = (session: number, trace: number) => `${hex(session, 24)}${hex(trace, 8)}`;
const spanIdOf = (session: number, trace: number, span: number) =>
  `${hex(session, 8)}${hex(trace, 4)}${hex(span, 4)}`;
export const sessionIdOf = (session: number) => `session-${hex(session, 8)}`;
export const projectOf = (session: number) => PROJECTS[session % PROJECTS.length]!;
/** A trace id of a regular session, for the spans-by-trace_id query. */
export const regularTraceId = (session: number, trace = 0) => traceIdOf(session, trace);

const words =
  'the model retrieved three documents about vector search and answered the question politely'.split(' ');
const sentence = (seed: number, length: number) =>
  Array.from({ length }, (_, i) => words[(seed * 7 + i * 3) % words.length]).join(' ');

function trace(session: number, index: number, spans: number, start: number): SerializedSpanRecord[] {
  const traceId = traceIdOf(session, index);
  const out: SerializedSpanRecord[] = [];
  for (let k = 0; k < spans; k++) {
    const kind = k === 0 ? 'AGENT' : k % 3 === 1 ? 'LLM' : k % 3 === 2 ? 'RETRIEVER' : 'TOOL';
    const input = sentence(session + index + k, 30);
    const output = sentence(session + index + k + 1, 40);
    const prompt = kind === 'LLM' ? 200 + ((session + k) % 900) : 0;
    const completion = kind === 'LLM' ? 50 + ((session + k) % 300) : 0;
    const attributes: Record<string, unknown> = {
      openinference: { span: { kind } },
      session: { id: sessionIdOf(session) },
      input: { value: input, mime_type: 'text/plain' },
      output: { value: output, mime_type: 'text/plain' },
      metadata: { user_id: `user-${session % 97}` },
    };
    if (kind === 'LLM') {
      attributes.llm = {
        model_name: 'gpt-4o-mini',
        token_count: { prompt, completion, total: prompt + completion },
      };
    }
    const startTime = start + k * 100_000;
    const error = (session + index + k) % 53 === 0;
    out.push({
      projectName: projectOf(session),
      traceId,
      spanId: spanIdOf(session, index, k),
      parentId: k === 0 ? null : spanIdOf(session, index, k < 4 ? 0 : 1),
      name: `${kind.toLowerCase()}-${k}`,
      spanKind: kind,
      startTime,
      endTime: startTime + 50_000 + ((session * 31 + k * 17) % 2_000_000),
      statusCode: error ? 'ERROR' : 'OK',
      statusMessage: error ? 'upstream timeout' : '',
      attributesJson: JSON.stringify(attributes),
      eventsJson: '[]',
      sessionId: sessionIdOf(session),
      llmTokenCountPrompt: prompt,
      llmTokenCountCompletion: completion,
      inputValue: input,
      outputValue: output,
    });
  }
  return out;
}

export function session(index: number): SerializedSpanRecord[] {
  const long = index < LONG_SESSIONS;
  const traces = long ? LONG_SESSION_TRACES : REGULAR_TRACES;
  const spans = long ? LONG_TRACE_SPANS : REGULAR_TRACE_SPANS;
  const start = T0 + index * SESSION_GAP;
  return Array.from({ length: traces }, (_, t) => trace(index, t, spans, start + t * 1_000_000)).flat();
}

/** Sessions needed for about `spans` spans in total. */
export function sessionsFor(spans: number): number {
  const longSpans = LONG_SESSIONS * LONG_SESSION_TRACES * LONG_TRACE_SPANS;
  return LONG_SESSIONS + Math.max(0, Math.ceil((spans - longSpans) / (REGULAR_TRACES * REGULAR_TRACE_SPANS)));
}

/** Writes sessions [from, to) through the span writer, 5,000 spans per transaction. */
export function writeSessions(db: SqliteConnection, from: number, to: number): number {
  const writer = new SqliteSpanWriter(db);
  let written = 0;
  let batch: SerializedSpanRecord[] = [];
  for (let s = from; s < to; s++) {
    batch.push(...session(s));
    if (batch.length >= 5000) {
      written += writer.writeBatch(batch).inserted;
      batch = [];
    }
  }
  if (batch.length) written += writer.writeBatch(batch).inserted;
  return written;
}
