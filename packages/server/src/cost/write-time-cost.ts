import { type PriceRule, type RulePass, ruleFor, rulePasses } from './price-rules.js';
import { costOf, modelOf, type SpanCost, type TokenCounts, tokenCountsOf } from './span-cost.js';

/**
 * What pricing a span needs, taken from its attributes by the decoding thread (ingest/normalize.ts)
 * so that the writer thread prices it without parsing JSON: null for a span without a model name.
 */
export interface LlmCostInputs {
  modelName: string;
  provider: string | null;
  tokens: TokenCounts;
}

/** The cost inputs of a span's nested attributes; null without a model name. */
export function llmCostInputsOf(attributes: Record<string, unknown>): LlmCostInputs | null {
  const { modelName, provider } = modelOf(attributes);
  if (modelName === null || modelName.trim() === '') return null;
  return { modelName, provider, tokens: tokenCountsOf(attributes) };
}

/** The span's own inputs, else those of its attributes when it carries them as an object. */
export function llmCostInputsOfSpan(span: {
  llmCost?: LlmCostInputs | null;
  attributes?: unknown;
}): LlmCostInputs | null {
  if (span.llmCost !== undefined) return span.llmCost;
  const { attributes } = span;
  return typeof attributes === 'object' && attributes !== null
    ? llmCostInputsOf(attributes as Record<string, unknown>)
    : null;
}

/** A span's three cost columns (US dollars); all null when no price matches. */
export type CostColumns = readonly [prompt: number | null, completion: number | null, total: number | null];

export const NO_COST_COLUMNS: CostColumns = [null, null, null];

export function costColumns(cost: SpanCost | null): CostColumns {
  return cost ? [cost.prompt, cost.completion, cost.total] : NO_COST_COLUMNS;
}

/**
 * The prices in force, as the writer threads keep them: each project's own rules then the built-in
 * table, cached per project and per (model, provider). `refresh(version)` is called once per
 * transaction with a cheap fingerprint of the model_prices table (count and largest id: a price
 * is only ever added or deleted); when it changed, every cache is dropped. A price change made
 * elsewhere (the API, another server) therefore reaches the next batch, and the spans already
 * stored are re-costed by the re-coster (cost/recost.ts).
 */
export class IngestPricer {
  private version: string | null = null;
  private readonly passes = new Map<number, RulePass[]>();
  private readonly rules = new Map<string, PriceRule | null>();

  constructor(private readonly loadProjectRules: (projectId: number) => PriceRule[]) {}

  refresh(version: string): void {
    if (version === this.version) return;
    this.version = version;
    this.passes.clear();
    this.rules.clear();
  }

  /** Passes given from outside (PostgreSQL loads its rules asynchronously before the batch). */
  setProjectRules(projectId: number, rules: PriceRule[]): void {
    this.passes.set(projectId, rulePasses(rules));
  }

  hasProject(projectId: number): boolean {
    return this.passes.has(projectId);
  }

  costOf(projectId: number, inputs: LlmCostInputs | null | undefined): CostColumns {
    if (!inputs) return NO_COST_COLUMNS;
    const key = `${projectId}\u0000${inputs.provider ?? ''}\u0000${inputs.modelName}`;
    let rule = this.rules.get(key);
    if (rule === undefined) {
      let passes = this.passes.get(projectId);
      if (!passes) {
        passes = rulePasses(this.loadProjectRules(projectId));
        this.passes.set(projectId, passes);
      }
      rule = ruleFor(passes, inputs.modelName, inputs.provider) ?? null;
      if (this.rules.size > 50_000) this.rules.clear();
      this.rules.set(key, rule);
    }
    return rule ? costColumns(costOf(rule.prices, inputs.tokens)) : NO_COST_COLUMNS;
  }
}
