/**
 * The built-in price table: US dollars per token for common models, by provider.
 *
 * Date: 2026-12-07. Source: the providers' public price pages (https://openai.com/api/pricing,
 * https://www.anthropic.com/pricing#api, https://ai.google.dev/gemini-api/docs/pricing,
 * https://mistral.ai/pricing#api-pricing), standard (not batch) tier, shortest-context tier where
 * a price depends on the prompt's length. Compiled without access to those pages from the build
 * machine: check a figure there before relying on it, and override it per project
 * (`POST /v1/projects/{p}/model_prices`) when it differs.
 *
 * Prices are written per million tokens (as the pages do) and divided by 1e6 when read. `family` is
 * a model name as the provider spells it; a dated or versioned name of the family
 * (`gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`, `gemini-1.5-pro-002`,
 * `anthropic.claude-3-5-sonnet-20241022-v2:0`) matches it (see model-name-pattern.ts). Detail
 * prices are given only where the provider prices those tokens apart: `cacheRead` (cached input),
 * `cacheWrite` (Anthropic's prompt-cache writes), `reasoning` (thinking tokens priced apart from
 * other output); otherwise those tokens cost what the prompt or completion tokens cost.
 */
export interface BuiltinPrice {
  provider: 'openai' | 'anthropic' | 'google' | 'mistralai';
  family: string;
  /** Per million tokens. */
  prompt: number;
  completion: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export const BUILTIN_PRICES_DATE = '2026-12-07';

export const BUILTIN_PRICES: readonly BuiltinPrice[] = [
  // OpenAI (reasoning tokens are billed as output tokens)
  { provider: 'openai', family: 'gpt-5', prompt: 1.25, completion: 10, cacheRead: 0.125 },
  { provider: 'openai', family: 'gpt-5-mini', prompt: 0.25, completion: 2, cacheRead: 0.025 },
  { provider: 'openai', family: 'gpt-5-nano', prompt: 0.05, completion: 0.4, cacheRead: 0.005 },
  { provider: 'openai', family: 'gpt-4.1', prompt: 2, completion: 8, cacheRead: 0.5 },
  { provider: 'openai', family: 'gpt-4.1-mini', prompt: 0.4, completion: 1.6, cacheRead: 0.1 },
  { provider: 'openai', family: 'gpt-4.1-nano', prompt: 0.1, completion: 0.4, cacheRead: 0.025 },
  { provider: 'openai', family: 'gpt-4o', prompt: 2.5, completion: 10, cacheRead: 1.25 },
  { provider: 'openai', family: 'gpt-4o-mini', prompt: 0.15, completion: 0.6, cacheRead: 0.075 },
  { provider: 'openai', family: 'chatgpt-4o-latest', prompt: 5, completion: 15 },
  { provider: 'openai', family: 'gpt-4-turbo', prompt: 10, completion: 30 },
  { provider: 'openai', family: 'gpt-4', prompt: 30, completion: 60 },
  { provider: 'openai', family: 'gpt-3.5-turbo', prompt: 0.5, completion: 1.5 },
  { provider: 'openai', family: 'o1', prompt: 15, completion: 60, cacheRead: 7.5 },
  { provider: 'openai', family: 'o1-mini', prompt: 1.1, completion: 4.4, cacheRead: 0.55 },
  { provider: 'openai', family: 'o3', prompt: 2, completion: 8, cacheRead: 0.5 },
  { provider: 'openai', family: 'o3-mini', prompt: 1.1, completion: 4.4, cacheRead: 0.55 },
  { provider: 'openai', family: 'o4-mini', prompt: 1.1, completion: 4.4, cacheRead: 0.275 },
  { provider: 'openai', family: 'text-embedding-3-small', prompt: 0.02, completion: 0 },
  { provider: 'openai', family: 'text-embedding-3-large', prompt: 0.13, completion: 0 },
  { provider: 'openai', family: 'text-embedding-ada-002', prompt: 0.1, completion: 0 },
  // Anthropic (cache writes: the 5-minute cache)
  {
    provider: 'anthropic',
    family: 'claude-opus-4-5',
    prompt: 5,
    completion: 25,
    cacheRead: 0.5,
    cacheWrite: 6.25,
  },
  {
    provider: 'anthropic',
    family: 'claude-opus-4-1',
    prompt: 15,
    completion: 75,
    cacheRead: 1.5,
    cacheWrite: 18.75,
  },
  {
    provider: 'anthropic',
    family: 'claude-opus-4',
    prompt: 15,
    completion: 75,
    cacheRead: 1.5,
    cacheWrite: 18.75,
  },
  {
    provider: 'anthropic',
    family: 'claude-sonnet-4-5',
    prompt: 3,
    completion: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
  },
  {
    provider: 'anthropic',
    family: 'claude-sonnet-4',
    prompt: 3,
    completion: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
  },
  {
    provider: 'anthropic',
    family: 'claude-haiku-4-5',
    prompt: 1,
    completion: 5,
    cacheRead: 0.1,
    cacheWrite: 1.25,
  },
  {
    provider: 'anthropic',
    family: 'claude-3-7-sonnet',
    prompt: 3,
    completion: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
  },
  {
    provider: 'anthropic',
    family: 'claude-3-5-sonnet',
    prompt: 3,
    completion: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
  },
  {
    provider: 'anthropic',
    family: 'claude-3-5-haiku',
    prompt: 0.8,
    completion: 4,
    cacheRead: 0.08,
    cacheWrite: 1,
  },
  {
    provider: 'anthropic',
    family: 'claude-3-opus',
    prompt: 15,
    completion: 75,
    cacheRead: 1.5,
    cacheWrite: 18.75,
  },
  { provider: 'anthropic', family: 'claude-3-sonnet', prompt: 3, completion: 15 },
  {
    provider: 'anthropic',
    family: 'claude-3-haiku',
    prompt: 0.25,
    completion: 1.25,
    cacheRead: 0.03,
    cacheWrite: 0.3,
  },
  // Google (prompts up to 128k / 200k tokens; thinking tokens are output, except where noted)
  { provider: 'google', family: 'gemini-2.5-pro', prompt: 1.25, completion: 10, cacheRead: 0.31 },
  { provider: 'google', family: 'gemini-2.5-flash', prompt: 0.3, completion: 2.5, cacheRead: 0.075 },
  // The preview priced thinking apart from other output.
  {
    provider: 'google',
    family: 'gemini-2.5-flash-preview-04-17',
    prompt: 0.15,
    completion: 0.6,
    reasoning: 3.5,
  },
  { provider: 'google', family: 'gemini-2.5-flash-lite', prompt: 0.1, completion: 0.4, cacheRead: 0.025 },
  { provider: 'google', family: 'gemini-2.0-flash', prompt: 0.1, completion: 0.4, cacheRead: 0.025 },
  { provider: 'google', family: 'gemini-2.0-flash-lite', prompt: 0.075, completion: 0.3 },
  { provider: 'google', family: 'gemini-1.5-pro', prompt: 1.25, completion: 5, cacheRead: 0.3125 },
  { provider: 'google', family: 'gemini-1.5-flash', prompt: 0.075, completion: 0.3, cacheRead: 0.01875 },
  { provider: 'google', family: 'gemini-1.5-flash-8b', prompt: 0.0375, completion: 0.15, cacheRead: 0.01 },
  // Mistral
  { provider: 'mistralai', family: 'mistral-large', prompt: 2, completion: 6 },
  { provider: 'mistralai', family: 'mistral-medium', prompt: 0.4, completion: 2 },
  { provider: 'mistralai', family: 'mistral-small', prompt: 0.1, completion: 0.3 },
  { provider: 'mistralai', family: 'magistral-medium', prompt: 2, completion: 5 },
  { provider: 'mistralai', family: 'magistral-small', prompt: 0.5, completion: 1.5 },
  { provider: 'mistralai', family: 'codestral', prompt: 0.3, completion: 0.9 },
  { provider: 'mistralai', family: 'pixtral-large', prompt: 2, completion: 6 },
  { provider: 'mistralai', family: 'open-mistral-nemo', prompt: 0.15, completion: 0.15 },
  { provider: 'mistralai', family: 'ministral-8b', prompt: 0.1, completion: 0.1 },
  { provider: 'mistralai', family: 'ministral-3b', prompt: 0.04, completion: 0.04 },
];
