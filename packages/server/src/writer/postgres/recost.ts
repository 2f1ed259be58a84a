import type pg from 'pg';
import { rulePasses } from '../../cost/price-rules.js';
import { type RecostOutcome, type RecostRow, recostRows } from '../../cost/recost.js';
import {
  type ModelPriceRecord,
  toModelPriceRecord,
  toPriceRule,
} from '../../store/repositories/model-prices.js';

/** The project's spans are to be priced again (a price of it changed); in the caller's transaction. */
export async function enqueueRecost(client: pg.PoolClient, projectId: number): Promise<void> {
  await client.query(
    `INSERT INTO cost_recost_queue (project_id, after_span_id) SELECT id, 0 FROM projects WHERE id = $1
     ON CONFLICT (project_id) DO UPDATE SET after_span_id = 0`,
    [projectId],
  );
}

/**
 * One re-cost batch on PostgreSQL (cost/recoster.ts drives it), in the caller's transaction: the
 * first queued project that no other server is working on (SKIP LOCKED), its next spans by row id
 * priced again with its prices in force, the cursor moved on or the project taken off the queue.
 */
export async function recostBatch(client: pg.PoolClient, limit: number): Promise<RecostOutcome> {
  const next = await client.query<{ project_id: string; after_span_id: string }>(
    `SELECT project_id, after_span_id FROM cost_recost_queue ORDER BY project_id LIMIT 1
     FOR UPDATE SKIP LOCKED`,
  );
  const queued = next.rows[0];
  if (!queued) return { projectId: null, spans: 0, more: false };
  const projectId = Number(queued.project_id);
  const prices = await client.query<ModelPriceRecord>('SELECT * FROM model_prices WHERE project_id = $1', [
    projectId,
  ]);
  const passes = rulePasses(prices.rows.map(toModelPriceRecord).map(toPriceRule));
  const { rows } = await client.query<RecostRow>(
    `SELECT s.id, s.attributes #>> '{llm,model_name}' AS model_name, s.attributes #>> '{llm,provider}' AS provider,
            s.attributes #>> '{llm,token_count}' AS token_count
     FROM spans s JOIN traces t ON t.id = s.trace_rowid
     WHERE t.project_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3`,
    [projectId, queued.after_span_id, limit],
  );
  const { ids, costs } = recostRows(passes, rows);
  if (ids.length > 0) {
    await client.query(
      `UPDATE spans SET cost_prompt = v.p, cost_completion = v.c, cost_total = v.t
       FROM unnest($1::bigint[], $2::float8[], $3::float8[], $4::float8[]) AS v(id, p, c, t)
       WHERE spans.id = v.id`,
      [ids, costs.map((c) => c[0]), costs.map((c) => c[1]), costs.map((c) => c[2])],
    );
  }
  if (rows.length < limit)
    await client.query('DELETE FROM cost_recost_queue WHERE project_id = $1', [projectId]);
  else
    await client.query('UPDATE cost_recost_queue SET after_span_id = $1 WHERE project_id = $2', [
      rows.at(-1)!.id,
      projectId,
    ]);
  return { projectId, spans: rows.length, more: true };
}
