/**
 * The UI benchmark's data: one project (`bench`) holding every span, the worst case for its pages.
 * Conversations of 3 turns; each turn a trace of 10 spans (agent → retriever, LLM calls with chat
 * messages and token counts, tools), ~1 KB of OpenInference attributes per span, a few errors.
 * Written through the real span writer, 5,000 spans per transaction, so every rollup and cumulative
 * count is what ingest stores; then a human annotation on every 10th trace's root.
 */
import type { SerializedSpanRecord } from '../../packages/server/dist/model/span-record.js';
import type { SqliteConnection } from '../../packages/server/dist/store/sqlite/open.js';
import { SqliteSpanWriter } from '../../packages/server/dist/store/sqlite/span-writer.js';

export const PROJECT = 'bench';
const SPANS_PER_TRACE = 10;
const TRACES_PER_SESSION = 3;
/** The newest trace starts now; each earlier one 2 s before the next. */
const TRACE_GAP_US = 2_000_000;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const words =
  'how do I configure the retriever so that the model answers with sources from our documentation today'.split(
    ' ',
  );
const sentence = (seed: number, length: number) =>
  Array.from({ length }, (_, i) => words[(seed * 7 + i * 5) % words.length]).join(' ');

const KINDS = ['AGENT', 'RETRIEVER', 'LLM', 'TOOL', 'LLM', 'CHAIN', 'RETRIEVER', 'LLM', 'TOOL', 'LLM'];

function traceSpans(index: number, newest: number): SerializedSpanRecord[] {
  const session = Math.floor(index / TRACES_PER_SESSION);
  const traceId = `${hex(0xb, 8)}${hex(index, 24)}`;
  const start = newest - index * TRACE_GAP_US;
  const spans: SerializedSpanRecord[] = [];
  for (let k = 0; k < SPANS_PER_TRACE; k++) {
    const kind = KINDS[k]!;
    const question = sentence(index + k, 14);
    const answer = sentence(index + k + 3, 30);
    const prompt = kind === 'LLM' ? 150 + ((index * 13 + k) % 900) : 0;
    const completion = kind === 'LLM' ? 40 + ((index * 7 + k) % 400) : 0;
    const attributes: Record<string, unknown> = {
      openinference: { span: { kind } },
      session: { id: `conversation-${hex(session, 8)}` },
      user: { id: `user-${session % 211}` },
      input: { value: question, mime_type: 'text/plain' },
      output: { value: answer, mime_type: 'text/plain' },
      metadata: { tenant: `tenant-${index % 17}`, release: '2026.11' },
    };
    if (kind === 'LLM') {
      attributes.llm = {
        model_name: index % 3 ? 'gpt-4o-mini' : 'claude-3-5-haiku',
        token_count: { prompt, completion, total: prompt + completion },
        input_messages: [
          { message: { role: 'system', content: 'You are a helpful assistant.' } },
          { message: { role: 'user', content: question } },
        ],
        output_messages: [{ message: { role: 'assistant', content: answer } }],
        invocation_parameters: '{"temperature": 0.2}',
      };
    }
    if (kind === 'RETRIEVER') {
      attributes.retrieval = {
        documents: [0, 1, 2].map((d) => ({
          document: {
            id: `doc-${(index + d) % 5000}`,
            content: sentence(index + d, 20),
            score: 0.9 - d * 0.1,
          },
        })),
      };
    }
    const spanStart = start + k * 40_000;
    // Latencies spread over 3 orders of magnitude, so that sorting by latency means something.
    const latency = 20_000 + ((index * 7919 + k * 104_729) % 3_000_000);
    const error = (index + k) % 97 === 0;
    spans.push({
      projectName: PROJECT,
      traceId,
      spanId: `${hex(index, 12)}${hex(k, 4)}`,
      parentId: k === 0 ? null : `${hex(index, 12)}${hex(k <= 5 ? 0 : 5, 4)}`,
      name: k === 0 ? 'agent' : `${kind.toLowerCase()}-${k}`,
      spanKind: kind,
      startTime: spanStart,
      endTime: spanStart + (k === 0 ? 3_500_000 : latency),
      statusCode: error ? 'ERROR' : 'OK',
      statusMessage: error ? 'upstream timeout' : '',
      attributesJson: JSON.stringify(attributes),
      eventsJson: error
        ? JSON.stringify([
            {
              name: 'exception',
              timestamp: new Date(spanStart / 1000).toISOString(),
              attributes: { exception: { type: 'TimeoutError', message: 'upstream timeout' } },
            },
          ])
        : '[]',
      sessionId: `conversation-${hex(session, 8)}`,
      llmTokenCountPrompt: prompt,
      llmTokenCountCompletion: completion,
      inputValue: k === 0 ? question : null,
      outputValue: k === 0 ? answer : null,
    });
  }
  // The agent's span covers its children.
  spans[0]!.endTime = Math.max(...spans.map((s) => s.endTime));
  return spans;
}

/** Writes about `total` spans (whole traces) ending at `newestUs`; returns how many were stored. */
export function writeDataset(
  db: SqliteConnection,
  total: number,
  newestUs: number,
  progress?: (n: number) => void,
): number {
  const writer = new SqliteSpanWriter(db);
  const traces = Math.ceil(total / SPANS_PER_TRACE);
  let written = 0;
  let batch: SerializedSpanRecord[] = [];
  // Oldest first, as they would have arrived.
  for (let i = traces - 1; i >= 0; i--) {
    batch.push(...traceSpans(i, newestUs));
    if (batch.length >= 5000) {
      written += writer.writeBatch(batch).inserted;
      batch = [];
      progress?.(written);
    }
  }
  if (batch.length) written += writer.writeBatch(batch).inserted;
  const now = Date.now() * 1000;
  db.prepare(
    `INSERT INTO span_annotations (span_rowid, name, label, score, explanation, metadata, annotator_kind, identifier, source, created_at, updated_at)
     SELECT id, 'correctness', CASE WHEN id % 3 = 0 THEN 'incorrect' ELSE 'correct' END, CASE WHEN id % 3 = 0 THEN 0 ELSE 1 END,
            NULL, '{}', 'HUMAN', '', 'APP', ?, ?
     FROM spans WHERE parent_id IS NULL AND id % 100 < 10`,
  ).run(now, now);
  return written;
}
