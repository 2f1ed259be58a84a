import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { phoenixRows } from '../../test-support/launch-span-rows.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { decodeExportRequest } from '../ingest/index.js';
import { SpanEvaluations } from './span-evaluations.js';
import { spansDataframe } from './spans-dataframe.js';
import { TraceDataset } from './trace-dataset.js';

const directory = mkdtempSync(join(tmpdir(), 'fawkes-trace-dataset-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const spans = [
  ...conversationTurn({ toolFails: true }),
  ...conversationTurn({ sessionId: 's-1', question: 'Why?' }),
];
/** What OTLP ingest stores for the same spans: a dataset must load exactly as an exporter sends. */
const ingested = decodeExportRequest(ProtobufTraceSerializer.serializeRequest(spans)!, 'protobuf', {
  defaultProject: 'default',
});

const evaluations = () =>
  new SpanEvaluations({
    evalName: 'correctness',
    dataframe: pl.DataFrame({
      'context.span_id': [spans[0]!.spanContext().spanId, spans[1]!.spanContext().spanId],
      label: ['correct', null],
      score: [1, 0.25],
      explanation: ['fine', null],
    }),
  });

describe('TraceDataset', () => {
  it('turns flat attribute columns into the spans OTLP ingest stores', () => {
    const dataset = new TraceDataset({ dataframe: spansDataframe(phoenixRows(spans)) });
    expect(dataset.toSpans()).toEqual(ingested);
  });

  it("reads Phoenix's nested columns (lists of flattened objects, structs) the same way", () => {
    const dataframe = spansDataframe(phoenixRows(spans, { nestLists: true }));
    expect(dataframe.getColumn('attributes.llm.input_messages').dtype.variant).toBe('List');
    expect(dataframe.getColumn('start_time').dtype.toString()).toBe('DataType(Datetime(us,UTC))');
    expect(new TraceDataset({ dataframe }).toSpans()).toEqual(ingested);
  });

  it('puts spans in the project asked for', () => {
    const dataset = new TraceDataset({ dataframe: spansDataframe(phoenixRows(spans)) });
    expect(new Set(dataset.toSpans('imported').map((s) => s.projectName))).toEqual(new Set(['imported']));
  });

  it('refuses a DataFrame without the required columns, naming them', () => {
    const dataframe = spansDataframe(phoenixRows(spans)).drop('context.trace_id', 'status_code');
    expect(() => new TraceDataset({ dataframe })).toThrow(
      'The spans DataFrame lacks the column(s) status_code, context.trace_id',
    );
  });

  it('names the row and the problem when a span is invalid', () => {
    const rows = phoenixRows(spans);
    rows[2]!['context.trace_id'] = 'xyz';
    const dataset = new TraceDataset({ dataframe: spansDataframe(rows) });
    expect(() => dataset.toSpans()).toThrow(
      `Span row 2 (context.span_id "${rows[2]!['context.span_id']}"): trace_id must be 32 hex digits (got "xyz")`,
    );
    rows[2] = { ...phoenixRows(spans)[2]!, status_code: 'FINE' };
    expect(() => new TraceDataset({ dataframe: spansDataframe(rows) }).toSpans()).toThrow(
      'status_code must be UNSET, OK or ERROR, got "FINE"',
    );
  });

  it('collects evaluation results, skipping rows without any', () => {
    const dataset = new TraceDataset({
      dataframe: spansDataframe(phoenixRows(spans)),
      evaluations: [evaluations()],
    });
    expect(dataset.evaluationResults()).toEqual([
      {
        spanId: spans[0]!.spanContext().spanId,
        name: 'correctness',
        label: 'correct',
        score: 1,
        explanation: 'fine',
      },
      {
        spanId: spans[1]!.spanContext().spanId,
        name: 'correctness',
        label: null,
        score: 0.25,
        explanation: null,
      },
    ]);
  });

  for (const format of ['parquet', 'arrow'] as const) {
    it(`saves to and loads from a directory as ${format}, with its evaluations`, async () => {
      const dataset = new TraceDataset({
        dataframe: spansDataframe(phoenixRows(spans, { nestLists: true })),
        name: 'my traces',
        evaluations: [evaluations()],
      });
      const dir = join(directory, format);
      const id = await dataset.save({ directory: dir, format });
      expect(id).toBe(dataset.id);
      const ext = format === 'parquet' ? 'parquet' : 'arrow';
      const evalId = dataset.evaluations[0]!.id;
      expect(readdirSync(dir).sort()).toEqual(
        [
          `evaluations-${evalId}.${ext}`,
          `evaluations-${evalId}.json`,
          `trace_dataset-${id}.${ext}`,
          `trace_dataset-${id}.json`,
        ].sort(),
      );
      expect(JSON.parse(readFileSync(join(dir, `trace_dataset-${id}.json`), 'utf8'))).toMatchObject({
        dataset_id: id,
        dataset_name: 'my traces',
        eval_ids: [evalId],
        format,
      });

      const loaded = await TraceDataset.load(id, { directory: dir });
      expect(loaded.id).toBe(id);
      expect(loaded.name).toBe('my traces');
      expect(loaded.dataframe.columns).toEqual(dataset.dataframe.columns);
      expect(loaded.dataframe.dtypes.map(String)).toEqual(dataset.dataframe.dtypes.map(String));
      expect(loaded.toSpans()).toEqual(ingested);
      expect(loaded.evaluations.map((e) => [e.id, e.evalName])).toEqual([[evalId, 'correctness']]);
      expect(loaded.evaluationResults()).toEqual(dataset.evaluationResults());
    });
  }

  it('says which file is missing when loading an unknown id', async () => {
    await expect(TraceDataset.load('nope', { directory })).rejects.toThrow(
      `No trace dataset: ${join(directory, 'trace_dataset-nope.json')}`,
    );
  });
});

describe('SpanEvaluations', () => {
  it('needs a span id column and at least one result column of the right type', () => {
    const ids = ['0000000000000001'];
    expect(() => new SpanEvaluations({ evalName: 'x', dataframe: pl.DataFrame({ label: ['a'] }) })).toThrow(
      "Evaluations 'x' need a 'context.span_id' (or 'span_id') column",
    );
    expect(() => new SpanEvaluations({ evalName: 'x', dataframe: pl.DataFrame({ span_id: ids }) })).toThrow(
      "Evaluations 'x' need at least one of the columns label, score, explanation",
    );
    expect(
      () =>
        new SpanEvaluations({ evalName: 'x', dataframe: pl.DataFrame({ span_id: ids, score: ['high'] }) }),
    ).toThrow("Evaluations 'x': column score must hold numbers, not String");
    expect(
      () => new SpanEvaluations({ evalName: ' ', dataframe: pl.DataFrame({ span_id: ids, score: [1] }) }),
    ).toThrow('evalName must be a non-empty string');
    const ok = new SpanEvaluations({ evalName: 'x', dataframe: pl.DataFrame({ span_id: ids, score: [1] }) });
    expect(ok.results()).toEqual([{ spanId: ids[0], name: 'x', label: null, score: 1, explanation: null }]);
  });
});
