import { BUILTIN_PRICES } from './builtin-prices.js';
import { familyPattern, patternMatches, patternSpecificity } from './model-name-pattern.js';

/** US dollars per token. A detail price is null when those tokens cost the prompt or completion price. */
export interface TokenPrices {
  prompt: number;
  completion: number;
  cacheRead: number | null;
  cacheWrite: number | null;
  reasoning: number | null;
}

/** One row of prices, from the built-in table or a project's own (which take precedence). */
export interface PriceRule {
  /** `builtin:<provider>/<family>` or `project:<row id>`. */
  id: string;
  source: 'project' | 'builtin';
  /** A model-name pattern (model-name-pattern.ts), matched case-insensitively. */
  pattern: string;
  /** Lower-case; null: any provider. */
  provider: string | null;
  prices: TokenPrices;
  /** Later rules of a project win ties (a project's newest price for the same pattern). */
  order: number;
}

const perToken = (perMillion: number) => perMillion / 1e6;

export const BUILTIN_RULES: readonly PriceRule[] = BUILTIN_PRICES.map((p, index) => ({
  id: `builtin:${p.provider}/${p.family}`,
  source: 'builtin',
  pattern: familyPattern(p.family),
  provider: p.provider,
  prices: {
    prompt: perToken(p.prompt),
    completion: perToken(p.completion),
    cacheRead: p.cacheRead === undefined ? null : perToken(p.cacheRead),
    cacheWrite: p.cacheWrite === undefined ? null : perToken(p.cacheWrite),
    reasoning: p.reasoning === undefined ? null : perToken(p.reasoning),
  },
  // Earlier rows of the table win ties.
  order: -index,
}));

/**
 * The order in which rules are tried for a span; the first that matches gives its prices. Project
 * rules come before built-in ones. Within each, a rule for the span's own provider is preferred
 * (provider is a preference, not a filter: Azure's gpt-4o still finds OpenAI's price), then the
 * most specific pattern, then the newest project rule (or the earliest row of the table).
 * `ruleFor` and the SQL compiler (cost-sql.ts) both walk these passes, so they cannot disagree.
 */
export interface RulePass {
  /** In this pass a rule applies only when the span's provider is the rule's. */
  sameProvider: boolean;
  rules: readonly PriceRule[];
}

export function rulePasses(projectRules: readonly PriceRule[], builtin = BUILTIN_RULES): RulePass[] {
  const passes: RulePass[] = [];
  for (const tier of [projectRules, builtin]) {
    const ranked = [...tier].sort(
      (a, b) => patternSpecificity(b.pattern) - patternSpecificity(a.pattern) || b.order - a.order,
    );
    const withProvider = ranked.filter((r) => r.provider !== null);
    if (withProvider.length > 0) passes.push({ sameProvider: true, rules: withProvider });
    if (ranked.length > 0) passes.push({ sameProvider: false, rules: ranked });
  }
  return passes;
}

/** The rule whose prices a span with this model name and provider pays; undefined: none (no cost). */
export function ruleFor(
  passes: readonly RulePass[],
  modelName: string | null | undefined,
  provider: string | null | undefined,
): PriceRule | undefined {
  const name = modelName?.trim();
  if (!name) return undefined;
  const spanProvider = provider?.trim().toLowerCase() || null;
  for (const pass of passes) {
    if (pass.sameProvider && spanProvider === null) continue;
    for (const rule of pass.rules) {
      if (pass.sameProvider && rule.provider !== spanProvider) continue;
      if (patternMatches(rule.pattern, name)) return rule;
    }
  }
  return undefined;
}
