import { Metadata } from '@grpc/grpc-js';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

describeEachDialect('real exporters', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
  });
  afterAll(() => t.close());

  async function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    return result;
  }

  const exporters: [string, (headers?: Record<string, string>) => SpanExporter][] = [
    ['OTLP/HTTP protobuf', (headers) => new ProtoExporter({ url: `${t.server.url}/v1/traces`, headers })],
    ['OTLP/HTTP JSON', (headers) => new JsonExporter({ url: `${t.server.url}/v1/traces`, headers })],
    [
      'OTLP/gRPC',
      (headers) => {
        const metadata = new Metadata();
        for (const [k, v] of Object.entries(headers ?? {})) metadata.set(k, v);
        return new GrpcExporter({ url: `http://127.0.0.1:${t.server.grpcPort}`, metadata });
      },
    ],
  ];

  describe.each(exporters)('%s exporter', (label, makeExporter) => {
    it('stores a turn with its project, trace, session, token counts and nesting', async () => {
      const project = `project ${label}`;
      const sessionId = `session ${label}`;
      const spans = conversationTurn({ projectName: project, sessionId, tokens: [7, 11], toolFails: true });
      const result = await exportWith(makeExporter(), spans);
      expect(result.code).toBe(ExportResultCode.SUCCESS);

      const traceId = spans[0]!.spanContext().traceId;
      const rows = await t.select<Record<string, unknown>>(
        `SELECT s.*, p.name AS project FROM spans s JOIN traces t ON t.id = s.trace_rowid
         JOIN projects p ON p.id = t.project_id WHERE t.trace_id = ? ORDER BY s.name`,
        traceId,
      );
      expect(rows.map((r) => [r.name, r.span_kind, r.status_code, r.project])).toEqual([
        ['agent', 'CHAIN', 'OK', project],
        ['llm', 'LLM', 'UNSET', project],
        ['tool', 'TOOL', 'ERROR', project],
      ]);
      const [agent, llm, tool] = rows;
      expect(agent!.parent_id).toBeNull();
      expect(llm!.parent_id).toBe(agent!.span_id);
      expect(tool!.parent_id).toBe(agent!.span_id);
      expect(tool!.status_message).toBe('tool exploded');
      expect([
        agent!.cumulative_llm_token_count_prompt,
        agent!.cumulative_llm_token_count_completion,
      ]).toEqual([7, 11]);
      expect(agent!.cumulative_error_count).toBe(1);
      expect([llm!.llm_token_count_prompt, llm!.llm_token_count_completion]).toEqual([7, 11]);

      const llmAttributes = JSON.parse(llm!.attributes as string);
      expect(llmAttributes.llm.token_count).toEqual({ prompt: 7, completion: 11, total: 18 });
      expect(llmAttributes.llm.input_messages[0].message.role).toBe('user');
      expect(JSON.parse(agent!.attributes as string).metadata).toEqual({ user: 'ada' });
      expect(JSON.parse(llm!.events as string)[0]).toMatchObject({ name: 'first token' });
      expect(JSON.parse(tool!.events as string)[0]).toMatchObject({ name: 'exception' });

      const [session] = await t.select(
        `SELECT ps.*, p.name AS project FROM project_sessions ps JOIN projects p ON p.id = ps.project_id
         WHERE session_id = ?`,
        sessionId,
      );
      expect(session).toMatchObject({
        project,
        num_traces: 1,
        token_count_prompt: 7,
        token_count_completion: 11,
        error_count: 1,
        first_input: 'What is Fawkes?',
        last_output: 'An answer to: What is Fawkes?',
      });
    });

    it('stores text exactly as sent: tabs, newlines, backslashes, quotes, non-ASCII', async () => {
      const question = `Tab\there,\r\nnew line, back\\slash \\N, "quoted", 多字节 😀 ${label}`;
      const sessionId = `text ${label}`;
      const spans = conversationTurn({ sessionId, question });
      expect((await exportWith(makeExporter(), spans)).code).toBe(ExportResultCode.SUCCESS);
      const rows = await t.select<{ name: string; attributes: string }>(
        `SELECT s.name, s.attributes FROM spans s JOIN traces t ON t.id = s.trace_rowid
         WHERE t.trace_id = ? ORDER BY s.name`,
        spans[0]!.spanContext().traceId,
      );
      const [agent, llm] = rows.map((r) => JSON.parse(r.attributes));
      expect(agent.input.value).toBe(question);
      expect(llm.llm.input_messages[0].message.content).toBe(question);
      const [session] = await t.select(
        'SELECT first_input FROM project_sessions WHERE session_id = ?',
        sessionId,
      );
      expect(session).toEqual({ first_input: question });
    });

    it('puts spans in the project named by the x-project-name header', async () => {
      const spans = conversationTurn({ projectName: 'from-resource' });
      const result = await exportWith(makeExporter({ 'x-project-name': `header ${label}` }), spans);
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      const rows = await t.select(
        'SELECT p.name FROM traces t JOIN projects p ON p.id = t.project_id WHERE t.trace_id = ?',
        spans[0]!.spanContext().traceId,
      );
      expect(rows).toEqual([{ name: `header ${label}` }]);
    });

    it('ignores a retried export (same span ids)', async () => {
      const spans = conversationTurn({ sessionId: `retry ${label}` });
      expect((await exportWith(makeExporter(), spans)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportWith(makeExporter(), spans)).code).toBe(ExportResultCode.SUCCESS);
      const [count] = await t.select<{ n: number }>(
        'SELECT count(*) AS n FROM spans s JOIN traces t ON t.id = s.trace_rowid WHERE t.trace_id = ?',
        spans[0]!.spanContext().traceId,
      );
      expect(count!.n).toBe(3);
      const [session] = await t.select(
        'SELECT num_traces, token_count_prompt FROM project_sessions WHERE session_id = ?',
        `retry ${label}`,
      );
      expect(session).toEqual({ num_traces: 1, token_count_prompt: 12 });
    });
  });

  it('stores fractional or absurd token counts as whole numbers, keeping the attributes as sent', async () => {
    const spans = conversationTurn({ sessionId: 'odd tokens', tokens: [2.5, 1e300] });
    const result = await exportWith(new ProtoExporter({ url: `${t.server.url}/v1/traces` }), spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const [llm] = await t.select<{ prompt: number; completion: number; attributes: string }>(
      `SELECT s.llm_token_count_prompt AS prompt, s.llm_token_count_completion AS completion, s.attributes
       FROM spans s JOIN traces t ON t.id = s.trace_rowid WHERE t.trace_id = ? AND s.name = 'llm'`,
      spans[0]!.spanContext().traceId,
    );
    expect([llm!.prompt, llm!.completion]).toEqual([3, 0]);
    expect(JSON.parse(llm!.attributes).llm.token_count.prompt).toBe(2.5);
  });

  it('puts spans without a project in the default project', async () => {
    const spans = conversationTurn();
    await exportWith(new ProtoExporter({ url: `${t.server.url}/v1/traces` }), spans);
    const rows = await t.select(
      'SELECT p.name FROM traces t JOIN projects p ON p.id = t.project_id WHERE t.trace_id = ?',
      spans[0]!.spanContext().traceId,
    );
    expect(rows).toEqual([{ name: 'default' }]);
  });
});
