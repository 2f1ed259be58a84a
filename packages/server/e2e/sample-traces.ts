import { SEMRESATTRS_PROJECT_NAME, SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import { type Attributes, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

const KIND = SemanticConventions.OPENINFERENCE_SPAN_KIND;

/**
 * Ids derived from the turn's start, so that the same data gets the same ids at every run (and the
 * UI's screenshots do not change for nothing).
 */
function seededIds(seed: number): IdGenerator {
  let n = 0;
  const hex = (length: number) => {
    let text = '';
    while (text.length < length) {
      n++;
      text += Math.abs(Math.imul(seed ^ (n * 0x9e3779b1), 0x85ebca6b) >>> 0)
        .toString(16)
        .padStart(8, '0');
    }
    return text.slice(0, length);
  };
  return { generateTraceId: () => hex(32), generateSpanId: () => hex(16) };
}

export interface AgentTurnOptions {
  project: string;
  sessionId?: string;
  userId?: string;
  question: string;
  answer: string;
  /** Start of the turn, ms since the epoch. */
  startMs: number;
  /** The tool call fails with an exception. */
  toolFails?: boolean;
  tokens?: [number, number];
}

/**
 * One turn of a retrieval-augmented agent, as an instrumented app records it with the real
 * OpenTelemetry SDK: agent (CHAIN) → retriever (documents with scores) → llm (chat messages, a tool
 * call, prompt template, invocation parameters) → tool → llm (the answer). Times are explicit so
 * that the timeline shows a realistic shape.
 */
export function agentTurn(options: AgentTurnOptions): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [SEMRESATTRS_PROJECT_NAME]: options.project }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    idGenerator: seededIds(options.startMs % 2 ** 31),
  });
  const tracer = provider.getTracer('fawkes-ui-tests');
  const t = options.startMs;
  const [prompt, completion] = options.tokens ?? [420, 96];
  const common: Attributes = {
    ...(options.sessionId ? { 'session.id': options.sessionId } : {}),
    ...(options.userId ? { 'user.id': options.userId } : {}),
  };

  const root = tracer.startSpan(
    'agent',
    {
      startTime: t,
      attributes: {
        [KIND]: 'CHAIN',
        'input.value': options.question,
        'input.mime_type': 'text/plain',
        metadata: JSON.stringify({ channel: 'web', experiment: 'b' }),
        ...common,
      },
    },
    context.active(),
  );
  const inRoot = trace.setSpan(context.active(), root);

  const retriever = tracer.startSpan(
    'retrieve',
    {
      startTime: t + 12,
      attributes: {
        [KIND]: 'RETRIEVER',
        'input.value': options.question,
        'retrieval.documents.0.document.id': 'doc-17',
        'retrieval.documents.0.document.content': 'Fawkes stores spans in SQLite or PostgreSQL.',
        'retrieval.documents.0.document.score': 0.92,
        'retrieval.documents.1.document.id': 'doc-4',
        'retrieval.documents.1.document.content': 'Phoenix clients talk to Fawkes unchanged.',
        'retrieval.documents.1.document.score': 0.71,
        'retrieval.documents.1.document.metadata': JSON.stringify({ source: 'README.md' }),
        ...common,
      },
    },
    inRoot,
  );
  retriever.end(t + 60);

  const plan = tracer.startSpan(
    'ChatCompletion',
    {
      startTime: t + 64,
      attributes: {
        [KIND]: 'LLM',
        'llm.model_name': 'gpt-4o-mini',
        'llm.provider': 'openai',
        'llm.invocation_parameters': JSON.stringify({ temperature: 0.2, max_tokens: 512 }),
        'llm.prompt_template.template':
          'Answer with the context.\n\nContext: {context}\n\nQuestion: {question}',
        'llm.prompt_template.variables': JSON.stringify({
          question: options.question,
          context: 'doc-17, doc-4',
        }),
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'You are a helpful assistant for Fawkes users.',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': options.question,
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_1',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'search_docs',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': JSON.stringify({
          query: options.question,
        }),
        'llm.tools.0.tool.json_schema': JSON.stringify({
          type: 'function',
          function: {
            name: 'search_docs',
            parameters: { type: 'object', properties: { query: { type: 'string' } } },
          },
        }),
        'llm.token_count.prompt': Math.round(prompt * 0.6),
        'llm.token_count.completion': Math.round(completion * 0.2),
        'llm.token_count.total': Math.round(prompt * 0.6) + Math.round(completion * 0.2),
        ...common,
      },
    },
    inRoot,
  );
  plan.end(t + 420);

  const tool = tracer.startSpan(
    'search_docs',
    {
      startTime: t + 425,
      attributes: {
        [KIND]: 'TOOL',
        'tool.name': 'search_docs',
        'tool.description': 'Searches the documentation',
        'tool.parameters': JSON.stringify({ query: options.question }),
        'input.value': JSON.stringify({ query: options.question }),
        'input.mime_type': 'application/json',
        ...common,
      },
    },
    inRoot,
  );
  if (options.toolFails) {
    tool.recordException(new Error('search index unavailable'), t + 470);
    tool.setStatus({ code: SpanStatusCode.ERROR, message: 'search index unavailable' });
  } else {
    tool.setAttribute('output.value', 'Found 2 pages.');
  }
  tool.end(t + 480);

  const answer = tracer.startSpan(
    'ChatCompletion',
    {
      startTime: t + 485,
      attributes: {
        [KIND]: 'LLM',
        'llm.model_name': 'gpt-4o-mini',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': options.question,
        'llm.input_messages.1.message.role': 'tool',
        'llm.input_messages.1.message.tool_call_id': 'call_1',
        'llm.input_messages.1.message.content': options.toolFails ? 'error' : 'Found 2 pages.',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': options.answer,
        'llm.token_count.prompt': prompt - Math.round(prompt * 0.6),
        'llm.token_count.completion': completion - Math.round(completion * 0.2),
        'llm.token_count.total':
          prompt - Math.round(prompt * 0.6) + completion - Math.round(completion * 0.2),
        'output.value': options.answer,
        ...common,
      },
    },
    inRoot,
  );
  answer.addEvent('first token', { 'token.index': 0 }, t + 700);
  answer.end(t + 1150);

  root.setAttribute('output.value', options.answer);
  root.setAttribute('output.mime_type', 'text/plain');
  root.setStatus({ code: options.toolFails ? SpanStatusCode.ERROR : SpanStatusCode.OK });
  root.end(t + 1160);
  return exporter.getFinishedSpans();
}

/** Sends spans to a Fawkes server the way an app does: the OTLP/HTTP protobuf exporter. */
export async function exportSpans(serverUrl: string, spans: ReadableSpan[]): Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `${serverUrl}/v1/traces` });
  const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  await exporter.shutdown();
  if (result.code !== ExportResultCode.SUCCESS) throw result.error ?? new Error('export failed');
}

export const QUESTIONS: [string, string][] = [
  [
    'Where does Fawkes keep my spans?',
    'In SQLite by default, or in PostgreSQL when you set PHOENIX_SQL_DATABASE_URL.',
  ],
  [
    'Can I use the Phoenix client?',
    'Yes: Phoenix’s Python and TypeScript clients work against Fawkes unchanged.',
  ],
  ['How do I filter LLM spans?', "Type span_kind == 'LLM' in the filter bar."],
  ['What is a session?', 'The traces whose spans share a session.id: the turns of one conversation.'],
];

/**
 * A small, realistic data set: project `chatbot` with two conversations (sessions) of several turns,
 * one turn whose tool fails, and project `batch-jobs` with traces outside any session.
 */
export async function sendSampleData(serverUrl: string, now = Date.now()): Promise<{ traceIds: string[] }> {
  const spans: ReadableSpan[] = [];
  let start = now - 60 * 60_000;
  for (const [s, sessionId] of ['conversation-alpha', 'conversation-beta'].entries()) {
    for (let i = 0; i < 3; i++) {
      const [question, answer] = QUESTIONS[(s + i) % QUESTIONS.length]!;
      spans.push(
        ...agentTurn({
          project: 'chatbot',
          sessionId,
          userId: s === 0 ? 'ada' : 'grace',
          question,
          answer,
          startMs: start,
          toolFails: s === 1 && i === 1,
          tokens: [300 + 40 * i, 80 + 10 * i],
        }),
      );
      start += 90_000;
    }
  }
  for (let i = 0; i < 3; i++) {
    spans.push(
      ...agentTurn({
        project: 'batch-jobs',
        question: `Summarize report ${i + 1}`,
        answer: `Report ${i + 1} summary.`,
        startMs: start,
      }),
    );
    start += 30_000;
  }
  await exportSpans(serverUrl, spans);
  const traceIds = [...new Set(spans.map((s) => s.spanContext().traceId))];
  return { traceIds };
}
