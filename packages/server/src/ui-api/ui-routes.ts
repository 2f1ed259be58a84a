import type { FastifyInstance } from 'fastify';
import type { ReadStore } from '../store/repositories/read-store.js';
import { annotationsOf } from './annotation-reads.js';
import { filterVocabularyRoute } from './filter-vocabulary-route.js';
import { findProject } from './ids.js';
import type { LiveFeed } from './live-feed.js';
import { boolParam, enumParam, intParam, type Query, stringParam, timeRangeParams } from './params.js';
import { ProjectStatsCache } from './project-stats.js';
import { SESSION_SORTS, sessionDetail, sessionPage } from './session-reads.js';
import { SPAN_SORTS, spanTablePage } from './span-table.js';
import { traceDetail } from './trace-detail.js';
import type { UiAnnotationList, UiProjectsResponse } from './wire.js';

const ORDERS = ['asc', 'desc'] as const;
const tags = ['ui'];

/**
 * What the web UI reads beyond Phoenix's REST API (Phoenix's own UI uses GraphQL): project figures,
 * sorted and filtered span tables, a trace with its spans, sessions with rollups and turns,
 * annotations of one target, and a live feed of changes (server-sent events).
 */
export async function uiRoutes(
  app: FastifyInstance,
  options: { store: ReadStore; live: LiveFeed },
): Promise<void> {
  const { store, live } = options;
  const stats = new ProjectStatsCache(store);
  await app.register(filterVocabularyRoute, { store });

  app.get(
    '/v1/ui/projects',
    { schema: { tags, summary: 'Projects with their figures (UI)' } },
    async (request) => {
      const range = timeRangeParams(request.query as Query);
      return { data: await stats.all(range) } satisfies UiProjectsResponse;
    },
  );

  app.get<{ Params: { project: string } }>(
    '/v1/ui/projects/:project/stats',
    { schema: { tags, summary: "A project's figures (UI)" } },
    async (request) => {
      const range = timeRangeParams(request.query as Query);
      const ref = await findProject(store, request.params.project);
      const project = await store.db
        .selectFrom('projects')
        .select(['id', 'name', 'description', 'created_at'])
        .where('id', '=', ref.id)
        .executeTakeFirstOrThrow();
      return stats.get(project, range);
    },
  );

  app.get<{ Params: { project: string } }>(
    '/v1/ui/projects/:project/spans',
    {
      schema: {
        tags,
        summary: "A project's spans or root spans: sorted, filtered (query language), keyset-paged (UI)",
      },
    },
    async (request) => {
      const query = request.query as Query;
      const params = {
        rootsOnly: boolParam(query, 'root_spans_only'),
        filter: stringParam(query, 'filter'),
        sort: enumParam(query, 'sort', SPAN_SORTS, 'start_time'),
        order: enumParam(query, 'order', ORDERS, 'desc'),
        range: timeRangeParams(query),
        cursor: stringParam(query, 'cursor'),
        limit: intParam(query, 'limit', { min: 1, max: 1000, fallback: 100 }),
      };
      const project = await findProject(store, request.params.project);
      return spanTablePage(store, { ...params, project });
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/v1/ui/traces/:traceId',
    { schema: { tags, summary: 'A trace with its spans and annotations (UI)' } },
    async (request) => traceDetail(store, request.params.traceId),
  );

  app.get<{ Params: { project: string } }>(
    '/v1/ui/projects/:project/sessions',
    {
      schema: {
        tags,
        summary:
          "A project's sessions with rollups, filtered by their root spans (query language), keyset-paged (UI)",
      },
    },
    async (request) => {
      const query = request.query as Query;
      const params = {
        filter: stringParam(query, 'filter'),
        sort: enumParam(query, 'sort', SESSION_SORTS, 'start_time'),
        order: enumParam(query, 'order', ORDERS, 'desc'),
        range: timeRangeParams(query),
        cursor: stringParam(query, 'cursor'),
        limit: intParam(query, 'limit', { min: 1, max: 1000, fallback: 100 }),
      };
      const project = await findProject(store, request.params.project);
      return sessionPage(store, { ...params, project });
    },
  );

  app.get<{ Params: { session: string } }>(
    '/v1/ui/sessions/:session',
    { schema: { tags, summary: 'A session with its turns and annotations (UI)' } },
    async (request) => sessionDetail(store, request.params.session),
  );

  app.get<{ Params: { kind: string; target: string } }>(
    '/v1/ui/annotations/:kind/:target',
    { schema: { tags, summary: 'Every annotation of one span, trace or session (UI)' } },
    async (request) => {
      const kind = enumParam(
        { kind: request.params.kind },
        'kind',
        ['span', 'trace', 'session'] as const,
        'span',
      );
      const { target } = request.params;
      const rowId = await targetRowId(store, kind, target);
      return {
        data: rowId === null ? [] : await annotationsOf(store, kind, new Map([[rowId, target]])),
      } satisfies UiAnnotationList;
    },
  );

  app.get(
    '/v1/ui/live',
    { schema: { tags, summary: 'Server-sent events when data changes (UI)' } },
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
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        close();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', close);
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
