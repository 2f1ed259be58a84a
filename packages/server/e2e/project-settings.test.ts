import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loggedSpan, otelId } from '../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { APP_ORIGIN, assertUiBuilt, browserSkipReason, launchBrowser, newPage } from './browser.js';

const skip = browserSkipReason();
/** These 2 cores are shared: give the page time to answer. */
const POLL = { timeout: 15_000 };

/** The project settings page in chromium: the retention policy form and the manual delete. */
describe.skipIf(skip !== null)(`project settings in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    assertUiBuilt();
    // Pages are opened at APP_ORIGIN's host, which the server answers only when told to.
    t = await startTestServer({}, { allowedHosts: ['fawkes.test'] });
    http = api(t.server.url);
    for (const start of ['2024-01-01T00:00:00Z', '2024-01-05T00:00:00Z', '2024-01-09T00:00:00Z']) {
      const end = new Date(Date.parse(start) + 1000).toISOString();
      const logged = await http.post('/v1/projects/kept/spans', {
        data: [loggedSpan({ traceId: otelId(16), spanId: otelId(8), start, end })],
      });
      expect(logged.status).toBe(202);
    }
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: Date.parse('2024-02-01T00:00:00Z') }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  const summary = () => page.getByTestId('retention-summary');
  const traceCount = () => Number(t.query<{ n: number }>('SELECT count(*) AS n FROM traces')[0]!.n);

  it("sets the project's policy, goes back to the default, and deletes traces older than a date", async () => {
    await page.goto(`${APP_ORIGIN}/projects/kept`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/projects\/kept\/config$/);
    await expect.poll(() => summary().textContent(), POLL).toBe("Keeps every trace. (The server's default.)");

    const form = page.getByRole('form', { name: 'Retention policy' });
    await form.getByLabel('Maximum traces').fill('2');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect
      .poll(() => summary().textContent(), POLL)
      .toBe("Deletes the oldest beyond 2 traces. (This project's own policy.)");
    expect((await http.get('/v1/projects/kept/retention_policy')).json.data).toEqual({
      max_age_days: null,
      max_traces: 2,
      source: 'project',
    });

    await form.getByLabel('Maximum age (days)').fill('0');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), POLL).toContain('positive whole numbers');

    await form.getByRole('button', { name: "Use the server's default" }).click();
    await expect.poll(() => summary().textContent(), POLL).toBe("Keeps every trace. (The server's default.)");
    expect((await http.get('/v1/projects/kept/retention_policy')).json.data.source).toBe('default');

    const manual = page.getByRole('form', { name: 'Delete traces older than' });
    await manual.getByLabel('Started before (UTC)').fill('2024-01-06');
    page.once('dialog', (dialog) => void dialog.accept());
    await manual.getByRole('button', { name: 'Delete traces' }).click();
    await expect.poll(() => manual.getByRole('status').textContent(), POLL).toBe('Deleted 2 traces.');
    expect(traceCount()).toBe(1);
  }, 120_000);
});
