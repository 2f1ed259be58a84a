/**
 * Arithmetic past 64-bit integers in a filter: both databases compute it as doubles (as the
 * in-memory evaluator does) and answer the same spans, never a 500 (PostgreSQL's bigint arithmetic
 * raised "bigint out of range").
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { api, sendSpans } from '../../test-support/rest-client.js';

const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

describeEachDialect('arithmetic past 64-bit integers in filters', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
    // One LLM span with 12 + 30 tokens; its root (agent) has cumulative counts only.
    await sendSpans(t.server.url, conversationTurn({ tokens: [12, 30] }));
  });
  afterAll(() => t.close());

  const names = async (filter: string): Promise<string[]> => {
    const answer = await api(t.server.url).get(
      `/v1/ui/projects/default/spans?filter=${encodeURIComponent(filter)}`,
    );
    expect(answer.status, answer.text).toBe(200);
    return (answer.json as { data: { name: string }[] }).data.map((s) => s.name).sort();
  };

  it.each([
    ['llm.token_count.total * 9223372036854775807 > 1', ['llm']],
    [`llm.token_count.total * ${MAX_SAFE} * ${MAX_SAFE} > 1`, ['llm']],
    [`llm.token_count.total * ${MAX_SAFE} * ${MAX_SAFE} < 0`, []],
    [`llm.token_count.prompt + ${MAX_SAFE} * 1024 > ${MAX_SAFE}`, ['llm']],
    [`llm.token_count.prompt - ${MAX_SAFE} * 1024 - ${MAX_SAFE} * 1024 < 0`, ['llm']],
    [`cumulative_token_count.total * ${MAX_SAFE} * 2048 > 1e20`, ['agent', 'llm']],
    [`llm.token_count.total * ${MAX_SAFE} * ${MAX_SAFE} / 2 > 1`, ['llm']],
    [`cumulative_token_count.prompt * ${MAX_SAFE} * ${MAX_SAFE} > 1`, ['agent', 'llm']],
    [`cumulative_token_count.prompt + ${MAX_SAFE} * 2048 > 1e19`, ['agent', 'llm', 'tool']],
    [`-9223372036854775807 - cumulative_token_count.total * ${MAX_SAFE} < -9.5e18`, ['agent', 'llm']],
    ['cumulative_token_count.completion * 2 == 60', ['agent', 'llm']],
  ])('%s → 200, computed as doubles', async (filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });
});
