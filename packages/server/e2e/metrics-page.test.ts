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

/** The pages' clock and the data's: the sample turns happen during the hour before. */
const NOW = Date.parse('2025-03-01T12:00:00Z');

const skip = browserSkipReason();

const text = renderedText;
/** A chart's heading as written (the CSS shows it in capitals). */
const heading = async (page: Page, id: string) =>
  (await panel(page, id).locator('h2.block-title').textContent())?.trim();
/** A chart's card, heading included. */
const panel = (page: Page, id: string) => page.locator('section.chart-panel', { has: page.getByTestId(id) });

/** The project metrics page in chromium, against a real server fed by the OTLP exporter. */
describe.skipIf(skip !== null)(`metrics page in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const rest = async <T>(path: string): Promise<T> =>
    (await fetch(`${t.server.url}${path}`)).json() as Promise<T>;

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    await sendSampleData(t.server.url, NOW);
    const llm = await rest<{ data: { context: { span_id: string } }[] }>(
      '/v1/projects/chatbot/spans?span_kind=LLM&limit=2',
    );
    const annotations = llm.data.map((span, i) => ({
      span_id: span.context.span_id,
      name: 'helpfulness',
      annotator_kind: 'HUMAN',
      result: { score: i === 0 ? 1 : 0.5 },
    }));
    await fetch(`${t.server.url}/v1/span_annotations?sync=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: annotations }),
    });
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('opens from the project page and charts every series of the range', async () => {
    await page.goto(`${APP_ORIGIN}/projects/chatbot`);
    await page.getByRole('link', { name: 'Metrics' }).click();
    await page.waitForURL(/\/projects\/chatbot\/metrics$/);

    // The headings' totals are the REST series' sums: 6 traces of 5 spans, one failed tool call.
    await expect.poll(() => heading(page, 'metric-traces')).toBe('Traces · 6');
    // Each chart loads its own series: wait for each, not only the first.
    await expect.poll(() => heading(page, 'metric-spans')).toBe('Spans · 30');
    await expect.poll(() => heading(page, 'metric-tool')).toMatch(/^Tool spans · \d+, 1 errors$/);
    const tokens = await rest<{ data: { series: { name: string; values: number[] }[] } }>(
      `/v1/projects/chatbot/metrics?metric=tokens&end_time=${new Date(NOW).toISOString()}`,
    );
    const total = tokens.data.series.find((s) => s.name === 'total')!.values.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    await expect.poll(() => heading(page, 'metric-tokens')).toBe(`Tokens · ${total.toLocaleString('en-US')}`);

    // Cost: the sample's gpt-4o-mini calls at the built-in 0.15 / 0.6 dollars per million tokens,
    // by hand from the token series; the same figure heads the chart and tops both model tables.
    const tokenSum = (name: string) =>
      tokens.data.series.find((s) => s.name === name)!.values.reduce((a, b) => a + b, 0);
    const dollars = (tokenSum('prompt') * 0.15 + tokenSum('completion') * 0.6) / 1e6;
    const cost = await rest<{ data: { series: { name: string; values: number[] }[] } }>(
      `/v1/projects/chatbot/metrics?metric=cost&end_time=${new Date(NOW).toISOString()}`,
    );
    const costTotal = cost.data.series.find((s) => s.name === 'total')!.values.reduce((a, b) => a + b, 0);
    expect(costTotal).toBeCloseTo(dollars, 12);
    const shown = `$${new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(dollars)}`;
    await expect.poll(() => heading(page, 'metric-cost')).toBe(`Cost · ${shown}`);
    // The project header's total cost over its range (all time here), from cost_summary.
    const headerCost = page.locator('.stats-bar .stat', { hasText: 'Total cost' }).locator('dd');
    await expect.poll(() => text(headerCost)).toBe(shown);
    for (const id of ['top-models-cost', 'top-models-tokens']) {
      await expect
        .poll(() => text(page.getByTestId(id).locator('tbody tr').first()))
        .toContain('gpt-4o-mini');
      const row = await text(page.getByTestId(id).locator('tbody tr').first());
      expect(row).toContain(shown);
      expect(row).toContain(total.toLocaleString('en-US'));
    }

    // Bars for the counts (minute buckets over the hour), lines for latency and the scores.
    for (const id of [
      'metric-traces',
      'metric-spans',
      'metric-tokens',
      'metric-cost',
      'metric-llm',
      'metric-tool',
    ]) {
      await expect
        .poll(() => page.getByTestId(id).locator('.recharts-bar-rectangle').count())
        .toBeGreaterThan(0);
    }
    for (const id of ['metric-latency', 'metric-annotations']) {
      await expect
        .poll(() => page.getByTestId(id).locator('.recharts-line-curve').count())
        .toBeGreaterThan(0);
    }
    expect(await text(page.getByTestId('metric-annotations'))).toContain('helpfulness');
    expect(await text(page.getByTestId('metric-latency'))).toMatch(/p50[\s\S]*p90[\s\S]*p99/);
    await screenshot(page, 'metrics');
  });

  it('says so when the range holds nothing', async () => {
    await page.goto(`${APP_ORIGIN}/projects/chatbot/metrics?range=15m`);
    await expect.poll(() => text(page.getByTestId('metric-traces'))).toContain('No data in this range');
    await expect.poll(() => heading(page, 'metric-traces')).toBe('Traces · 0');
  });
});
