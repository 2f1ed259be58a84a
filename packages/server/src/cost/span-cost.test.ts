import { describe, expect, it } from 'vitest';
import type { TokenPrices } from './price-rules.js';
import { costOf, modelOf, tokenCountsOf } from './span-cost.js';

const plain: TokenPrices = { prompt: 2, completion: 10, cacheRead: null, cacheWrite: null, reasoning: null };
const detailed: TokenPrices = { prompt: 2, completion: 10, cacheRead: 1, cacheWrite: 3, reasoning: 20 };
const tokens = { prompt: 100, completion: 50, cacheRead: 40, cacheWrite: 10, reasoning: 30 };

describe('costOf', () => {
  it('charges details at the plain price when they are not priced apart', () => {
    expect(costOf(plain, tokens)).toEqual({ prompt: 200, completion: 500, total: 700 });
  });

  it('charges details priced apart at their own price, out of the plain counts', () => {
    // prompt: 50 plain × 2 + 40 cached × 1 + 10 written × 3; completion: 20 × 10 + 30 × 20
    expect(costOf(detailed, tokens)).toEqual({ prompt: 170, completion: 800, total: 970 });
  });

  it('never charges a negative plain count when details exceed the total', () => {
    expect(costOf(detailed, { ...tokens, prompt: 10, completion: 0 })).toEqual({
      prompt: 70,
      completion: 600,
      total: 670,
    });
  });
});

describe('reading attributes', () => {
  it('reads OpenInference token counts and model, missing counts as 0', () => {
    const attributes = {
      llm: {
        model_name: 'gpt-4o',
        provider: 'openai',
        token_count: {
          prompt: 12,
          completion: 3,
          prompt_details: { cache_read: 4 },
          completion_details: { reasoning: 'x' },
        },
      },
    };
    expect(tokenCountsOf(attributes)).toEqual({
      prompt: 12,
      completion: 3,
      cacheRead: 4,
      cacheWrite: 0,
      reasoning: 0,
    });
    expect(modelOf(attributes)).toEqual({ modelName: 'gpt-4o', provider: 'openai' });
    expect(modelOf({ llm: { model_name: 5 } })).toEqual({ modelName: null, provider: null });
  });
});
