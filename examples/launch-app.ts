/**
 * Fawkes from a script or a notebook, in five steps: launch the app, trace a function with the
 * OpenTelemetry SDK, read the spans back as a polars DataFrame, filter them with Phoenix's query
 * language, and save them as a TraceDataset that a later launch can load.
 *
 *   npm install && npx tsx examples/launch-app.ts
 *
 * PHOENIX_PORT / PHOENIX_GRPC_PORT choose the ports (default 6006 / 4317; 0 picks free ones).
 * Set KEEP_OPEN=1 to keep the app running until Ctrl-C, to look at it in a browser.
 */
import { once } from 'node:events';
import { type Context, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { closeApp, launchApp, TraceDataset } from 'fawkes';

// 1. Launch the app: a full server in this process, data in a temporary directory.
const session = await launchApp();

// 2. Point the OpenTelemetry SDK at it. Spans go to `session.tracesEndpoint` (OTLP/HTTP).
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'openinference.project.name': 'default' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: session.tracesEndpoint }))],
});
const tracer = provider.getTracer('fawkes-example');

/** A tiny "agent": a CHAIN span around a (pretend) LLM call, with OpenInference attributes. */
function answer(question: string, parent: Context = context.active()): string {
  const chain = tracer.startSpan(
    'answer',
    { attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': question } },
    parent,
  );
  const completion = `You asked: ${question}`;
  const llm = tracer.startSpan(
    'llm',
    {
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'pretend-gpt',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': question,
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': completion,
        'llm.token_count.prompt': question.split(' ').length,
        'llm.token_count.completion': completion.split(' ').length,
        'llm.token_count.total': question.split(' ').length + completion.split(' ').length,
      },
    },
    trace.setSpan(parent, chain),
  );
  llm.end();
  chain.setAttribute('output.value', completion);
  chain.setStatus({ code: SpanStatusCode.OK });
  chain.end();
  return completion;
}

for (const question of [
  'What is Fawkes?',
  'Which wire protocol does it speak?',
  'Does it work in a notebook?',
]) {
  answer(question);
}
// Exports are answered once stored: after forceFlush the spans can be read.
await provider.forceFlush();

// 3. Read them back: Phoenix's columns (context.span_id, span_kind, attributes.llm.token_count.total, …).
const spans = await session.getSpansDataframe();
console.log(`${spans.height} spans:`);
console.log(spans.select('name', 'span_kind', 'start_time', 'attributes.llm.token_count.total').toString());

// 4. Filter with Phoenix's query language.
const wordy = await session.getSpansDataframe({
  filterCondition: "span_kind == 'LLM' and llm.token_count.total > 12",
});
console.log(`LLM calls with more than 12 tokens: ${wordy.height}`);
console.log(wordy.select('attributes.llm.input_messages', 'attributes.llm.token_count.total').toString());
const roots = await session.getSpansDataframe({ rootSpansOnly: true });
console.log(`Questions asked: ${roots.getColumn('attributes.input.value').toArray().join(' | ')}`);

// 5. Keep them: a TraceDataset saves to ~/.fawkes/trace_datasets (PHOENIX_WORKING_DIR) as Parquet.
const id = await new TraceDataset({ dataframe: spans, name: 'example' }).save();
console.log(`Saved trace dataset ${id}: TraceDataset.load('${id}') and launchApp({ trace }) bring it back.`);

// In a notebook (e.g. Deno's Jupyter kernel) `session.view()` shows the app inline.
console.log(`Open ${session.url} in a browser, or display session.view() in a notebook.`);
if (process.env.KEEP_OPEN) {
  console.log('KEEP_OPEN is set: Ctrl-C stops the app.');
  await once(process, 'SIGINT');
}
await provider.shutdown();
await closeApp();
