/**
 * Numbers in a filter: a number too large for a double is the checker's positioned 422 (never a
 * 500), and every number reaches the database as a bound parameter, never as SQL text.
 */
import { parseFilter } from '@fawkes/query';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { api, sendSpans } from '../../test-support/rest-client.js';
import { compileSpanFilter } from './compile-filter.js';
import { queryDialect } from './index.js';

const HUGE = `1${'0'.repeat(400)}`;

describeEachDialect('number literals in filters', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
    await sendSpans(t.server.url, conversationTurn({ tokens: [12, 30] }));
  });
  afterAll(() => t.close());

  it.each([
    ['latency_ms > 1e400', 13],
    ['latency_ms > -1e400', 14],
    [`latency_ms > ${HUGE}`, 13],
    [`latency_ms > -${HUGE}`, 14],
    ['cumulative_token_count.total in (1, 1e400)', 36],
  ])('%s → 422 at the number, on every route that takes a filter', async (filter, position) => {
    const q = encodeURIComponent(filter);
    const answers = await Promise.all([
      api(t.server.url).get(`/v1/projects/default/spans?filter=${q}`),
      api(t.server.url).get(`/v1/ui/projects/default/spans?filter=${q}`),
      api(t.server.url).post('/v1/spans', { queries: [{ filter: { condition: filter } }] }),
    ]);
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(422);
      expect(answer.text).toMatch(/too large/);
      // The REST routes answer FastAPI's detail (0-based position), the UI's its message (1-based column).
      expect(answer.text).toMatch(new RegExp(`"position":${position}\\b|at column ${position + 1}\\b`));
    }
  });

  it('binds every number as a parameter, and the filter still selects what it should', async () => {
    const filter =
      "latency_ms >= -12345.5 and cumulative_token_count.prompt in (12, 98765) and attributes['llm']['token_count']['total'] == 42 and start_time > '2001-02-03T04:05:06'";
    const where = compileSpanFilter(parseFilter(filter).condition, queryDialect(dialect));
    const query = sql<{
      name: string;
    }>`select spans.name from spans join traces on traces.id = spans.trace_rowid where ${where}`;
    const compiled = query.compile(t.store.db);
    for (const text of ['12345', '98765', '42', '981173106']) expect(compiled.sql).not.toContain(text);
    expect(compiled.parameters.map(Number)).toEqual(
      expect.arrayContaining([-12345.5, 12, 98765, 42, Date.UTC(2001, 1, 3, 4, 5, 6) * 1000]),
    );
    expect((await query.execute(t.store.db)).rows.map((r) => r.name)).toEqual(['llm']);
  });
});
