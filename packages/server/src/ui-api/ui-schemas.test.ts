import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSampleData } from '../../e2e/sample-traces.js';
import '../api/request-validation.js'; // the date-time format
import { describeEachDialect } from '../../test-support/dialects.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { uiValidatorCompiler } from './params.js';
import {
  AnnotationListSchema,
  AnnotationTargetParamsSchema,
  ProjectStatsSchema,
  ProjectsResponseSchema,
  SessionPageSchema,
  SessionSchema,
  SpanPageSchema,
  SpanTableQuerySchema,
  TraceSchema,
} from './ui-schemas.js';
import type { UiSessionPage, UiSpanPage } from './wire.js';

const validator = (schema: TSchema) =>
  uiValidatorCompiler({ schema, method: 'GET', url: '/', httpPart: 'querystring' }) as (data: unknown) => {
    value?: Record<string, unknown>;
    error?: Error & { statusCode?: number };
  };

describe('uiValidatorCompiler', () => {
  const spans = validator(SpanTableQuerySchema);

  it('reads each parameter by its schema and fills the defaults', () => {
    expect(spans({}).value).toEqual({
      root_spans_only: false,
      sort: 'start_time',
      order: 'desc',
      limit: 100,
    });
    expect(
      spans({
        root_spans_only: 'TRUE',
        sort: 'latency_ms',
        order: 'asc',
        limit: ' 20 ',
        filter: "span_kind == 'LLM'",
        cursor: 'abc',
        start_time: '2025-03-01T11:00:00',
        end_time: '',
        other: 'ignored',
      }).value,
    ).toEqual({
      root_spans_only: true,
      sort: 'latency_ms',
      order: 'asc',
      limit: 20,
      filter: "span_kind == 'LLM'",
      cursor: 'abc',
      start_time: '2025-03-01T11:00:00',
    });
  });

  it('answers a bad value with a 422 naming it, as the hand-written reading did', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 'x' }, "limit must be an integer from 1 to 1000, not 'x'"],
      [{ limit: '1001' }, "limit must be an integer from 1 to 1000, not '1001'"],
      [
        { sort: 'cost' },
        "sort must be one of start_time, latency_ms, name, span_kind, status_code, token_count_total, cost_total, not 'cost'",
      ],
      [{ order: 'up' }, "order must be one of asc, desc, not 'up'"],
      [{ root_spans_only: 'maybe' }, "root_spans_only must be true or false, not 'maybe'"],
      [{ start_time: 'yesterday' }, "start_time must be an ISO 8601 instant, not 'yesterday'"],
      [{ limit: ['1', '2'] }, 'limit must be given once'],
    ];
    for (const [query, message] of cases) {
      const { error } = spans(query);
      expect(error?.statusCode, message).toBe(422);
      expect(error?.message).toBe(message);
    }
    expect(validator(AnnotationTargetParamsSchema)({ kind: 'spam', target: 'x' }).error?.message).toBe(
      "kind must be one of span, trace, session, not 'spam'",
    );
  });
});

describeEachDialect('/v1/ui schemas', (dialect) => {
  let t: TestServer;
  const get = async (path: string) => {
    const response = await fetch(`${t.server.url}${path}`);
    expect(response.status, path).toBe(200);
    return (await response.json()) as unknown;
  };
  const conforms = (schema: TSchema, value: unknown) => {
    expect([...Value.Errors(schema, value)].slice(0, 3)).toEqual([]);
  };

  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    await sendSampleData(t.server.url, Date.parse('2025-03-01T12:00:00Z'));
  });
  afterAll(() => t.close());

  it('answers what the schemas say', async () => {
    conforms(ProjectsResponseSchema, await get('/v1/ui/projects'));
    conforms(ProjectStatsSchema, await get('/v1/ui/projects/chatbot/stats'));
    const spans = (await get('/v1/ui/projects/chatbot/spans?limit=50')) as UiSpanPage;
    conforms(SpanPageSchema, spans);
    const roots = (await get('/v1/ui/projects/chatbot/spans?root_spans_only=true')) as UiSpanPage;
    conforms(SpanPageSchema, roots);
    conforms(TraceSchema, await get(`/v1/ui/traces/${roots.data[0]!.trace_id}`));
    const sessions = (await get('/v1/ui/projects/chatbot/sessions')) as UiSessionPage;
    conforms(SessionPageSchema, sessions);
    conforms(SessionSchema, await get(`/v1/ui/sessions/${encodeURIComponent(sessions.data[0]!.session_id)}`));
    conforms(AnnotationListSchema, await get(`/v1/ui/annotations/trace/${roots.data[0]!.trace_id}`));
  });

  it('lists every /v1/ui route in /openapi.json with its parameters and response shape', async () => {
    const document = (await get('/openapi.json')) as {
      paths: Record<
        string,
        { get?: { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> } }
      >;
    };
    const ui = Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/ui/'));
    expect(ui.map(([path]) => path).sort()).toEqual([
      '/v1/ui/annotations/{kind}/{target}',
      '/v1/ui/live',
      '/v1/ui/projects',
      '/v1/ui/projects/{project}/filter_vocabulary',
      '/v1/ui/projects/{project}/sessions',
      '/v1/ui/projects/{project}/spans',
      '/v1/ui/projects/{project}/stats',
      '/v1/ui/sessions/{session}',
      '/v1/ui/traces/{traceId}',
    ]);
    for (const [path, item] of ui) {
      const ok = item.get?.responses['200'] as { content?: Record<string, { schema?: unknown }> };
      expect(Object.values(ok.content ?? {})[0]?.schema, path).toBeDefined();
    }
    const spans = document.paths['/v1/ui/projects/{project}/spans']!.get!;
    expect(spans.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:project',
      'query:cursor',
      'query:end_time',
      'query:filter',
      'query:limit',
      'query:order',
      'query:root_spans_only',
      'query:sort',
      'query:start_time',
    ]);
  });
});
