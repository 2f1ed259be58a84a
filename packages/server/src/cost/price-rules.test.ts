import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES, BUILTIN_PRICES_DATE } from './builtin-prices.js';
import { familyPattern, patternMatches, patternProblem, patternSpecificity } from './model-name-pattern.js';
import { BUILTIN_RULES, type PriceRule, ruleFor, rulePasses } from './price-rules.js';

const builtin = rulePasses([]);
const match = (model: string | null, provider: string | null = null) => ruleFor(builtin, model, provider)?.id;

function projectRule(id: number, pattern: string, provider: string | null, prompt = 1): PriceRule {
  return {
    id: `project:${id}`,
    source: 'project',
    pattern,
    provider,
    prices: { prompt, completion: 2, cacheRead: null, cacheWrite: null, reasoning: null },
    order: id,
  };
}

describe('the built-in price table', () => {
  it('says when it was compiled and prices every model per token', () => {
    expect(BUILTIN_PRICES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const gpt4o = BUILTIN_RULES.find((r) => r.id === 'builtin:openai/gpt-4o')!;
    expect(gpt4o.prices).toEqual({
      prompt: 2.5e-6,
      completion: 1e-5,
      cacheRead: 1.25e-6,
      cacheWrite: null,
      reasoning: null,
    });
    for (const provider of ['openai', 'anthropic', 'google', 'mistralai']) {
      expect(BUILTIN_PRICES.some((p) => p.provider === provider)).toBe(true);
    }
  });

  it('has one row per family, and every family matches its own name', () => {
    const families = BUILTIN_PRICES.map((p) => p.family);
    expect(new Set(families).size).toBe(families.length);
    for (const { family, provider } of BUILTIN_PRICES) {
      expect(match(family), family).toBe(`builtin:${provider}/${family}`);
    }
  });

  it('patterns are portable and compile', () => {
    for (const rule of BUILTIN_RULES) expect(patternProblem(rule.pattern), rule.pattern).toBeNull();
  });
});

describe('matching a model name', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'builtin:openai/gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'builtin:openai/gpt-4o-mini'],
    ['GPT-4o', 'builtin:openai/gpt-4o'],
    ['openai/gpt-4o', 'builtin:openai/gpt-4o'],
    ['gpt-4-0613', 'builtin:openai/gpt-4'],
    ['gpt-4-turbo-2024-04-09', 'builtin:openai/gpt-4-turbo'],
    ['gpt-3.5-turbo-0125', 'builtin:openai/gpt-3.5-turbo'],
    ['gpt-4.1-mini-2025-04-14', 'builtin:openai/gpt-4.1-mini'],
    ['o3-mini-2025-01-31', 'builtin:openai/o3-mini'],
    ['claude-3-5-sonnet-20241022', 'builtin:anthropic/claude-3-5-sonnet'],
    ['claude-3-5-sonnet-latest', 'builtin:anthropic/claude-3-5-sonnet'],
    ['claude-sonnet-4-5-20250929', 'builtin:anthropic/claude-sonnet-4-5'],
    ['claude-sonnet-4-20250514', 'builtin:anthropic/claude-sonnet-4'],
    ['claude-opus-4-1-20250805', 'builtin:anthropic/claude-opus-4-1'],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'builtin:anthropic/claude-3-5-sonnet'],
    ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'builtin:anthropic/claude-3-7-sonnet'],
    ['claude-3-5-sonnet-v2@20241022', 'builtin:anthropic/claude-3-5-sonnet'],
    ['gemini-1.5-pro-002', 'builtin:google/gemini-1.5-pro'],
    ['models/gemini-2.0-flash', 'builtin:google/gemini-2.0-flash'],
    ['gemini-2.0-flash-lite-001', 'builtin:google/gemini-2.0-flash-lite'],
    // the most specific rule wins: the preview is its own row, not gemini-2.5-flash with suffixes
    ['gemini-2.5-flash-preview-04-17', 'builtin:google/gemini-2.5-flash-preview-04-17'],
    ['gemini-2.5-flash-preview-05-20', 'builtin:google/gemini-2.5-flash'],
    ['mistral-large-latest', 'builtin:mistralai/mistral-large'],
    ['mistral-small-2503', 'builtin:mistralai/mistral-small'],
    ['codestral-2501', 'builtin:mistralai/codestral'],
  ])('%s → %s', (model, expected) => {
    expect(match(model)).toBe(expected);
  });

  it.each([
    ['gpt-4o-realtime', 'a member of no family'],
    ['gpt-4-32k', 'not a release suffix'],
    ['my-gpt-4o', 'a different name that contains a family'],
    ['', 'empty'],
    ['   ', 'blank'],
  ])('%s matches nothing (%s)', (model) => {
    expect(match(model)).toBeUndefined();
  });

  it('is undefined without a model name', () => {
    expect(match(null, 'openai')).toBeUndefined();
  });
});

describe('project prices and providers', () => {
  it('a project rule beats the built-in table, even when less specific', () => {
    const passes = rulePasses([projectRule(1, 'gpt', null)]);
    expect(ruleFor(passes, 'gpt-4o-2024-08-06', 'openai')?.id).toBe('project:1');
    expect(ruleFor(passes, 'claude-3-haiku', 'anthropic')?.id).toBe('builtin:anthropic/claude-3-haiku');
  });

  it('among project rules, the most specific wins, then the newest', () => {
    const passes = rulePasses([
      projectRule(1, '^gpt-4o-mini$', null),
      projectRule(2, '^gpt-4o', null),
      projectRule(3, '^gpt-4o', null),
    ]);
    expect(ruleFor(passes, 'gpt-4o-mini', null)?.id).toBe('project:1');
    expect(ruleFor(passes, 'gpt-4o-2024-08-06', null)?.id).toBe('project:3');
  });

  it("prefers a rule for the span's provider, and falls back to the others", () => {
    const passes = rulePasses([projectRule(1, '^my-model$', 'azure'), projectRule(2, '^my-model$', null)]);
    expect(ruleFor(passes, 'my-model', 'Azure')?.id).toBe('project:1');
    // no provider given, or another one: the provider-agnostic rule is more fitting than azure's
    expect(ruleFor(passes, 'my-model', null)?.id).toBe('project:2');
    expect(ruleFor(passes, 'my-model', 'openai')?.id).toBe('project:2');
    // only azure's rule: used for any provider (a preference, not a filter)
    const only = rulePasses([projectRule(1, '^my-model$', 'azure')]);
    expect(ruleFor(only, 'my-model', 'openai')?.id).toBe('project:1');
  });

  it('a provider-specific rule beats a more specific rule of another provider', () => {
    const passes = rulePasses([projectRule(1, '^m', 'acme'), projectRule(2, '^model-x$', 'other')]);
    expect(ruleFor(passes, 'model-x', 'acme')?.id).toBe('project:1');
    expect(ruleFor(passes, 'model-x', null)?.id).toBe('project:2');
  });

  it("the built-in table prefers the provider's row: Azure's gpt-4o pays OpenAI's price", () => {
    expect(match('gpt-4o', 'azure')).toBe('builtin:openai/gpt-4o');
  });
});

describe('patterns', () => {
  it('specificity counts required literal characters and anchors', () => {
    expect(patternSpecificity('gpt')).toBe(3);
    expect(patternSpecificity('^gpt$')).toBe(5);
    expect(patternSpecificity('^gpt-4o(-\\d{4})?$')).toBe(8);
    expect(patternSpecificity('gpt\\.4')).toBe(5);
    expect(patternSpecificity('[abc]x')).toBe(1);
    expect(patternSpecificity(familyPattern('gpt-4o-mini'))).toBeGreaterThan(
      patternSpecificity(familyPattern('gpt-4o')),
    );
  });

  it('match case-insensitively anywhere unless anchored', () => {
    expect(patternMatches('gpt', 'my-GPT-model')).toBe(true);
    expect(patternMatches('^gpt', 'my-gpt')).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['(', 'not a valid regular expression'],
    ['(?=gpt)', 'lookahead'],
    ['(?i)gpt', 'inline flags'],
    ['(a)\\1', 'backreferences'],
  ])('%j is refused (%s)', (pattern, reason) => {
    expect(patternProblem(pattern)).toContain(reason);
  });
});
