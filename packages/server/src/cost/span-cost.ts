import type { TokenPrices } from './price-rules.js';

/** A span's token counts (OpenInference `llm.token_count.*`); a missing count is 0. */
export interface TokenCounts {
  prompt: number;
  completion: number;
  /** `prompt_details.cache_read`: part of `prompt`. */
  cacheRead: number;
  /** `prompt_details.cache_write`: part of `prompt`. */
  cacheWrite: number;
  /** `completion_details.reasoning`: part of `completion`. */
  reasoning: number;
}

/** US dollars. */
export interface SpanCost {
  prompt: number;
  completion: number;
  total: number;
}

/**
 * What a span's tokens cost. Detail counts are parts of the prompt and completion counts (as
 * OpenInference records them): tokens priced apart leave the plain count (never below zero) and pay
 * their own price; tokens not priced apart pay the plain price. cost-sql.ts computes the same.
 */
export function costOf(prices: TokenPrices, tokens: TokenCounts): SpanCost {
  let plainPrompt = tokens.prompt;
  let prompt = 0;
  if (prices.cacheRead !== null) {
    plainPrompt -= tokens.cacheRead;
    prompt += tokens.cacheRead * prices.cacheRead;
  }
  if (prices.cacheWrite !== null) {
    plainPrompt -= tokens.cacheWrite;
    prompt += tokens.cacheWrite * prices.cacheWrite;
  }
  prompt += Math.max(plainPrompt, 0) * prices.prompt;
  let plainCompletion = tokens.completion;
  let completion = 0;
  if (prices.reasoning !== null) {
    plainCompletion -= tokens.reasoning;
    completion += tokens.reasoning * prices.reasoning;
  }
  completion += Math.max(plainCompletion, 0) * prices.completion;
  return { prompt, completion, total: prompt + completion };
}

/** The token counts in a span's nested attributes (`{ llm: { token_count: { prompt: 10 } } }`). */
export function tokenCountsOf(attributes: Record<string, unknown>): TokenCounts {
  const llm = record(attributes.llm);
  const counts = record(llm?.token_count);
  const promptDetails = record(counts?.prompt_details);
  const completionDetails = record(counts?.completion_details);
  return {
    prompt: count(counts?.prompt),
    completion: count(counts?.completion),
    cacheRead: count(promptDetails?.cache_read),
    cacheWrite: count(promptDetails?.cache_write),
    reasoning: count(completionDetails?.reasoning),
  };
}

/** `llm.model_name` and `llm.provider` of a span's nested attributes, when strings. */
export function modelOf(attributes: Record<string, unknown>): {
  modelName: string | null;
  provider: string | null;
} {
  const llm = record(attributes.llm);
  const modelName = llm?.model_name;
  const provider = llm?.provider;
  return {
    modelName: typeof modelName === 'string' ? modelName : null,
    provider: typeof provider === 'string' ? provider : null,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
