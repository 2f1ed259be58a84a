import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loggedSpan, otelId } from '../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  APP_ORIGIN,
  assertUiBuilt,
  browserSkipReason,
  launchBrowser,
  newPage,
  renderedText,
  screenshot,
} from './browser.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();
const text = renderedText;

function llm(model: string, prompt: number, completion: number, extra: Record<string, unknown> = {}) {
  return { llm: { model_name: model, provider: 'openai', token_count: { prompt, completion }, ...extra } };
}

/**
 * The traces, spans and sessions tables' cost, model, session and user columns and the message
 * previews of LLM spans, in chromium against a real server.
 */
describe.skipIf(skip !== null)(`tables in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const rowCount = (p: Page) => p.locator('table[role="grid"]').getAttribute('aria-rowcount').then(Number);
  const rows = () => page.locator('tr.table-row');
  const trace = { a: otelId(16), b: otelId(16) };
  const root = otelId(8);

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    const at = (minutesAgo: number) => {
      const start = new Date(NOW - minutesAgo * 60_000);
      return { start: start.toISOString(), end: new Date(start.getTime() + 800).toISOString() };
    };
    const user = { session: { id: 'chat-1' }, user: { id: 'ada' } };
    const logged = await api(t.server.url).post('/v1/projects/tables/spans', {
      data: [
        loggedSpan({ traceId: trace.a, spanId: root, name: 'agent', ...at(30), attributes: { ...user } }),
        loggedSpan({
          traceId: trace.a,
          parentId: root,
          name: 'ChatCompletion',
          kind: 'LLM',
          ...at(29),
          attributes: {
            ...user,
            ...llm('gpt-4o-mini', 1000, 200, {
              input_messages: [
                { message: { role: 'system', content: 'Be brief.' } },
                { message: { role: 'user', content: 'Which database do you use?' } },
              ],
              output_messages: [{ message: { role: 'assistant', content: 'SQLite, by default.' } }],
            }),
          },
        }),
        loggedSpan({
          traceId: trace.b,
          name: 'ChatCompletion',
          kind: 'LLM',
          ...at(10),
          attributes: { ...user, ...llm('gpt-4o', 2000, 100), input: { value: 'Summarize it' } },
        }),
      ],
    });
    expect(logged.status).toBe(202);
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  // By hand (builtin-prices.ts, per million tokens: gpt-4o-mini 0.15 / 0.6, gpt-4o 2.5 / 10):
  // trace a: 1000 × 0.15 + 200 × 0.6 = $0.00027; trace b: 2000 × 2.5 + 100 × 10 = $0.006.
  it('shows each trace’s total cost, models, session and user, and sorts by cost', async () => {
    await page.goto(`${APP_ORIGIN}/projects/tables/traces`);
    await expect.poll(() => rowCount(page)).toBe(2);
    // Polled: the rows may be drawn before a live refresh brings their last spans.
    await expect
      .poll(() => text(rows().first()))
      .toMatch(/Summarize it[\s\S]*gpt-4o[\s\S]*chat-1[\s\S]*ada[\s\S]*\$0\.006/);
    await expect.poll(() => text(rows().nth(1))).toMatch(/gpt-4o-mini[\s\S]*\$0\.00027/);
    await page.getByRole('button', { name: /Total cost/ }).click();
    await page.waitForURL(/sort=cost_total/);
    await expect.poll(() => text(rows().first())).toContain('$0.006');
    await page.getByRole('button', { name: /Total cost/ }).click(); // ascending
    await page.waitForURL(/order=asc/);
    await expect.poll(() => text(rows().first())).toContain('$0.00027');
    await screenshot(page, 'tables-traces');
  });

  it('previews an LLM span’s last user message and first output message', async () => {
    await page.goto(`${APP_ORIGIN}/projects/tables/spans`);
    await expect.poll(() => rowCount(page)).toBe(3);
    const llmRow = rows().filter({ hasText: 'Which database do you use?' });
    await expect.poll(() => text(llmRow)).toMatch(/SQLite, by default\.[\s\S]*gpt-4o-mini[\s\S]*\$0\.00027/);
    await screenshot(page, 'tables-spans');
  });

  it('shows a session’s total cost', async () => {
    await page.goto(`${APP_ORIGIN}/projects/tables/sessions`);
    await expect.poll(() => rowCount(page)).toBe(1);
    await expect.poll(() => text(rows().first())).toContain('$0.00627');
  });
});
