import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { sendSampleData } from './sample-traces.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();

/** The project settings' model prices in chromium: a price added there changes the project's cost. */
describe.skipIf(skip !== null)(`model prices page in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const rest = async <T>(path: string): Promise<T> =>
    (await fetch(`${t.server.url}${path}`)).json() as Promise<T>;
  const projectCost = async () =>
    (await rest<{ data: { total: number } }>('/v1/projects/chatbot/cost_summary')).data.total;
  const tokenSum = async (name: string) => {
    const tokens = await rest<{ data: { series: { name: string; values: number[] }[] } }>(
      `/v1/projects/chatbot/metrics?metric=tokens&end_time=${new Date(NOW).toISOString()}`,
    );
    return tokens.data.series.find((s) => s.name === name)!.values.reduce((a, b) => a + b, 0);
  };
  const section = () => page.getByTestId('model-prices');
  const field = (name: string) => section().locator(`input[name="${name}"]`);
  const problemOf = (name: string) => renderedText(section().locator(`[data-field="${name}"]`));

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    await sendSampleData(t.server.url, NOW);
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it("adds a price (the server's 422 under its field), which changes the project's cost, and deletes it", async () => {
    // The sample's gpt-4o-mini calls at the built-in 0.15 / 0.6 dollars per million tokens.
    const [prompt, completion] = [await tokenSum('prompt'), await tokenSum('completion')];
    expect(prompt).toBeGreaterThan(0);
    const builtin = (prompt * 0.15 + completion * 0.6) / 1e6;
    expect(await projectCost()).toBeCloseTo(builtin, 12);

    await page.goto(`${APP_ORIGIN}/projects/chatbot/config`);
    await expect.poll(() => renderedText(section())).toContain("No prices of this project's own");

    await field('model_name_pattern').fill('^gpt-4o-mini$');
    await field('prompt_cost_per_token').fill('-1');
    await field('completion_cost_per_token').fill('2000');
    await section().getByRole('button', { name: 'Add price' }).click();
    await expect
      .poll(() => problemOf('prompt_cost_per_token'))
      .toBe('Input should be greater than or equal to 0');

    await field('prompt_cost_per_token').fill('1000');
    await field('model_name_pattern').fill('gpt-4o-mini(');
    await section().getByRole('button', { name: 'Add price' }).click();
    await expect.poll(() => problemOf('model_name_pattern')).toMatch(/\S/);
    expect(await projectCost()).toBeCloseTo(builtin, 12);

    await field('model_name_pattern').fill('^gpt-4o-mini$');
    await section().getByRole('button', { name: 'Add price' }).click();
    await expect.poll(() => renderedText(section().locator('tbody tr'))).toContain('^gpt-4o-mini$');
    expect(await renderedText(section().locator('tbody tr'))).toContain('$1000');
    const own = (prompt * 1000 + completion * 2000) / 1e6;
    expect(await projectCost()).toBeCloseTo(own, 12);
    await screenshot(page, 'model-prices');

    await section().getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => renderedText(section())).toContain("No prices of this project's own");
    expect(await projectCost()).toBeCloseTo(builtin, 12);
  });
});
