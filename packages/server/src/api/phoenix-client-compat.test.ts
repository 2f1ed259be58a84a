/**
 * Phoenix's own TypeScript client (`@arizeai/phoenix-client`, from npm, unchanged) against a real
 * Fawkes server, with data sent by a real OTLP exporter: every function it offers for sessions,
 * spans, traces, annotations and notes, and its typed client for the routes it has no function for
 * (projects, trace delete, OTLP spans, annotation lists and deletes).
 */
import { createClient, HttpError, type PhoenixClient } from '@arizeai/phoenix-client';
import {
  addSessionAnnotation,
  addSessionNote,
  deleteSession,
  deleteSessions,
  getSession,
  getSessionTurns,
  listSessions,
  logSessionAnnotations,
} from '@arizeai/phoenix-client/sessions';
import {
  addDocumentAnnotation,
  addSpanAnnotation,
  addSpanNote,
  deleteSpan,
  getSpanAnnotations,
  getSpans,
  logDocumentAnnotations,
  logSpanAnnotations,
  logSpans,
  SpanCreationError,
} from '@arizeai/phoenix-client/spans';
import {
  addTraceAnnotation,
  addTraceNote,
  getTraces,
  logTraceAnnotations,
} from '@arizeai/phoenix-client/traces';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { loggedSpan, otelId } from '../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

describeEachDialect('@arizeai/phoenix-client', (dialect) => {
  let t: TestServer;
  let client: PhoenixClient;

  /** Sends turns through the OpenTelemetry OTLP/HTTP protobuf exporter, as an instrumented app does. */
  async function exportTurns(turns: Parameters<typeof conversationTurn>[0][]): Promise<void> {
    const exporter = new OTLPTraceExporter({ url: `${t.server.url}/v1/traces` });
    for (const turn of turns) {
      const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(conversationTurn(turn), resolve),
      );
      if (result.code !== 0) throw result.error ?? new Error('export failed');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await exporter.shutdown();
  }

  const decode = (gid: string) => Buffer.from(gid, 'base64').toString();

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    client = createClient({ options: { baseUrl: t.server.url } });
    await exportTurns([
      { projectName: 'compat', sessionId: 'compat-1', question: 'first?', tokens: [5, 7] },
      { projectName: 'compat', sessionId: 'compat-1', question: 'second?', tokens: [6, 8], toolFails: true },
      { projectName: 'compat', sessionId: 'compat-1', question: 'third?' },
      { projectName: 'compat', sessionId: 'compat-2', question: 'other?' },
      { projectName: 'compat', question: 'no session' },
    ]);
  });
  afterAll(() => t.close());

  describe('server version', () => {
    it('is read from the response header, as the client does first', async () => {
      await client.GET('/v1/projects');
      expect(await client.getServerVersion()).toEqual([20, 3, 0]);
    });
  });

  describe('projects (typed client)', () => {
    it('creates, gets, updates, lists and deletes', async () => {
      const created = await client.POST('/v1/projects', {
        body: { name: 'compat-project', description: 'd' },
      });
      const id = created.data!.data.id;
      expect(decode(id)).toMatch(/^Project:\d+$/);
      const byId = await client.GET('/v1/projects/{project_identifier}', {
        params: { path: { project_identifier: id } },
      });
      expect(byId.data!.data).toEqual({ id, name: 'compat-project', description: 'd' });
      const updated = await client.PUT('/v1/projects/{project_identifier}', {
        params: { path: { project_identifier: 'compat-project' } },
        body: { description: 'updated' },
      });
      expect(updated.data!.data.description).toBe('updated');
      const list = await client.GET('/v1/projects', { params: { query: { limit: 100 } } });
      expect(list.data!.data.map((p) => p.name)).toEqual(
        expect.arrayContaining(['compat', 'compat-project']),
      );
      await client.DELETE('/v1/projects/{project_identifier}', {
        params: { path: { project_identifier: id } },
      });
      await expect(
        client.GET('/v1/projects/{project_identifier}', { params: { path: { project_identifier: id } } }),
      ).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('sessions', () => {
    it('getSession by session_id and GlobalID, 404 as HttpError', async () => {
      const session = await getSession({ client, sessionId: 'compat-1' });
      expect(session).toMatchObject({ sessionId: 'compat-1', traces: expect.any(Array) });
      expect(session.traces).toHaveLength(3);
      expect(decode(session.projectId)).toMatch(/^Project:\d+$/);
      expect(await getSession({ client, sessionId: session.id })).toEqual(session);
      const missing = await getSession({ client, sessionId: 'nope' }).catch((e) => e);
      expect(missing).toBeInstanceOf(HttpError);
      expect(missing.status).toBe(404);
    });

    it('listSessions follows cursors across pages', async () => {
      const sessions = await listSessions({ client, projectName: 'compat' });
      expect(sessions.map((s) => s.sessionId)).toEqual(['compat-1', 'compat-2']);
      const traceId = otelId(16);
      await logSpans({
        client,
        project: { projectName: 'compat-many' },
        spans: Array.from({ length: 105 }, (_, i) =>
          loggedSpan({ traceId, start: '2024-01-01T00:00:00Z', attributes: { 'session.id': `many-${i}` } }),
        ),
      });
      const projectId = (await getSession({ client, sessionId: 'many-0' })).projectId;
      const many = await listSessions({ client, projectId });
      expect(many).toHaveLength(1);
      const separate = Array.from({ length: 105 }, (_, i) =>
        loggedSpan({
          traceId: otelId(16),
          start: '2024-01-01T00:00:00Z',
          attributes: { 'session.id': `sep-${i}` },
        }),
      );
      await logSpans({ client, project: { projectName: 'compat-paged' }, spans: separate });
      expect(await listSessions({ client, project: 'compat-paged' })).toHaveLength(105);
    });

    it('getSessionTurns gives each turn its input, output and root span, by start time', async () => {
      const turns = await getSessionTurns({ client, sessionId: 'compat-1' });
      expect(turns.map((turn) => turn.input?.value)).toEqual(['first?', 'second?', 'third?']);
      expect(turns[1]!.output).toEqual({ value: 'An answer to: second?' });
      expect(turns[0]!.rootSpan).toMatchObject({ name: 'agent', parent_id: null });
    });

    it('annotates sessions (sync answers ids, async answers nothing) and adds notes', async () => {
      const sync = await addSessionAnnotation({
        client,
        sessionAnnotation: { sessionId: 'compat-1', name: 'helpfulness', label: 'helpful', score: 1 },
        sync: true,
      });
      expect(decode(sync!.id)).toMatch(/^ProjectSessionAnnotation:\d+$/);
      expect(
        await addSessionAnnotation({
          client,
          sessionAnnotation: { sessionId: 'compat-1', name: 'tone', label: 'kind', annotatorKind: 'LLM' },
        }),
      ).toBeNull();
      const logged = await logSessionAnnotations({
        client,
        sessionAnnotations: [
          { sessionId: 'compat-1', name: 'helpfulness', label: 'very helpful', score: 1 },
          { sessionId: 'compat-2', name: 'helpfulness', explanation: 'n/a', identifier: 'second-opinion' },
        ],
        sync: true,
      });
      expect(logged[0]!.id).toBe(sync!.id);
      const note = await addSessionNote({
        client,
        sessionNote: { sessionId: 'compat-1', note: 'read later' },
      });
      expect(decode(note.id)).toMatch(/^ProjectSessionAnnotation:\d+$/);
      await expect(
        addSessionAnnotation({
          client,
          sessionAnnotation: { sessionId: 'missing', name: 'x', label: 'y' },
          sync: true,
        }),
      ).rejects.toThrow();

      const listed = await client.GET('/v1/projects/{project_identifier}/session_annotations', {
        params: { path: { project_identifier: 'compat' }, query: { session_ids: ['compat-1'], limit: 100 } },
      });
      expect(listed.data!.data.map((a) => [a.name, a.result?.label ?? a.result?.explanation])).toEqual([
        ['note', 'read later'],
        ['tone', 'kind'],
        ['helpfulness', 'very helpful'],
      ]);
      await client.DELETE('/v1/projects/{project_identifier}/session_annotations', {
        params: { path: { project_identifier: 'compat' }, query: { delete_all: true, name: 'tone' } },
      });
      const after = await client.GET('/v1/projects/{project_identifier}/session_annotations', {
        params: { path: { project_identifier: 'compat' }, query: { session_ids: ['compat-1'] } },
      });
      expect(after.data!.data.map((a) => a.name)).toEqual(['note', 'helpfulness']);
    });

    it('deleteSession and deleteSessions remove sessions with their traces', async () => {
      await exportTurns([
        { projectName: 'compat-delete', sessionId: 'del-a' },
        { projectName: 'compat-delete', sessionId: 'del-b' },
        { projectName: 'compat-delete', sessionId: 'del-c' },
        { projectName: 'compat-delete', sessionId: 'del-d' },
      ]);
      await deleteSession({ client, sessionId: 'del-a' });
      await expect(deleteSession({ client, sessionId: 'del-a' })).rejects.toThrow();
      await deleteSessions({ client, sessionIds: ['del-b', 'unknown'] });
      const c = await getSession({ client, sessionId: 'del-c' });
      await expect(deleteSessions({ client, sessionIds: [c.id, 'del-d'] })).rejects.toThrow();
      await deleteSessions({ client, sessionIds: [c.id] });
      expect((await listSessions({ client, projectName: 'compat-delete' })).map((s) => s.sessionId)).toEqual([
        'del-d',
      ]);
      const traces = await getTraces({ client, project: { projectName: 'compat-delete' } });
      expect(traces.traces).toHaveLength(1);
    });
  });

  describe('spans', () => {
    it('getSpans with every filter, following cursors', async () => {
      const all = await getSpans({ client, project: { projectName: 'compat' }, limit: 100 });
      expect(all.spans).toHaveLength(15);
      const session = await getSession({ client, sessionId: 'compat-1' });
      const traceIds = session.traces.map((trace) => trace.traceId);
      const roots = await getSpans({ client, project: { projectName: 'compat' }, traceIds, parentId: null });
      expect(roots.spans.map((s) => s.name)).toEqual(['agent', 'agent', 'agent']);
      const llms = await getSpans({
        client,
        project: { projectName: 'compat' },
        spanKind: 'LLM',
        name: ['llm'],
      });
      expect(llms.spans).toHaveLength(5);
      const errors = await getSpans({ client, project: { projectName: 'compat' }, statusCode: 'ERROR' });
      expect(errors.spans.map((s) => s.name)).toEqual(['tool']);
      const byAttribute = await getSpans({
        client,
        project: { projectName: 'compat' },
        attributes: { 'llm.token_count.prompt': 6, 'session.id': 'compat-1' },
      });
      expect(byAttribute.spans).toHaveLength(1);
      const none = await getSpans({
        client,
        project: { projectName: 'compat' },
        endTime: new Date('2000-01-01'),
      });
      expect(none.spans).toEqual([]);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof getSpans>> = await getSpans({
          client,
          project: { projectName: 'compat' },
          limit: 4,
          cursor,
        });
        seen.push(...page.spans.map((s) => s.context.span_id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(15);

      const otlp = await client.GET('/v1/projects/{project_identifier}/spans/otlpv1', {
        params: { path: { project_identifier: 'compat' }, query: { limit: 1 } },
      });
      expect(otlp.data!.data[0]).toMatchObject({
        name: expect.any(String),
        status: { code: expect.any(Number) },
      });
    });

    // Phoenix answers duplicates and unusable spans with a 400 whose plain-text body is a JSON object
    // (the Python client parses it); this client then throws a plain Error carrying that text. Schema
    // problems come as FastAPI 422s, which it turns into a SpanCreationError naming the spans.
    it('logSpans stores spans, and reports refused spans', async () => {
      const traceId = otelId(16);
      const spans = [
        loggedSpan({
          traceId,
          kind: 'RETRIEVER',
          name: 'retrieve',
          start: '2024-02-01T00:00:00Z',
          end: '2024-02-01T00:00:01Z',
          attributes: {
            'retrieval.documents.0.document.content': 'one',
            'retrieval.documents.1.document.content': 'two',
          },
        }),
      ];
      expect(await logSpans({ client, project: { projectName: 'compat-log' }, spans })).toEqual({
        totalReceived: 1,
        totalQueued: 1,
      });
      const duplicate = await logSpans({ client, project: { projectName: 'compat-log' }, spans }).catch(
        (e) => e,
      );
      expect(duplicate).toBeInstanceOf(Error);
      const detail = JSON.parse(duplicate.message.replace('Failed to log spans: ', ''));
      expect(detail.duplicate_spans).toEqual([{ span_id: spans[0]!.context.span_id, trace_id: traceId }]);
      const naive = [loggedSpan({ traceId: otelId(16), start: '2024-02-01T00:00:00' })];
      const invalid = await logSpans({ client, project: { projectName: 'compat-log' }, spans: naive }).catch(
        (e) => e,
      );
      expect(invalid).toBeInstanceOf(SpanCreationError);
      expect(invalid.invalidSpans[0]).toMatchObject({ spanId: naive[0]!.context.span_id });
      expect(invalid.invalidSpans[0].error).toContain('timezone-naive');
      const badId = [loggedSpan({ traceId: 'zz', start: '2024-02-01T00:00:00Z' })];
      const refused = await logSpans({ client, project: { projectName: 'compat-log' }, spans: badId }).catch(
        (e) => e,
      );
      expect(refused.message).toContain('"invalid_spans":[{"span_id"');
      expect(refused.message).toContain('trace_id must be 32 hex digits');
    });

    it('annotates spans and documents, adds notes, and lists the annotations', async () => {
      const llm = (await getSpans({ client, project: { projectName: 'compat' }, name: 'llm', limit: 1 }))
        .spans[0]!;
      const spanId = llm.context.span_id;
      const added = await addSpanAnnotation({
        client,
        spanAnnotation: { spanId, name: 'correctness', label: 'correct', score: 1, metadata: { judge: 'x' } },
        sync: true,
      });
      expect(decode(added!.id)).toMatch(/^SpanAnnotation:\d+$/);
      expect(
        await addSpanAnnotation({ client, spanAnnotation: { spanId, name: 'latency', label: 'fast' } }),
      ).toBeNull();
      const logged = await logSpanAnnotations({
        client,
        spanAnnotations: [
          { spanId, name: 'correctness', label: 'incorrect', score: 0 },
          { spanId, name: 'correctness', label: 'second run', identifier: 'run-2' },
        ],
        sync: true,
      });
      expect(logged[0]!.id).toBe(added!.id);
      expect(logged[1]!.id).not.toBe(added!.id);
      const first = await addSpanNote({ client, spanNote: { spanId, note: 'looked at it' } });
      const named = await addSpanNote({ client, spanNote: { spanId, note: 'v1', identifier: 'mine' } });
      expect((await addSpanNote({ client, spanNote: { spanId, note: 'v2', identifier: 'mine' } })).id).toBe(
        named.id,
      );
      expect(first.id).not.toBe(named.id);

      const retriever = (
        await getSpans({ client, project: { projectName: 'compat-log' }, spanKind: 'RETRIEVER' })
      ).spans[0]!;
      const doc = await addDocumentAnnotation({
        client,
        documentAnnotation: {
          spanId: retriever.context.span_id,
          documentPosition: 1,
          name: 'relevance',
          score: 1,
        },
        sync: true,
      });
      expect(decode(doc!.id)).toMatch(/^DocumentAnnotation:\d+$/);
      const docs = await logDocumentAnnotations({
        client,
        documentAnnotations: [
          { spanId: retriever.context.span_id, documentPosition: 0, name: 'relevance', label: 'relevant' },
          { spanId: retriever.context.span_id, documentPosition: 1, name: 'relevance', score: 0.5 },
        ],
        sync: true,
      });
      expect(docs).toHaveLength(2);
      expect(docs[1]!.id).toBe(doc!.id);

      const listed = await getSpanAnnotations({
        client,
        project: { projectName: 'compat' },
        spanIds: [spanId],
        includeAnnotationNames: ['correctness', 'latency', 'note'],
      });
      expect(listed.annotations.map((a) => a.name).sort()).toEqual([
        'correctness',
        'correctness',
        'latency',
        'note',
        'note',
      ]);
      const noNotes = await getSpanAnnotations({
        client,
        project: { projectName: 'compat' },
        spanIds: [spanId],
        excludeAnnotationNames: ['note'],
        limit: 2,
      });
      expect(noNotes.annotations).toHaveLength(2);
      const rest = await getSpanAnnotations({
        client,
        project: { projectName: 'compat' },
        spanIds: [spanId],
        excludeAnnotationNames: ['note'],
        cursor: noNotes.nextCursor,
      });
      expect(rest.annotations.map((a) => a.result?.label)).toEqual(['incorrect']);
      expect(
        (
          await client.DELETE('/v1/projects/{project_identifier}/span_annotations', {
            params: { path: { project_identifier: 'compat' }, query: { delete_all: true, name: 'latency' } },
          })
        ).response.status,
      ).toBe(204);
    });

    it('deleteSpan by span_id or GlobalID; unknown spans throw', async () => {
      const [tool] = (await getSpans({ client, project: { projectName: 'compat' }, name: 'tool', limit: 2 }))
        .spans;
      await deleteSpan({ client, spanIdentifier: tool!.context.span_id });
      const [other] = (await getSpans({ client, project: { projectName: 'compat' }, name: 'tool', limit: 1 }))
        .spans;
      await deleteSpan({ client, spanIdentifier: other!.id! });
      expect(
        (await getSpans({ client, project: { projectName: 'compat' }, name: 'tool' })).spans,
      ).toHaveLength(3);
      await expect(deleteSpan({ client, spanIdentifier: 'ffffffffffffffff' })).rejects.toMatchObject({
        status: 404,
      });
    });
  });

  describe('traces', () => {
    it('getTraces with sort, order, spans, session filter and cursors', async () => {
      const all = await getTraces({ client, project: { projectName: 'compat' }, includeSpans: true });
      expect(all.traces).toHaveLength(5);
      expect(all.traces[0]!.spans!.length).toBeGreaterThan(0);
      const ofSession = await getTraces({
        client,
        project: { projectName: 'compat' },
        sessionId: 'compat-1',
      });
      expect(ofSession.traces).toHaveLength(3);
      const page = await getTraces({ client, project: { projectName: 'compat' }, limit: 2, order: 'asc' });
      expect(page.traces).toHaveLength(2);
      const next = await getTraces({
        client,
        project: { projectName: 'compat' },
        limit: 10,
        order: 'asc',
        cursor: page.nextCursor,
      });
      expect(next.traces).toHaveLength(3);
      expect(new Set([...page.traces, ...next.traces].map((tr) => tr.trace_id)).size).toBe(5);
      const byLatency = await getTraces({ client, project: { projectName: 'compat' }, sort: 'latency_ms' });
      expect(byLatency.traces).toHaveLength(5);
    });

    it('annotates traces and adds notes', async () => {
      const [trace] = (await getTraces({ client, project: { projectName: 'compat' }, limit: 1 })).traces;
      const traceId = trace!.trace_id;
      const added = await addTraceAnnotation({
        client,
        traceAnnotation: { traceId, name: 'resolved', label: 'yes' },
        sync: true,
      });
      expect(decode(added!.id)).toMatch(/^TraceAnnotation:\d+$/);
      const logged = await logTraceAnnotations({
        client,
        traceAnnotations: [{ traceId, name: 'resolved', label: 'no', annotatorKind: 'CODE' }],
        sync: true,
      });
      expect(logged[0]!.id).toBe(added!.id);
      expect(
        await logTraceAnnotations({ client, traceAnnotations: [{ traceId, name: 'async', score: 3 }] }),
      ).toEqual([]);
      const note = await addTraceNote({ client, traceNote: { traceId, note: 'noted', identifier: 'n' } });
      expect(decode(note.id)).toMatch(/^TraceAnnotation:\d+$/);
      const listed = await client.GET('/v1/projects/{project_identifier}/trace_annotations', {
        params: { path: { project_identifier: 'compat' }, query: { trace_ids: [traceId] } },
      });
      expect(listed.data!.data.map((a) => a.name)).toEqual(['note', 'async', 'resolved']);
      expect(listed.data!.data[2]).toMatchObject({ annotator_kind: 'CODE', result: { label: 'no' } });
    });

    it('deletes a trace and transfers traces (typed client and plain HTTP)', async () => {
      const [a, b] = (
        await getTraces({ client, project: { projectName: 'compat' }, sessionId: 'compat-2' })
      ).traces
        .concat((await getTraces({ client, project: { projectName: 'compat' }, limit: 5 })).traces)
        .filter((trace, i, list) => list.findIndex((x) => x.id === trace.id) === i);
      await client.DELETE('/v1/traces/{trace_identifier}', { params: { path: { trace_identifier: a!.id } } });
      await expect(
        client.DELETE('/v1/traces/{trace_identifier}', {
          params: { path: { trace_identifier: a!.trace_id } },
        }),
      ).rejects.toMatchObject({ status: 404 });
      await client.POST('/v1/projects', { body: { name: 'compat-archive' } });
      const response = await fetch(`${t.server.url}/v1/traces/transfer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          trace_identifiers: [b!.trace_id],
          destination_project_identifier: 'compat-archive',
        }),
      });
      const transferred = (await response.json()) as { data: { transferred_trace_count: number } };
      expect(transferred.data.transferred_trace_count).toBe(1);
      expect(
        (await getTraces({ client, project: { projectName: 'compat-archive' } })).traces.map(
          (tr) => tr.trace_id,
        ),
      ).toEqual([b!.trace_id]);
    });
  });
});
