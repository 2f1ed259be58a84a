import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT, loadFixture } from '../../test-support/fixture-store.js';
import { spanRecord } from '../../test-support/span-records.js';
import type { Database } from '../store/schema.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openMigratedSqlite } from '../store/sqlite/migrate-sqlite.js';
import { SqliteSpanWriter } from '../store/sqlite/span-writer.js';
import { querySpans } from './query-spans.js';
import { SpanQueryError } from './span-query.js';
import { sqliteDialect } from './sqlite-dialect.js';

let dir: string;
let db: Kysely<Database>;
const projectName = FIXTURE_PROJECT;
const ids = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r['context.span_id']);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fawkes-query-spans-'));
  const path = join(dir, 'spans.db');
  const connection = await openMigratedSqlite(path);
  db = sqliteKysely(connection);
  await loadFixture({ dialect: 'sqlite', path }, db);
  // An orphan: its parent was never stored. And a span of another project.
  new SqliteSpanWriter(connection).writeBatch([
    spanRecord({
      projectName,
      traceId: 'trace-4',
      spanId: 'orphan-1',
      parentId: 'never-stored',
      startTime: Date.parse('2024-05-04T00:00:00Z') * 1000,
    }),
    spanRecord({ projectName: 'other', spanId: 'other-1' }),
  ]);
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('querySpans', () => {
  it("returns the project's spans newest first with Phoenix's default columns", async () => {
    const frame = await querySpans(db, sqliteDialect, { projectName });
    expect(frame.index).toEqual(['context.span_id']);
    expect(ids(frame.rows)).toEqual([
      'orphan-1',
      'llm-3',
      'embedding-1',
      'agent-1',
      'llm-2',
      'retriever-1',
      'llm-1',
      'tool-1',
      'chain-1',
    ]);
    expect(frame.columns.slice(0, 10)).toEqual([
      'name',
      'span_kind',
      'parent_id',
      'start_time',
      'end_time',
      'status_code',
      'status_message',
      'events',
      'context.span_id',
      'context.trace_id',
    ]);
    const llm1 = frame.rows.find((r) => r['context.span_id'] === 'llm-1')!;
    expect(llm1).toMatchObject({
      name: 'ChatCompletion',
      span_kind: 'LLM',
      parent_id: 'chain-1',
      start_time: '2024-05-01T10:00:01+00:00',
      end_time: '2024-05-01T10:00:02.500000+00:00',
      status_code: 'OK',
      events: [],
      'context.trace_id': 'trace-1',
      'attributes.llm.model_name': 'gpt-4o',
      'attributes.llm.token_count.total': 1200,
      'attributes.input.value': 'What is the capital of France?',
      'attributes.metadata': { user: 'alice', tier: 'pro' },
      'attributes.tag.tags': ['prod', 'chat'],
    });
    const retriever = frame.rows.find((r) => r['context.span_id'] === 'retriever-1')!;
    expect(retriever['attributes.retrieval.documents']).toEqual([
      {
        'document.id': 'doc-1',
        'document.content': 'Paris is the capital of France.',
        'document.score': 0.92,
      },
      { 'document.id': 'doc-2', 'document.content': 'Lyon is a city in France.', 'document.score': 0.41 },
    ]);
    // Keys that are not OpenInference conventions nest, as in Phoenix.
    const tool = frame.rows.find((r) => r['context.span_id'] === 'tool-1')!;
    expect(tool['attributes.exception']).toEqual({ type: 'TimeoutError' });
    expect(frame.columns).not.toContain('attributes.exception.type');
  });

  it('filters, limits and windows by start time', async () => {
    const llm = await querySpans(db, sqliteDialect, { projectName, filterCondition: "span_kind == 'LLM'" });
    expect(ids(llm.rows)).toEqual(['llm-3', 'llm-2', 'llm-1']);
    const first = await querySpans(db, sqliteDialect, {
      projectName,
      filterCondition: "span_kind == 'LLM'",
      limit: 2,
    });
    expect(ids(first.rows)).toEqual(['llm-3', 'llm-2']);
    const windowed = await querySpans(db, sqliteDialect, {
      projectName,
      startTime: '2024-05-01T10:00:01+00:00',
      endTime: new Date('2024-05-02T08:30:00.000Z'),
    });
    expect(ids(windowed.rows)).toEqual(['retriever-1', 'llm-1']);
    const annotated = await querySpans(db, sqliteDialect, {
      projectName,
      query: { filter: { condition: "annotations['correctness'].label == 'correct'" } },
      filterCondition: 'latency_ms > 2000',
    });
    expect(ids(annotated.rows)).toEqual(['llm-3']);
  });

  it('selects root spans, with orphans unless told otherwise', async () => {
    const roots = await querySpans(db, sqliteDialect, { projectName, rootSpansOnly: true });
    expect(ids(roots.rows)).toEqual(['orphan-1', 'agent-1', 'llm-2', 'chain-1']);
    const strict = await querySpans(db, sqliteDialect, {
      projectName,
      rootSpansOnly: true,
      orphanSpanAsRootSpan: false,
    });
    expect(ids(strict.rows)).toEqual(['agent-1', 'llm-2', 'chain-1']);
  });

  it('projects selected columns, indexed by span id', async () => {
    const frame = await querySpans(db, sqliteDialect, {
      projectName,
      query: {
        select: {
          input: { key: 'input.value' },
          model: { key: 'llm.model_name' },
          user: { key: "metadata['user.id']" },
          latency: { key: 'latency_ms' },
          trace: { key: 'trace_id' },
        },
        filter: { condition: "span_kind in ['LLM', 'EMBEDDING']" },
      },
    });
    expect(frame.index).toEqual(['context.span_id']);
    expect(frame.columns).toEqual(['input', 'model', 'user', 'latency', 'trace']);
    expect(frame.rows).toEqual([
      {
        'context.span_id': 'llm-3',
        input: `Say "error" in French, it's a test`,
        model: 'gpt-4o-mini',
        user: null,
        latency: 2500,
        trace: 'trace-3',
      },
      {
        'context.span_id': 'embedding-1',
        input: null,
        model: null,
        user: 'u-42',
        latency: 40,
        trace: 'trace-3',
      },
      {
        'context.span_id': 'llm-2',
        input: 'hello',
        model: 'claude-3-5-sonnet',
        user: null,
        latency: 800,
        trace: 'trace-2',
      },
      {
        'context.span_id': 'llm-1',
        input: 'What is the capital of France?',
        model: 'gpt-4o',
        user: null,
        latency: 1500,
        trace: 'trace-1',
      },
    ]);
  });

  it('renames columns and changes the index', async () => {
    const frame = await querySpans(db, sqliteDialect, {
      projectName,
      query: {
        select: { span_id: { key: 'span_id' }, name: { key: 'name' } },
        index: { key: 'trace_id' },
        rename: { name: 'span_name' },
        filter: { condition: "span_kind == 'LLM'" },
      },
    });
    expect(frame.index).toEqual(['context.trace_id']);
    // As in Phoenix, a column named span_id comes back as context.span_id.
    expect(frame.columns).toEqual(['context.span_id', 'span_name']);
    expect(frame.rows[0]).toEqual({
      'context.trace_id': 'trace-3',
      'context.span_id': 'llm-3',
      span_name: 'ChatCompletion',
    });
  });

  it('explodes retrieved documents, one row per document', async () => {
    const flat = await querySpans(db, sqliteDialect, {
      projectName,
      query: { select: { query: { key: 'input.value' } }, explode: { key: 'retrieval.documents' } },
    });
    expect(flat.index).toEqual(['context.span_id', 'document_position']);
    expect(flat.columns).toEqual(['query', 'document.id', 'document.content', 'document.score']);
    expect(flat.rows).toEqual([
      {
        'context.span_id': 'retriever-1',
        document_position: 0,
        query: 'capital of France',
        'document.id': 'doc-1',
        'document.content': 'Paris is the capital of France.',
        'document.score': 0.92,
      },
      {
        'context.span_id': 'retriever-1',
        document_position: 1,
        query: 'capital of France',
        'document.id': 'doc-2',
        'document.content': 'Lyon is a city in France.',
        'document.score': 0.41,
      },
    ]);
    const picked = await querySpans(db, sqliteDialect, {
      projectName,
      query: { explode: { key: 'retrieval.documents', kwargs: { reference: 'document.content' } } },
    });
    expect(picked.columns).toEqual(['reference']);
    expect(picked.rows.map((r) => r['reference'])).toEqual([
      'Paris is the capital of France.',
      'Lyon is a city in France.',
    ]);
  });

  it('explodes and concatenates in one query (an outer join on the span), indexed by the explode key', async () => {
    const frame = await querySpans(db, sqliteDialect, {
      projectName,
      query: {
        explode: {
          key: 'retrieval.documents',
          kwargs: { score: 'document.score' },
          primary_index_key: 'context.trace_id',
        },
        concat: { key: 'tag.tags', separator: ',' },
      },
    });
    expect(frame.index).toEqual(['context.trace_id', 'document_position']);
    expect(frame.columns).toEqual(['score', 'tag.tags']);
    expect(frame.rows).toEqual([
      { 'context.trace_id': 'trace-1', document_position: 0, score: 0.92 },
      { 'context.trace_id': 'trace-1', document_position: 1, score: 0.41 },
      { 'context.trace_id': 'trace-3', document_position: null, 'tag.tags': 'dev' },
      { 'context.trace_id': 'trace-1', document_position: null, 'tag.tags': 'prod,chat' },
    ]);
  });

  it('concatenates a list into one string per span', async () => {
    const frame = await querySpans(db, sqliteDialect, {
      projectName,
      query: {
        concat: { key: 'retrieval.documents', kwargs: { reference: 'document.content' }, separator: ' | ' },
      },
    });
    expect(frame.columns).toEqual(['reference']);
    expect(frame.rows).toEqual([
      {
        'context.span_id': 'retriever-1',
        reference: 'Paris is the capital of France. | Lyon is a city in France.',
      },
    ]);
    const tags = await querySpans(db, sqliteDialect, { projectName, query: { concat: { key: 'tag.tags' } } });
    expect(tags.rows).toEqual([
      { 'context.span_id': 'llm-3', 'tag.tags': 'dev' },
      { 'context.span_id': 'llm-1', 'tag.tags': 'prod\n\nchat' },
    ]);
  });

  it('answers an unknown project with no rows', async () => {
    const frame = await querySpans(db, sqliteDialect, { projectName: 'nope' });
    expect(frame.rows).toEqual([]);
  });

  it('rejects a bad filter with its position, and bad projections', async () => {
    const error = await querySpans(db, sqliteDialect, {
      projectName,
      filterCondition: "span_kind == 'LLM' and",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpanQueryError);
    expect((error as SpanQueryError).queryError).toMatchObject({ position: 19, column: 20 });
    await expect(
      querySpans(db, sqliteDialect, {
        projectName,
        query: { select: { x: { key: "annotations['x'].label" } } },
      }),
    ).rejects.toThrow(/Invalid projection/);
    await expect(querySpans(db, sqliteDialect, { projectName, startTime: 'yesterday' })).rejects.toThrow(
      /Invalid start time 'yesterday'/,
    );
  });
});
