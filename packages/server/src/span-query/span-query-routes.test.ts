import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT, loadFixture } from '../../test-support/fixture-store.js';
import { installErrorHandling } from '../api/errors.js';
import type { Database } from '../store/schema.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openMigratedSqlite } from '../store/sqlite/migrate-sqlite.js';
import { spanQueryRoutes } from './span-query-routes.js';

interface TableJson {
  schema: {
    fields: { name: string; type: string; tz?: string }[];
    primaryKey: string[];
    pandas_version: string;
  };
  data: Record<string, unknown>[];
}

/** The JSON parts of a multipart/mixed answer, as Phoenix's Python client splits them. */
function jsonParts(contentType: string, text: string): TableJson[] {
  const boundary = `--${/boundary=([^;]+)/.exec(contentType)![1]}`;
  return text
    .split(boundary)
    .filter((part) => part.includes('Content-Type: application/json'))
    .map((part) => JSON.parse(part.split('\r\n\r\n', 2)[1]!.trim()) as TableJson);
}

let dir: string;
let db: Kysely<Database>;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fawkes-span-routes-'));
  const path = join(dir, 'spans.db');
  db = sqliteKysely(await openMigratedSqlite(path));
  await loadFixture({ dialect: 'sqlite', path }, db);
  app = Fastify();
  installErrorHandling(app);
  await app.register(spanQueryRoutes, { store: { db, dialect: 'sqlite' }, defaultProject: FIXTURE_PROJECT });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await db?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, path = '/v1/spans', headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('POST /v1/spans', () => {
  it("answers Phoenix's default span frame as pandas table JSON in a multipart body", async () => {
    const response = await post({ queries: [{ index: { key: 'context.span_id' } }], limit: 3 });
    expect(response.status).toBe(200);
    const contentType = response.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/mixed; boundary=/);
    const [frame, ...rest] = jsonParts(contentType, await response.text());
    expect(rest).toEqual([]);
    expect(frame!.schema.primaryKey).toEqual(['0_context.span_id']);
    expect(frame!.schema.fields.slice(0, 6)).toEqual([
      { name: '0_context.span_id', type: 'string' },
      { name: '1_name', type: 'string' },
      { name: '2_span_kind', type: 'string' },
      { name: '3_parent_id', type: 'string' },
      { name: '4_start_time', type: 'datetime', tz: 'UTC' },
      { name: '5_end_time', type: 'datetime', tz: 'UTC' },
    ]);
    expect(frame!.data.map((r) => r['0_context.span_id'])).toEqual(['llm-3', 'embedding-1', 'agent-1']);
    expect(frame!.data[0]).toMatchObject({
      '1_name': 'ChatCompletion',
      '4_start_time': '2024-05-03T12:00:01+00:00',
      '9_context.span_id': 'llm-3',
      '10_context.trace_id': 'trace-3',
    });
    const model = frame!.schema.fields.find((f) => f.name.endsWith('_attributes.llm.model_name'))!;
    expect(frame!.data[0]![model.name]).toBe('gpt-4o-mini');
  });

  it('runs select, filter, explode and the time window; one part per query', async () => {
    const response = await post(
      {
        queries: [
          { select: { input: { key: 'input.value' } }, filter: { condition: "span_kind == 'LLM'" } },
          { explode: { key: 'retrieval.documents', kwargs: { reference: 'document.content' } } },
        ],
        start_time: '2024-05-01T00:00:00',
        end_time: '2024-05-03T00:00:00+00:00',
      },
      `/v1/spans?project_name=${FIXTURE_PROJECT}`,
    );
    expect(response.status).toBe(200);
    const [llm, documents] = jsonParts(response.headers.get('content-type')!, await response.text());
    expect(llm!.data).toEqual([
      { '0_context.span_id': 'llm-2', '1_input': 'hello' },
      { '0_context.span_id': 'llm-1', '1_input': 'What is the capital of France?' },
    ]);
    expect(documents!.schema.primaryKey).toEqual(['0_context.span_id', '1_document_position']);
    expect(documents!.schema.fields[1]).toEqual({ name: '1_document_position', type: 'integer' });
    expect(documents!.data).toEqual([
      {
        '0_context.span_id': 'retriever-1',
        '1_document_position': 0,
        '2_reference': 'Paris is the capital of France.',
      },
      {
        '0_context.span_id': 'retriever-1',
        '1_document_position': 1,
        '2_reference': 'Lyon is a city in France.',
      },
    ]);
  });

  it('finds the project from the query string, the header or the body, else the default project', async () => {
    const count = async (response: Response) =>
      jsonParts(response.headers.get('content-type')!, await response.text())[0]!.data.length;
    expect(await count(await post({ queries: [{}] }))).toBe(8);
    expect(await count(await post({ queries: [{}] }, '/v1/spans?project_name=nope'))).toBe(0);
    expect(await count(await post({ queries: [{}] }, '/v1/spans?project-name=nope'))).toBe(0);
    expect(await count(await post({ queries: [{}] }, '/v1/spans', { 'project-name': 'nope' }))).toBe(0);
    expect(await count(await post({ queries: [{}], project_name: 'nope' }))).toBe(0);
  });

  it('answers a bad filter with 422 carrying its position and what was expected', async () => {
    const response = await post({ queries: [{}, { filter: { condition: "span_kind == 'LLM' and" } }] });
    expect(response.status).toBe(422);
    expect((await response.json()) as unknown).toEqual({
      detail: [
        {
          loc: ['body', 'queries', 1, 'filter', 'condition'],
          msg: "Invalid filter: Expected an expression after 'and' at column 20",
          type: 'value_error',
          input: "span_kind == 'LLM' and",
          ctx: {
            reason: "Expected an expression after 'and'",
            position: 19,
            line: 1,
            column: 20,
            length: 3,
            expected: ['expression'],
          },
        },
      ],
    });
    const unknown = (await (
      await post({ queries: [{ filter: { condition: "spam_kind == 'LLM'" } }] })
    ).json()) as {
      detail: { ctx: unknown }[];
    };
    expect(unknown.detail[0]!.ctx).toMatchObject({ position: 0, hint: "Did you mean 'span_kind'?" });
  });

  it('answers other bad requests with 422 and no queries with 404', async () => {
    const projection = await post({ queries: [{ select: { x: { key: 'a +' } } }] });
    expect(projection.status).toBe(422);
    expect(((await projection.json()) as { detail: unknown[] }).detail[0]).toMatchObject({
      loc: ['body', 'queries', 0],
      type: 'value_error',
    });
    const time = await post({ queries: [{}], start_time: 'yesterday' });
    expect(time.status).toBe(422);
    const shape = await post({ queries: 'all' });
    expect(shape.status).toBe(422);
    expect(((await shape.json()) as { detail: { loc: unknown }[] }).detail[0]!.loc).toEqual([
      'body',
      'queries',
    ]);
    const none = await post({ queries: [] });
    expect(none.status).toBe(404);
  });
});
