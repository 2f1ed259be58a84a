import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { textErrors } from '../api/schemas/common.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { annotationsOf } from './annotation-reads.js';
import { filterVocabularyRoute } from './filter-vocabulary-route.js';
import { findProject } from './ids.js';
import { endAt, type LiveFeed } from './live-feed.js';
import { timeRangeParams, uiValidatorCompiler } from './params.js';
import { ProjectStatsCache } from './project-stats.js';
import { sessionDetail, sessionPage } from './session-reads.js';
import { spanTablePage } from './span-table.js';
import { traceDetail } from './trace-detail.js';
import {
  AnnotationListSchema,
  AnnotationTargetParamsSchema,
  LiveChangeSchema,
  ProjectParamsSchema,
  ProjectStatsSchema,
  ProjectsResponseSchema,
  SessionPageSchema,
  SessionParamsSchema,
  SessionSchema,
  SessionTableQuerySchema,
  SpanPageSchema,
  SpanTableQuerySchema,
  TimeRangeQuerySchema,
  TraceParamsSchema,
  TraceSchema,
} from './ui-schemas.js';
import type { UiAnnotationList, UiProjectsResponse } from './wire.js';

const tags = ['ui'];

export async function uiRoutes(
  app: FastifyInstance,
  options: { store: ReadStore; live: LiveFeed },
): Promise<void> {
  const { store, live } = options;
  const stats = new ProjectStatsCache(store);
  await app.register(filterVocabularyRoute, { store });
  // Parameters read by the routes' schemas (params.ts); bodies written with JSON.stringify, the
  // response schemas being documentation (as in rest-api.ts): the big reads pay no serializer.
  app.setValidatorCompiler(uiValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const ui = app.withTypeProvider<TypeBoxTypeProvider>();

  ui.get(
    '/v1/ui/projects',
    {
      schema: {
        tags,
        summary: 'Projects with their figures (UI)',
        querystring: TimeRangeQuerySchema,
        response: { 200: ProjectsResponseSchema, ...textErrors(422) },
      },
    },
    async (request) => {
      const range = timeRangeParams(request.query);
      return { data: await stats.all(range) } satisfies UiProjectsResponse;
    },
  );

  ui.get(
    '/v1/ui/projects/:project/stats',
    {
      schema: {
        tags,
        summary: "A project's figures (UI)",
        params: ProjectParamsSchema,
        querystring: TimeRangeQuerySchema,
        response: { 200: ProjectStatsSchema, ...textErrors(404, 422) },
      },
    },
    async (request) => {
      const range = timeRangeParams(request.query);
      const ref = await findProject(store, request.params.project);
      const project = await store.db
        .selectFrom('projects')
        .select(['id', 'name', 'description', 'created_at'])
        .where('id', '=', ref.id)
        .executeTakeFirstOrThrow();
      return stats.get(project, range);
    },
  );

  ui.get(
    '/v1/ui/projects/:project/spans',
    {
      schema: {
        tags,
        summary: "A project's spans or root spans: sorted, filtered (query language), keyset-paged (UI)",
        params: ProjectParamsSchema,
        querystring: SpanTableQuerySchema,
        response: { 200: SpanPageSchema, ...textErrors(404, 422) },
      },
    },
    async (request) => {
      const { query } = request;
      const params = {
        rootsOnly: query.root_spans_only,
        filter: query.filter,
        sort: query.sort,
        order: query.order,
        range: timeRangeParams(query),
        cursor: query.cursor,
        limit: query.limit,
      };
      const project = await findProject(store, request.params.project);
      return spanTablePage(store, { ...params, project });
    },
  );

  ui.get(
    '/v1/ui/traces/:traceId',
    {
      schema: {
        tags,
        summary: 'A trace with its spans and annotations (UI)',
        params: TraceParamsSchema,
        response: { 200: TraceSchema, ...textErrors(404) },
      },
    },
    async (request) => traceDetail(store, request.params.traceId),
  );

  ui.get(
    '/v1/ui/projects/:project/sessions',
    {
      schema: {
        tags,
        summary:
          "A project's sessions with rollups, filtered by their root spans (query language), keyset-paged (UI)",
        params: ProjectParamsSchema,
        querystring: SessionTableQuerySchema,
        response: { 200: SessionPageSchema, ...textErrors(404, 422) },
      },
    },
    async (request) => {
      const { query } = request;
      const params = {
        filter: query.filter,
        sort: query.sort,
        order: query.order,
        range: timeRangeParams(query),
        cursor: query.cursor,
        limit: query.limit,
      };
      const project = await findProject(store, request.params.project);
      return sessionPage(store, { ...params, project });
    },
  );

  ui.get(
    '/v1/ui/sessions/:session',
    {
      schema: {
        tags,
        summary: 'A session with its turns and annotations (UI)',
        params: SessionParamsSchema,
        response: { 200: SessionSchema, ...textErrors(404) },
      },
    },
    async (request) => sessionDetail(store, request.params.session),
  );

  ui.get(
    '/v1/ui/annotations/:kind/:target',
    {
      schema: {
        tags,
        summary: 'Every annotation of one span, trace or session (UI)',
        params: AnnotationTargetParamsSchema,
        response: { 200: AnnotationListSchema, ...textErrors(422) },
      },
    },
    async (request) => {
      const { kind, target } = request.params;
      const rowId = await targetRowId(store, kind, target);
      return {
        data: rowId === null ? [] : await annotationsOf(store, kind, new Map([[rowId, target]])),
      } satisfies UiAnnotationList;
    },
  );

  ui.get(
    '/v1/ui/live',
    {
      schema: {
        tags,
        summary: 'Server-sent events when data changes (UI)',
        description: 'A text/event-stream of events named `change`, each one UiLiveChange as JSON.',
        response: {
          200: {
            description: 'Server-sent events (`event: change`, `data:` a UiLiveChange)',
            content: { 'text/event-stream': { schema: LiveChangeSchema } },
          },
        },
      },
    },
    async (request, reply) => {
      // The stream opens once the feed knows where the store stands: every later change is told.
      const unsubscribe = await live.subscribe((change) => {
        reply.raw.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
      });
      if (request.raw.destroyed) {
        unsubscribe();
        return;
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      // A comment now and then keeps proxies from closing an idle stream.
      const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
      const close = () => {
        clearInterval(keepAlive);
        cancelExpiry();
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        close();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', close);
      // With auth on, the stream ends when the credential that opened it expires (the UI refreshes, reopens).
      const cancelExpiry = endAt(request.principal?.expiresAtMs, end);
    },
  );

  // Open streams would hold the server open: end them when it closes.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
    live.stop();
  });
}

async function targetRowId(
  store: ReadStore,
  kind: 'span' | 'trace' | 'session',
  target: string,
): Promise<number | null> {
  const row =
    kind === 'span'
      ? await store.db.selectFrom('spans').select('id').where('span_id', '=', target).executeTakeFirst()
      : kind === 'trace'
        ? await store.db.selectFrom('traces').select('id').where('trace_id', '=', target).executeTakeFirst()
        : await store.db
            .selectFrom('project_sessions')
            .select('id')
            .where('session_id', '=', target)
            .executeTakeFirst();
  return row?.id ?? null;
}
