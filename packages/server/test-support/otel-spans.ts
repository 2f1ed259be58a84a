import {
  INPUT_VALUE,
  LLM_TOKEN_COUNT_COMPLETION,
  LLM_TOKEN_COUNT_PROMPT,
  LLM_TOKEN_COUNT_TOTAL,
  OUTPUT_VALUE,
  SEMRESATTRS_PROJECT_NAME,
  SESSION_ID,
  SemanticConventions,
} from '@arizeai/openinference-semantic-conventions';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface TurnOptions {
  projectName?: string;
  sessionId?: string;
  question?: string;
  /** Prompt / completion tokens of the LLM call. */
  tokens?: [number, number];
  /** The tool call fails (status ERROR). */
  toolFails?: boolean;
}

/**
 * One conversational turn as an instrumented app records it, made by the real OpenTelemetry SDK:
 * agent (root, CHAIN) → llm (LLM, token counts) and agent → tool (TOOL). Spans come out
 * children first, in the order the SDK ends them.
 */
export function conversationTurn(options: TurnOptions = {}): ReadableSpan[] {
  const { projectName = 'default', sessionId, question = 'What is Fawkes?', tokens = [12, 30] } = options;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(
      projectName === 'default' ? {} : { [SEMRESATTRS_PROJECT_NAME]: projectName },
    ),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('fawkes-tests');
  const kind = SemanticConventions.OPENINFERENCE_SPAN_KIND;
  const session = sessionId ? { [SESSION_ID]: sessionId } : {};

  const root = tracer.startSpan('agent', {
    attributes: { [kind]: 'CHAIN', [INPUT_VALUE]: question, ...session, 'metadata.user': 'ada' },
  });
  const parent = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan(
    'llm',
    {
      attributes: {
        [kind]: 'LLM',
        [LLM_TOKEN_COUNT_PROMPT]: tokens[0],
        [LLM_TOKEN_COUNT_COMPLETION]: tokens[1],
        [LLM_TOKEN_COUNT_TOTAL]: tokens[0] + tokens[1],
        'llm.model_name': 'gpt-test',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': question,
        ...session,
      },
    },
    parent,
  );
  llm.addEvent('first token', { 'token.index': 0 });
  llm.end();
  const tool = tracer.startSpan('tool', { attributes: { [kind]: 'TOOL', ...session } }, parent);
  if (options.toolFails) {
    tool.setStatus({ code: SpanStatusCode.ERROR, message: 'tool exploded' });
    tool.recordException(new Error('tool exploded'));
  }
  tool.end();
  root.setAttribute(OUTPUT_VALUE, `An answer to: ${question}`);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return exporter.getFinishedSpans();
}
