/**
 * The notebook workflow end to end: launch the app, instrument a function with the OpenTelemetry SDK
 * pointed at session.url, read the spans back as a DataFrame, save them as a TraceDataset and load
 * that into a new app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Context, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanQueryError } from '../span-query/index.js';
import { jsonRowsFromDataframe } from './json-dataframe.js';
import { closeApp, launchApp } from './launch-app.js';
import type { Session } from './session.js';
import { SpanEvaluations } from './span-evaluations.js';
import { TraceDataset } from './trace-dataset.js';

const directory = mkdtempSync(join(tmpdir(), 'fawkes-session-spans-'));
let session: Session;
let provider: BasicTracerProvider;
/** Instants between the three calls, for time-window filters. */
const between: Date[] = [];

/** The function a newcomer instruments: a CHAIN span around an LLM call, a failing TOOL on request. */
function answer(question: string, parent: Context = context.active()): string {
  const tracer = provider.getTracer('fawkes-app-test');
  const chain = tracer.startSpan(
    'answer',
    { attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': question } },
    parent,
  );
  const inside = trace.setSpan(parent, chain);
  const llm = tracer.startSpan(
    'llm',
    {
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-test',
        'llm.token_count.prompt': question.length,
        'llm.token_count.completion': 10,
        'llm.token_count.total': question.length + 10,
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': question,
        metadata: JSON.stringify({ user: 'ada' }),
      },
    },
    inside,
  );
  llm.end();
  if (question.includes('fail')) {
    const tool = tracer.startSpan('lookup', { attributes: { 'openinference.span.kind': 'TOOL' } }, inside);
    tool.setStatus({ code: SpanStatusCode.ERROR, message: 'lookup failed' });
    tool.end();
  }
  const output = `An answer to ${question}`;
  chain.setAttribute('output.value', output);
  chain.setStatus({ code: SpanStatusCode.OK });
  chain.end();
  return output;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeAll(async () => {
  session = await launchApp({ port: 0, grpcPort: 0, quiet: true, workingDir: join(directory, 'first') });
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'notebook' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: session.tracesEndpoint }))],
  });
  for (const question of ['What is Fawkes?', 'Can it fail?', 'Why a bird?']) {
    answer(question);
    await pause();
    between.push(new Date());
    await pause();
  }
  // Acknowledged means stored: once the exporter's requests are answered, reads see the spans.
  await provider.forceFlush();
});

afterAll(async () => {
  await provider.shutdown();
  await closeApp();
  rmSync(directory, { recursive: true, force: true });
});

const column = (df: pl.DataFrame, name: string) => df.getColumn(name).toArray();

describe('getSpansDataframe', () => {
  it("returns every span, newest first, in Phoenix's columns and types", async () => {
    const df = await session.getSpansDataframe();
    expect(df.height).toBe(7);
    expect(df.columns.slice(0, 10)).toEqual([
      'context.span_id',
      'name',
      'span_kind',
      'parent_id',
      'start_time',
      'end_time',
      'status_code',
      'status_message',
      'events',
      'context.trace_id',
    ]);
    const types = Object.fromEntries(df.columns.map((c) => [c, df.getColumn(c).dtype.toString()]));
    expect(types).toMatchObject({
      'context.span_id': 'DataType(String)',
      start_time: 'DataType(Datetime(us,UTC))',
      end_time: 'DataType(Datetime(us,UTC))',
      'attributes.llm.token_count.total': 'DataType(Int64)',
      'attributes.llm.model_name': 'DataType(String)',
      'attributes.input.value': 'DataType(String)',
    });
    expect(types['attributes.llm.input_messages']).toContain('List(DataType(Struct(');
    expect(types['attributes.metadata']).toContain('Struct(');
    const starts = column(df, 'start_time') as unknown as Date[];
    expect([...starts].sort((a, b) => b.getTime() - a.getTime())).toEqual(starts);
    expect(column(df.filter(pl.col('name').eq(pl.lit('answer'))), 'attributes.output.value')).toContain(
      'An answer to Why a bird?',
    );
  });

  it('filters with the query language', async () => {
    const llm = await session.getSpansDataframe({ filterCondition: "span_kind == 'LLM'" });
    expect(column(llm, 'name')).toEqual(['llm', 'llm', 'llm']);
    const big = await session.getSpansDataframe({ filterCondition: 'llm.token_count.total > 21' });
    expect(column(big, 'attributes.llm.token_count.total')).toEqual([22, 25]);
    const failed = await session.getSpansDataframe({ filterCondition: "status_code == 'ERROR'" });
    expect(column(failed, 'status_message')).toEqual(['lookup failed']);
    const byUser = await session.getSpansDataframe({ filterCondition: "metadata['user'] == 'ada'" });
    expect(byUser.height).toBe(3);
  });

  it('takes root spans only, a time window, a limit', async () => {
    const roots = await session.getSpansDataframe({ rootSpansOnly: true });
    expect(column(roots, 'attributes.input.value')).toEqual([
      'Why a bird?',
      'Can it fail?',
      'What is Fawkes?',
    ]);
    const middle = await session.getSpansDataframe({
      rootSpansOnly: true,
      startTime: between[0],
      endTime: between[1]!.toISOString(),
    });
    expect(column(middle, 'attributes.input.value')).toEqual(['Can it fail?']);
    const older = await session.getSpansDataframe({ rootSpansOnly: true, stopTime: between[1] });
    expect(column(older, 'attributes.input.value')).toEqual(['Can it fail?', 'What is Fawkes?']);
    const newest = await session.getSpansDataframe({ limit: 2 });
    expect(newest.height).toBe(2);
  });

  it('reads another project by name; an unknown one gives an empty frame with the columns', async () => {
    const empty = await session.getSpansDataframe({ projectName: 'nobody' });
    expect(empty.height).toBe(0);
    expect(empty.columns).toContain('context.span_id');
    expect(empty.getColumn('start_time').dtype.toString()).toBe('DataType(Datetime(us,UTC))');
  });

  it('rejects a bad filter with its position, and bad options, before reading', async () => {
    const error = await session
      .getSpansDataframe({ filterCondition: "span_kind == 'LLM' and" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SpanQueryError);
    expect((error as SpanQueryError).queryError?.position).toBeTypeOf('number');
    await expect(session.getSpansDataframe({ startTime: 'yesterday' })).rejects.toThrow(
      "Invalid start time 'yesterday'",
    );
    await expect(session.getSpansDataframe({ endTime: new Date(), stopTime: new Date() })).rejects.toThrow(
      'Give endTime or stopTime (its older name), not both',
    );
  });
});

describe('a TraceDataset of the session', () => {
  it('goes to disk and into a new app, where its spans are queryable at once', async () => {
    const spans = await session.getSpansDataframe({ limit: null });
    const llmIds = column(spans.filter(pl.col('span_kind').eq(pl.lit('LLM'))), 'context.span_id') as string[];
    const evaluations = new SpanEvaluations({
      evalName: 'correctness',
      dataframe: pl.DataFrame({
        'context.span_id': llmIds,
        label: ['correct', 'incorrect', 'correct'],
        score: [1, 0, 1],
        explanation: ['right', 'wrong', null],
      }),
    });
    const id = await new TraceDataset({
      dataframe: spans,
      name: 'notebook',
      evaluations: [evaluations],
    }).save({
      directory: join(directory, 'datasets'),
    });
    await closeApp();

    const trace = await TraceDataset.load(id, { directory: join(directory, 'datasets') });
    session = await launchApp({
      port: 0,
      grpcPort: 0,
      quiet: true,
      workingDir: join(directory, 'second'),
      trace,
    });
    const loaded = await session.getSpansDataframe({ limit: null });
    // Attribute columns come in first-seen order, and spans that start together may swap places.
    expect([...loaded.columns].sort()).toEqual([...spans.columns].sort());
    const same = loaded.select(...spans.columns).sort('context.span_id');
    expect(same.dtypes.map(String)).toEqual(spans.dtypes.map(String));
    expect(jsonRowsFromDataframe(same)).toEqual(jsonRowsFromDataframe(spans.sort('context.span_id')));

    // The evaluations are span annotations now: the query language and the REST API see them.
    const correct = await session.getSpansDataframe({
      filterCondition: "evals['correctness'].label == 'correct'",
    });
    expect((column(correct, 'context.span_id') as string[]).sort()).toEqual([llmIds[0], llmIds[2]].sort());
    const url = new URL('v1/projects/default/span_annotations', session.url);
    for (const spanId of llmIds) url.searchParams.append('span_ids', spanId);
    const { data } = (await (await fetch(url)).json()) as { data: Record<string, unknown>[] };
    expect(
      data
        .map((a) => [a.span_id, a.name, a.annotator_kind, (a.result as Record<string, unknown>).label])
        .sort(),
    ).toEqual(
      [
        [llmIds[0], 'correctness', 'LLM', 'correct'],
        [llmIds[1], 'correctness', 'LLM', 'incorrect'],
        [llmIds[2], 'correctness', 'LLM', 'correct'],
      ].sort(),
    );
  });
});
