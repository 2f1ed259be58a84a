import { SPAN_FIELD_NAMES } from '@fawkes/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { collectAttributePaths, collectMetadataKeys } from './attribute-paths.js';
import type { UiFilterVocabulary } from './filter-vocabulary-wire.js';

describe('attribute paths', () => {
  it('flattens nested attributes to dotted leaves, arrays as leaves, metadata apart', () => {
    const paths = new Map();
    const metadata = new Map();
    const first = {
      llm: {
        model_name: 'gpt-4o',
        token_count: { prompt: 3 },
        input_messages: [{ message: { role: 'user' } }],
      },
      metadata: { 'user.id': 'ada', tier: 2 },
      tag: { tags: ['a'] },
      empty: null,
    };
    collectAttributePaths(first, paths, 100);
    collectMetadataKeys(first, metadata, 100);
    collectAttributePaths({ llm: { model_name: 7 } }, paths, 100);
    expect(Object.fromEntries(paths)).toEqual({
      'llm.model_name': 'mixed',
      'llm.token_count.prompt': 'number',
      'llm.input_messages': 'array',
      'tag.tags': 'array',
    });
    expect(Object.fromEntries(metadata)).toEqual({ 'user.id': 'string', tier: 'number' });
  });

  it('stops adding paths at the limit', () => {
    const paths = new Map();
    collectAttributePaths({ a: 1, b: 2, c: 3 }, paths, 2);
    expect([...paths.keys()]).toEqual(['a', 'b']);
  });
});

describeEachDialect('GET /v1/ui/projects/{p}/filter_vocabulary', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  const llmSpan = otelId(8);
  const traceId = otelId(16);
  const otherTrace = otelId(16);
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    const at = '2025-03-01T10:00:00Z';
    expect(
      (
        await http.post('/v1/projects/vocab/spans', {
          data: [
            loggedSpan({
              traceId,
              spanId: llmSpan,
              kind: 'LLM',
              start: at,
              attributes: {
                llm: { model_name: 'gpt-4o', token_count: { prompt: 10, completion: 2 } },
                metadata: { 'user.id': 'ada' },
                session: { id: 's1' },
              },
            }),
          ],
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await http.post('/v1/projects/elsewhere/spans', {
          data: [loggedSpan({ traceId: otherTrace, start: at, attributes: { only: { here: true } } })],
        })
      ).status,
    ).toBe(202);
    const annotate = async (path: string, body: Record<string, unknown>) =>
      expect((await http.post(`${path}?sync=true`, { data: [body] })).status).toBe(200);
    const result = { label: 'correct', score: 1 };
    await annotate('/v1/span_annotations', {
      span_id: llmSpan,
      name: 'correctness',
      annotator_kind: 'LLM',
      result,
    });
    await annotate('/v1/span_annotations', {
      span_id: llmSpan,
      name: 'hallucination',
      annotator_kind: 'LLM',
      result,
    });
    await annotate('/v1/trace_annotations', {
      trace_id: traceId,
      name: 'user_feedback',
      annotator_kind: 'HUMAN',
      result,
    });
    await annotate('/v1/trace_annotations', {
      trace_id: otherTrace,
      name: 'not_here',
      annotator_kind: 'HUMAN',
      result,
    });
    expect((await http.post('/v1/span_notes', { data: { span_id: llmSpan, note: 'a note' } })).status).toBe(
      200,
    );
  });
  afterAll(() => t.close());

  const vocabulary = async (project: string) => {
    const response = await http.get(`/v1/ui/projects/${encodeURIComponent(project)}/filter_vocabulary`);
    expect(response.status, response.text).toBe(200);
    return response.json as UiFilterVocabulary;
  };

  it("lists the project's attribute paths, metadata keys and annotation names, and every span field", async () => {
    const body = await vocabulary('vocab');
    expect(body.attributes).toEqual([
      { path: 'llm.model_name', type: 'string' },
      { path: 'llm.token_count.completion', type: 'number' },
      { path: 'llm.token_count.prompt', type: 'number' },
      { path: 'openinference.span.kind', type: 'string' },
      { path: 'session.id', type: 'string' },
    ]);
    expect(body.metadata).toEqual([{ key: 'user.id', type: 'string' }]);
    expect(body.span_annotation_names).toEqual(['correctness', 'hallucination']);
    expect(body.trace_annotation_names).toEqual(['user_feedback']);
    expect(body.sampled_spans).toBe(1);
    expect(body.fields.map((f) => f.name)).toEqual([...SPAN_FIELD_NAMES]);
    expect(body.fields).toContainEqual({ name: 'cost.total', type: 'number' });
  });

  it("does not mix in another project's keys and names", async () => {
    const body = await vocabulary('elsewhere');
    expect(body.attributes).toEqual([
      { path: 'only.here', type: 'boolean' },
      { path: 'openinference.span.kind', type: 'string' },
    ]);
    expect(body.span_annotation_names).toEqual([]);
    expect(body.trace_annotation_names).toEqual(['not_here']);
  });

  it('answers 404 for an unknown project', async () => {
    const response = await http.get('/v1/ui/projects/nope/filter_vocabulary');
    expect(response.status).toBe(404);
    expect(response.text).toContain('nope');
  });
});
