import { rulePasses } from '../../cost/price-rules.js';
import { type RecostOutcome, type RecostRow, recostRows } from '../../cost/recost.js';
import { type ModelPriceRecord, toPriceRule } from '../../store/repositories/model-prices.js';
import type { SqliteConnection } from '../../store/sqlite/open.js';

/**
 * Re-costing on the SQLite writer thread (cost/recoster.ts drives it): one batch prices the next
 * spans (by row id) of the first queued project again with its prices in force, and moves the
 * queue's cursor on, or takes the project off the queue at its last span. Runs inside the caller's
 * transaction. CROSS JOIN keeps the spans' row id order outermost (SQLite's planner would
 * otherwise go through the project's traces and sort all of its spans for each batch).
 */
export class SqliteRecost {
  private readonly stmt;

  constructor(db: SqliteConnection) {
    this.stmt = {
      enqueue: db.prepare<[number]>(
        `INSERT INTO cost_recost_queue (project_id, after_span_id) SELECT id, 0 FROM projects WHERE id = ?
         ON CONFLICT (project_id) DO UPDATE SET after_span_id = 0`,
      ),
      next: db.prepare<[], { project_id: number; after_span_id: number }>(
        'SELECT project_id, after_span_id FROM cost_recost_queue ORDER BY project_id LIMIT 1',
      ),
      rules: db.prepare<[number], ModelPriceRecord>('SELECT * FROM model_prices WHERE project_id = ?'),
      spans: db.prepare<[number, number, number], RecostRow>(
        `SELECT s.id, json_extract(s.attributes, '$.llm.model_name') AS model_name,
                json_extract(s.attributes, '$.llm.provider') AS provider,
                json_extract(s.attributes, '$.llm.token_count') AS token_count
         FROM spans s CROSS JOIN traces t
         WHERE t.id = s.trace_rowid AND t.project_id = ? AND s.id > ? ORDER BY s.id LIMIT ?`,
      ),
      setCost: db.prepare<[number | null, number | null, number | null, number]>(
        'UPDATE spans SET cost_prompt = ?, cost_completion = ?, cost_total = ? WHERE id = ?',
      ),
      advance: db.prepare<[number, number]>(
        'UPDATE cost_recost_queue SET after_span_id = ? WHERE project_id = ?',
      ),
      done: db.prepare<[number]>('DELETE FROM cost_recost_queue WHERE project_id = ?'),
    };
  }

  /** The project's spans are to be priced again (a price of it changed). */
  enqueue(projectId: number): void {
    this.stmt.enqueue.run(projectId);
  }

  batch(limit: number): RecostOutcome {
    const next = this.stmt.next.get();
    if (!next) return { projectId: null, spans: 0, more: false };
    const passes = rulePasses(this.stmt.rules.all(next.project_id).map(toPriceRule));
    const rows = this.stmt.spans.all(next.project_id, next.after_span_id, limit);
    const { ids, costs } = recostRows(passes, rows);
    for (const [i, id] of ids.entries()) this.stmt.setCost.run(...costs[i]!, id);
    if (rows.length < limit) this.stmt.done.run(next.project_id);
    else this.stmt.advance.run(Number(rows.at(-1)!.id), next.project_id);
    return { projectId: next.project_id, spans: rows.length, more: true };
  }
}
