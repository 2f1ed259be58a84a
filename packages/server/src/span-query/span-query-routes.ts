import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { typeboxValidatorCompiler } from '../api/request-validation.js';
import { ValidationErrorSchema } from '../api/schemas/common.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { filterErrorDetail } from './filter-parameter.js';
import { queryDialect } from './index.js';
import { multipartFrames } from './pandas-json.js';
import { DEFAULT_SPAN_LIMIT, querySpans, type SpanFrame } from './query-spans.js';
import { type SpanQuery, SpanQueryError } from './span-query.js';

export interface SpanQueryRoutesOptions {
  /** Reads, on the server's read connection. */
  store: ReadStore;
  /** PHOENIX_PROJECT_NAME, else `default`: the project queried when the request names none. */
  defaultProject: string;
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Kwargs = Nullable(Type.Record(Type.String(), Type.String()));

/** Phoenix's `SpanQuery.to_dict()`. */
const SpanQuerySchema = Type.Object(
  {
    select: Type.Optional(Nullable(Type.Record(Type.String(), Type.Object({ key: Type.String() })))),
    filter: Type.Optional(Nullable(Type.Object({ condition: Type.Optional(Nullable(Type.String())) }))),
    explode: Type.Optional(
      Nullable(
        Type.Object({
          key: Type.String(),
          kwargs: Type.Optional(Kwargs),
          primary_index_key: Type.Optional(Nullable(Type.String())),
        }),
      ),
    ),
    concat: Type.Optional(
      Nullable(
        Type.Object({
          key: Type.String(),
          kwargs: Type.Optional(Kwargs),
          separator: Type.Optional(Nullable(Type.String())),
        }),
      ),
    ),
    rename: Type.Optional(Kwargs),
    index: Type.Optional(Nullable(Type.Object({ key: Type.Optional(Nullable(Type.String())) }))),
  },
  { title: 'SpanQuery' },
);

const Instant = Nullable(Type.String({ description: 'ISO 8601; without an offset, UTC' }));

/** Far above Phoenix's default (1,000), and a number every database's LIMIT takes. */
const MAX_SPAN_QUERY_LIMIT = 1_000_000;

const QuerySpansBody = Type.Object(
  {
    queries: Type.Array(SpanQuerySchema),
    start_time: Type.Optional(Instant),
    end_time: Type.Optional(Instant),
    /** Deprecated name of end_time. */
    stop_time: Type.Optional(Instant),
    limit: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_SPAN_QUERY_LIMIT,
        default: DEFAULT_SPAN_LIMIT,
        description: `Rows per query, at most ${MAX_SPAN_QUERY_LIMIT.toLocaleString('en')}`,
      }),
    ),
    root_spans_only: Type.Optional(Nullable(Type.Boolean())),
    orphan_span_as_root_span: Type.Optional(Type.Boolean({ default: true })),
    project_name: Type.Optional(Nullable(Type.String())),
  },
  { title: 'QuerySpansRequestBody' },
);

const QuerySpansParams = Type.Object({
  project_name: Type.Optional(
    Type.String({ description: 'The project to query (default: the default project)' }),
  ),
  'project-name': Type.Optional(Type.String({ description: 'Older spelling of project_name' })),
});

/**
 * `POST /v1/spans`: Phoenix's span queries (`client.spans.get_spans_dataframe(query=...)`). Each
 * query's result is a pandas table JSON part of a multipart/mixed answer; an invalid query is a 422
 * in FastAPI's shape whose `ctx` carries the filter error's position and what was expected.
 */
export const spanQueryRoutes: FastifyPluginAsyncTypebox<SpanQueryRoutesOptions> = async (
  app,
  { store, defaultProject },
) => {
  app.setValidatorCompiler(typeboxValidatorCompiler);
  // As in the REST API: response schemas document, JSON.stringify writes (the 422 adds `ctx`).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const dialect = queryDialect(store.dialect);

  app.post(
    '/v1/spans',
    {
      schema: {
        tags: ['spans'],
        operationId: 'querySpans',
        summary: 'Query spans with the query DSL',
        description:
          'Runs Phoenix SpanQuery objects (select / filter / explode / concat / rename / index) over a project’s spans in the window start_time <= start < end_time, newest first. Answers one pandas table JSON part per query (multipart/mixed).',
        querystring: QuerySpansParams,
        body: QuerySpansBody,
        response: {
          200: {
            description: 'One pandas table JSON document per query',
            content: { 'multipart/mixed': { schema: { type: 'string' } } },
          },
          404: { description: 'No queries', content: { 'text/plain': { schema: { type: 'string' } } } },
          422: ValidationErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { body, query, headers } = request;
      const header = headers['project-name'];
      const projectName =
        query.project_name ||
        query['project-name'] ||
        (typeof header === 'string' ? header : undefined) ||
        body.project_name ||
        defaultProject;
      if (body.queries.length === 0)
        return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
      const frames: SpanFrame[] = [];
      for (const [i, spanQuery] of body.queries.entries()) {
        try {
          frames.push(
            await querySpans(store.db, dialect, {
              projectName,
              query: spanQuery as SpanQuery,
              startTime: body.start_time,
              endTime: body.end_time ?? body.stop_time,
              limit: body.limit ?? DEFAULT_SPAN_LIMIT,
              rootSpansOnly: body.root_spans_only,
              orphanSpanAsRootSpan: body.orphan_span_as_root_span ?? true,
            }),
          );
        } catch (error) {
          if (error instanceof SpanQueryError)
            return invalidQuery(reply, error, ['body', 'queries', i], spanQuery);
          throw error;
        }
      }
      const { contentType, body: content } = multipartFrames(frames);
      return reply.type(contentType).send(content);
    },
  );
};

/** FastAPI's 422 for a query that cannot run; for a bad filter, with its position (see filterErrorDetail). */
function invalidQuery(reply: FastifyReply, error: SpanQueryError, at: (string | number)[], input: unknown) {
  const detail = error.queryError
    ? filterErrorDetail(
        error.queryError,
        [...at, 'filter', 'condition'],
        (input as SpanQuery).filter?.condition,
      )
    : { loc: at, msg: error.message, type: 'value_error', input };
  return reply.code(422).send({ detail: [detail] });
}
