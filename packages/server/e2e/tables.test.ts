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
/**
 * Waits for a condition: longer than expect.poll's 1 s, which a loaded machine (7 test suites on
 * 2 cores) can outlast between a click and the page's answer.
 */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
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
    await poll(() => rowCount(page)).toBe(2);
    // Polled: the rows may be drawn before a live refresh brings their last spans.
    await poll(() => text(rows().first())).toMatch(
      /Summarize it[\s\S]*gpt-4o[\s\S]*chat-1[\s\S]*ada[\s\S]*\$0\.006/,
    );
    await poll(() => text(rows().nth(1))).toMatch(/gpt-4o-mini[\s\S]*\$0\.00027/);
    await page.getByRole('button', { name: /Total cost/ }).click();
    await page.waitForURL(/sort=cost_total/);
    await poll(() => text(rows().first())).toContain('$0.006');
    await page.getByRole('button', { name: /Total cost/ }).click(); // ascending
    await page.waitForURL(/order=asc/);
    await poll(() => text(rows().first())).toContain('$0.00027');
    await screenshot(page, 'tables-traces');
  }, 60_000);

  it('previews an LLM span’s last user message and first output message', async () => {
    await page.goto(`${APP_ORIGIN}/projects/tables/spans`);
    await poll(() => rowCount(page)).toBe(3);
    const llmRow = rows().filter({ hasText: 'Which database do you use?' });
    await poll(() => text(llmRow)).toMatch(/SQLite, by default\.[\s\S]*gpt-4o-mini[\s\S]*\$0\.00027/);
    await screenshot(page, 'tables-spans');
  }, 60_000);

  it('shows a session’s total cost', async () => {
    await page.goto(`${APP_ORIGIN}/projects/tables/sessions`);
    await poll(() => rowCount(page)).toBe(1);
    await poll(() => text(rows().first())).toContain('$0.00627');
  }, 60_000);

  it('hides a column and resizes one from the column chooser, both kept across a reload; cost sorts', async () => {
    const headers = async () =>
      (await page.locator('thead th').allInnerTexts()).map((h) => h.replace(/[↕▲▼]/g, '').trim());
    const width = async (header: string) =>
      (await page.locator('thead th', { hasText: header }).first().boundingBox())?.width ?? 0;
    await page.goto(`${APP_ORIGIN}/projects/tables/traces`);
    await poll(() => rowCount(page)).toBe(2);
    await poll(headers).toContain('User');

    // Hide the user column.
    await page.getByRole('button', { name: 'Columns of Traces' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns of Traces' });
    await chooser.waitFor();
    await chooser.getByRole('checkbox', { name: 'User' }).uncheck();
    await page.keyboard.press('Escape');
    await chooser.waitFor({ state: 'hidden' });
    await poll(headers).not.toContain('User');
    await poll(() => text(rows().first())).not.toContain('ada');
    await poll(() => text(rows().first())).toContain('chat-1'); // the session column stays

    // Widen the model column by dragging its header's right edge 90 px.
    const before = await width('Model');
    const edge = await page.getByRole('separator', { name: 'Resize Model' }).boundingBox();
    expect(edge).not.toBeNull();
    const y = edge!.y + edge!.height / 2;
    await page.mouse.move(edge!.x + edge!.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(edge!.x + edge!.width / 2 + 45, y, { steps: 4 });
    await page.mouse.move(edge!.x + edge!.width / 2 + 90, y, { steps: 4 });
    await page.mouse.up();
    await poll(() => width('Model')).toBeCloseTo(before + 90, -1);
    const resized = await width('Model');
    // The cells follow their header.
    const cell = rows()
      .first()
      .locator('td')
      .nth((await headers()).indexOf('Model'));
    await poll(async () => (await cell.boundingBox())?.width).toBeCloseTo(resized, 0);

    // Both remembered after a reload.
    await page.reload();
    await poll(() => rowCount(page)).toBe(2);
    await poll(headers).toContain('Model');
    expect(await headers()).not.toContain('User');
    await poll(() => width('Model')).toBeCloseTo(resized, 0);
    const saved = JSON.parse(String(await page.evaluate("localStorage.getItem('fawkes.table.traces')")));
    expect(saved.hidden).toEqual(['user']);
    expect(saved.sizes.model).toBeCloseTo(resized, 0);
    // Each table has its own choices: the spans table still shows its user column.
    await page.goto(`${APP_ORIGIN}/projects/tables/spans`);
    await poll(() => rowCount(page)).toBe(3);
    await poll(headers).toContain('User');

    // The cost column is shown and sorts, with the user column hidden and the model column widened.
    await page.goto(`${APP_ORIGIN}/projects/tables/traces`);
    await poll(() => rowCount(page)).toBe(2);
    await poll(headers).toContain('Total cost');
    await page.getByRole('button', { name: /Total cost/ }).click();
    await page.waitForURL(/sort=cost_total/);
    await poll(() => text(rows().first())).toContain('$0.006');
    await page.getByRole('button', { name: /Total cost/ }).click();
    await page.waitForURL(/order=asc/);
    await poll(() => text(rows().first())).toContain('$0.00027');

    await page.getByRole('button', { name: 'Columns of Traces' }).click();
    await chooser.waitFor();
    await screenshot(page, 'tables-column-chooser');
    // Reset: every column back, at its default width.
    await chooser.getByRole('button', { name: 'Reset columns' }).click();
    await page.keyboard.press('Escape');
    await poll(headers).toContain('User');
    await poll(() => width('Model')).toBeCloseTo(before, 0);
    await poll(() =>
      page.evaluate("JSON.parse(localStorage.getItem('fawkes.table.traces')).hidden.length"),
    ).toBe(0);
  }, 120_000);
});
