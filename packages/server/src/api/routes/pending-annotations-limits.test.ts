/**
 * Annotations sent without `sync` for targets still to come wait in pending_annotations, bounded:
 * at most PENDING_LIMIT wait (past it the request is a 503 and writes nothing), and one waiting
 * longer than PENDING_TTL_MICROS is dropped.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../../test-support/dialects.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { api, otelId, sendSpans } from '../../../test-support/rest-client.js';
import { PENDING_LIMIT, PENDING_TTL_MICROS } from '../../writer/annotation-rows.js';

const annotation = (spanId: string, name = 'early') => ({
  span_id: spanId,
  name,
  annotator_kind: 'CODE',
  result: { label: 'yes' },
});

describeEachDialect('pending annotations are bounded', (dialect) => {
  let t: DialectTestServer;
  let knownSpan: string;
  const count = async (table: string, where = sql`1 = 1`) =>
    Number(
      (
        await sql<{
          n: string | number;
        }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${where}`.execute(t.store.db)
      ).rows[0]!.n,
    );
  const post = (data: unknown[]) => api(t.server.url).post('/v1/span_annotations', { data });

  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
    await sendSpans(t.server.url, conversationTurn({ projectName: 'bounded' }));
    const spans = (await api(t.server.url).get('/v1/projects/bounded/spans')).json as {
      data: { context: { span_id: string } }[];
    };
    knownSpan = spans.data[0]!.context.span_id;
  });
  afterAll(() => t.close());

  it('keeps up to the limit, then answers 503 and writes nothing of the request', async () => {
    const first = await post(Array.from({ length: PENDING_LIMIT }, () => annotation(otelId(8))));
    expect(first.status).toBe(200);
    expect(await count('pending_annotations')).toBe(PENDING_LIMIT);

    const over = await post([annotation(knownSpan, 'with-the-overflow'), annotation(otelId(8))]);
    expect(over.status).toBe(503);
    expect(over.text).toContain(`${PENDING_LIMIT} annotations already wait`);
    expect(await count('pending_annotations')).toBe(PENDING_LIMIT);
    expect(await count('span_annotations', sql`name = 'with-the-overflow'`)).toBe(0);
    // Annotations of stored spans are still taken.
    expect((await post([annotation(knownSpan, 'known')])).status).toBe(200);
  });

  it('drops those that waited past their time, which frees room', async () => {
    const oldest = Number(
      (await sql<{ id: number }>`SELECT min(id) AS id FROM pending_annotations`.execute(t.store.db)).rows[0]!
        .id,
    );
    await sql`UPDATE pending_annotations SET created_at = created_at - ${PENDING_TTL_MICROS + 1_000_000}
              WHERE id < ${oldest + PENDING_LIMIT / 2}`.execute(t.store.db);
    // The next annotation request sweeps the expired ones first.
    expect((await post([annotation(otelId(8), 'later')])).status).toBe(200);
    expect(await count('pending_annotations')).toBe(PENDING_LIMIT / 2 + 1);
  });
});
