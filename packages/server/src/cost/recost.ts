import { type RulePass, ruleFor } from './price-rules.js';
import { costOf, tokenCountsOf } from './span-cost.js';
import { type CostColumns, costColumns, NO_COST_COLUMNS } from './write-time-cost.js';

/** Spans priced again per batch (one short transaction each, between ingest batches). */
export const RECOST_BATCH_SPANS = 1000;

/** What a re-cost batch reads of a span: its model, provider and `llm.token_count` object. */
export interface RecostRow {
  id: number | string;
  model_name: unknown;
  provider: unknown;
  /** The `llm.token_count` object as JSON text (parsed here), or already parsed. */
  token_count: unknown;
}

/** The new cost columns of the rows that have a model name (the others keep NULL). */
export function recostRows(
  passes: readonly RulePass[],
  rows: readonly RecostRow[],
): { ids: number[]; costs: CostColumns[] } {
  const ids: number[] = [];
  const costs: CostColumns[] = [];
  for (const row of rows) {
    if (typeof row.model_name !== 'string' || row.model_name.trim() === '') continue;
    const rule = ruleFor(passes, row.model_name, typeof row.provider === 'string' ? row.provider : null);
    ids.push(Number(row.id));
    if (!rule) {
      costs.push(NO_COST_COLUMNS);
      continue;
    }
    let counts = row.token_count;
    if (typeof counts === 'string') {
      try {
        counts = JSON.parse(counts);
      } catch {
        counts = null;
      }
    }
    costs.push(costColumns(costOf(rule.prices, tokenCountsOf({ llm: { token_count: counts } }))));
  }
  return { ids, costs };
}

/** What one re-cost batch did: the project it worked on (null: nothing queued) and whether more is left. */
export interface RecostOutcome {
  projectId: number | null;
  spans: number;
  more: boolean;
}
