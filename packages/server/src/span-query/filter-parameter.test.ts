import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../test-support/fixture-store.js';
import { installErrorHandling } from '../api/errors.js';
import type { Database } from '../store/schema.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openMigratedSqlite } from '../store/sqlite/migrate-sqlite.js';
import { FilterParameterError, spanFilterParameter } from './filter-parameter.js';

let dir: string;
let db: Kysely<Database>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fawkes-filter-parameter-'));
  const path = join(dir, 'spans.db');
  db = sqliteKysely(await openMigratedSqlite(path));
  await loadFixture({ dialect: 'sqlite', path }, db);
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('spanFilterParameter', () => {
  it('is the WHERE condition of a span list, or nothing for an absent or blank filter', async () => {
    const store = { db, dialect: 'sqlite' } as const;
    const where = (await spanFilterParameter("span_kind == 'LLM' and latency_ms > 1000", store))!;
    const rows = await db
      .selectFrom('spans')
      .innerJoin('traces', 'traces.id', 'spans.trace_rowid')
      .select('spans.span_id')
      .where(where)
      .orderBy('spans.id', 'desc')
      .execute();
    expect(rows.map((r) => r.span_id)).toEqual(['llm-3', 'llm-1']);
    expect(await spanFilterParameter(undefined, store)).toBeUndefined();
    expect(await spanFilterParameter('  ', store)).toBeUndefined();
  });

  it("throws FastAPI's 422 detail with the position, which the REST error handler answers as JSON", async () => {
    const app = Fastify();
    installErrorHandling(app);
    app.get('/spans', async (request) => {
      await spanFilterParameter((request.query as { filter?: string }).filter, { db, dialect: 'sqlite' });
      return { data: [] };
    });
    const response = await app.inject({ url: `/spans?filter=${encodeURIComponent("name == 'a' &&")}` });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      detail: [
        {
          loc: ['query', 'filter'],
          msg: "Invalid filter: '&&' is not an operator at column 13. Use 'and'",
          type: 'value_error',
          input: "name == 'a' &&",
          ctx: expect.objectContaining({ position: 12, line: 1, column: 13, length: 2 }),
        },
      ],
    });
    await expect(spanFilterParameter('spam_kind', { db, dialect: 'postgresql' })).rejects.toThrow(
      FilterParameterError,
    );
    await app.close();
  });
});
