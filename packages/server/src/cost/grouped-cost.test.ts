import { describe, expect, it } from 'vitest';
import { priceGroup, type TokenSumsRow } from './grouped-cost.js';
import { type PriceRule, rulePasses, type TokenPrices } from './price-rules.js';
import { costOf, type TokenCounts } from './span-cost.js';

/** What tokenSumsSql adds up, computed the same way here. */
function sums(model: string, spans: TokenCounts[]): TokenSumsRow {
  const total = (f: (t: TokenCounts) => number) => spans.reduce((acc, t) => acc + f(t), 0);
  const clamped = (f: (t: TokenCounts) => number) => total((t) => Math.max(f(t), 0));
  return {
    model,
    provider: null,
    p: clamped((t) => t.prompt),
    p_r: clamped((t) => t.prompt - t.cacheRead),
    p_w: clamped((t) => t.prompt - t.cacheWrite),
    p_rw: clamped((t) => t.prompt - t.cacheRead - t.cacheWrite),
    cr: total((t) => t.cacheRead),
    cw: total((t) => t.cacheWrite),
    c: clamped((t) => t.completion),
    c_r: clamped((t) => t.completion - t.reasoning),
    r: total((t) => t.reasoning),
    n: spans.length,
  };
}

function seeded(seed: number) {
  let state = seed;
  return (max: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % max;
  };
}

describe('priceGroup', () => {
  it('equals the sum of every span’s costOf, for each way of pricing details apart', () => {
    const random = seeded(7);
    const variants: Partial<TokenPrices>[] = [
      {},
      { cacheRead: 0.5 },
      { cacheWrite: 4 },
      { cacheRead: 0.5, cacheWrite: 4 },
      { reasoning: 30 },
      { cacheRead: 0.5, cacheWrite: 4, reasoning: 30 },
    ];
    for (const [i, variant] of variants.entries()) {
      const prices: TokenPrices = {
        prompt: 2,
        completion: 10,
        cacheRead: null,
        cacheWrite: null,
        reasoning: null,
        ...variant,
      };
      const rule: PriceRule = {
        id: `project:${i}`,
        source: 'project',
        pattern: `^model-${i}$`,
        provider: null,
        prices,
        order: 0,
      };
      // Details sometimes larger than their totals (malformed spans): the clamped sums keep it exact.
      const spans = Array.from({ length: 200 }, () => ({
        prompt: random(1000),
        completion: random(500),
        cacheRead: random(600),
        cacheWrite: random(300),
        reasoning: random(400),
      }));
      const expected = spans.reduce((acc, t) => acc + costOf(prices, t).total, 0);
      const priced = priceGroup(rulePasses([rule], []), sums(`model-${i}`, spans));
      expect(priced?.total).toBeCloseTo(expected, 9);
      expect(priced?.spans).toBe(200);
    }
  });

  it('is null for a model no rule prices', () => {
    const rule: PriceRule = {
      id: 'project:1',
      source: 'project',
      pattern: '^gpt-4o$',
      provider: null,
      prices: { prompt: 1, completion: 1, cacheRead: null, cacheWrite: null, reasoning: null },
      order: 0,
    };
    expect(priceGroup(rulePasses([rule], []), sums('claude', []))).toBeNull();
  });
});
