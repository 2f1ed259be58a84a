import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceModel } from '@fawkes/inferences';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/server/config.js';
import { createServer, type FawkesServer } from '../src/server/create-server.js';
import { DEFAULT_UMAP_PARAMETERS } from '../src/server/umap-parameters.js';
import { loadFixtureSet } from '../test-support/inference-fixtures.js';
import { BROWSER_TEST_HOST, startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  APP_ORIGIN,
  assertUiBuilt,
  browserSkipReason,
  launchBrowser,
  newPage,
  renderedText,
  screenshot,
} from './browser.js';

const skip = browserSkipReason();

const text = renderedText;

interface DimensionRow {
  name: string;
  psi: number | null;
}

/**
 * The model pages in chromium against a real server holding the tabular fixture's primary and
 * reference sets: home → Model → the dimensions table sorted by PSI → the most drifted dimension,
 * whose PSI line and distribution bars are drawn by recharts. A server without inferences shows
 * nothing of the model.
 */
describe.skipIf(skip !== null)(`model pages in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: FawkesServer;
  let workingDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dimensions: DimensionRow[];
  const app = APP_ORIGIN;

  beforeAll(async () => {
    assertUiBuilt();
    const [primary, reference] = await Promise.all([
      loadFixtureSet('tabular', 'primary'),
      loadFixtureSet('tabular', 'reference'),
    ]);
    workingDir = mkdtempSync(join(tmpdir(), 'fawkes-model-ui-'));
    server = await createServer(
      resolveConfig({ port: 0, grpcPort: 0, workingDir }, { FAWKES_ALLOWED_HOSTS: BROWSER_TEST_HOST }),
      {
        inferences: {
          model: new InferenceModel({ primary, reference }),
          umapParameters: { ...DEFAULT_UMAP_PARAMETERS },
        },
      },
    );
    const info = (await (await fetch(`${server.url}/v1/inferences`)).json()) as {
      data: { primary: { end_time: string } };
    };
    dimensions = (
      (await (await fetch(`${server.url}/v1/inferences/summary`)).json()) as {
        data: { dimensions: DimensionRow[] };
      }
    ).data.dimensions;
    browser = await launchBrowser(server.httpPort);
    ({ context, page } = await newPage(browser, { now: Date.parse(info.data.primary.end_time) }));
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (workingDir) rmSync(workingDir, { recursive: true, force: true });
  });

  it('offers the model in the navigation and on the home page', async () => {
    await page.goto(`${app}/`);
    await page.waitForURL(/\/projects$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Model' }).waitFor();
    expect(await text(page.getByTestId('model-card'))).toMatch(/primary rows/);
    await screenshot(page, 'model-home');
  });

  it('shows the time ranges and both tables, and sorts the dimensions by PSI', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Model' }).click();
    await page.waitForURL(/\/model$/);
    await page.getByTestId('primary-range').waitFor();
    await page.getByTestId('reference-range').waitFor();
    const table = page.getByTestId('dimensions-table');
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(dimensions.length);

    const psiHeader = table.getByRole('columnheader', { name: /PSI/ });
    expect(await psiHeader.getAttribute('aria-sort')).toBe('none');
    await psiHeader.getByRole('button').click();
    await expect.poll(() => psiHeader.getAttribute('aria-sort')).toBe('descending');
    const mostDrifted = [...dimensions]
      .filter((d) => d.psi !== null)
      .sort((a, b) => (b.psi as number) - (a.psi as number))[0];
    expect(mostDrifted).toBeDefined();
    expect(await text(rows.first().locator('td').first())).toBe(mostDrifted?.name);

    await psiHeader.getByRole('button').click();
    await expect.poll(() => psiHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await text(rows.first().locator('td').first())).not.toBe(mostDrifted?.name);
    await psiHeader.getByRole('button').click();
    await expect.poll(() => psiHeader.getAttribute('aria-sort')).toBe('descending');
    await screenshot(page, 'model');
  });

  it('opens the most drifted dimension and draws its PSI line and distribution bars', async () => {
    const table = page.getByTestId('dimensions-table');
    const first = table.locator('tbody tr').first().getByRole('link');
    const name = await text(first);
    await first.click();
    await page.waitForURL(new RegExp(`/model/dimensions/${encodeURIComponent(name)}$`));
    await page.getByRole('heading', { level: 1, name }).waitFor();

    const psi = page.getByTestId('psi-chart');
    expect(await psi.getAttribute('aria-label')).toBe('PSI over time');
    await psi.locator('path.recharts-line-curve').first().waitFor();
    expect(await psi.locator('path.recharts-line-curve').first().getAttribute('d')).toMatch(/^M/);

    const distribution = page.getByTestId('distribution-chart');
    await distribution.locator('.recharts-bar-rectangle').first().waitFor();
    // Two series of bars: primary and reference.
    await expect.poll(() => distribution.locator('.recharts-bar').count()).toBe(2);

    await page.getByTestId('count-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('percent-empty-chart').locator('.recharts-wrapper').waitFor();
    await screenshot(page, 'model-dimension');
  });

  it('narrows the tables and the dimension page to a primary range chosen in the picker', async () => {
    await page.goto(`${app}/model`);
    const preset = page.getByLabel('Primary range preset');
    await preset.waitFor();
    expect(await preset.inputValue()).toBe('all');
    const summaryRequest = page.waitForRequest((r) => r.url().includes('/v1/inferences/summary?'));
    await preset.selectOption('1d');
    const requested = new URL((await summaryRequest).url());
    const start = requested.searchParams.get('start_time');
    const end = requested.searchParams.get('end_time');
    expect(start).not.toBeNull();
    expect(Date.parse(end!) - Date.parse(start!)).toBe(86_400_000);
    await page.waitForURL(
      (url) => url.searchParams.get('start') === start && url.searchParams.get('end') === end,
    );

    // The table shows the server's summary of that range, which differs from the whole range's.
    const narrowed = (
      (await (await fetch(`${server.url}/v1/inferences/summary?${requested.searchParams}`)).json()) as {
        data: { dimensions: DimensionRow[] };
      }
    ).data.dimensions;
    expect(narrowed.map((d) => d.psi)).not.toEqual(dimensions.map((d) => d.psi));
    const table = page.getByTestId('dimensions-table');
    // Unsorted, the rows keep the model's order; the first one's PSI becomes the range's.
    const row = table.locator('tbody tr').first();
    const name = dimensions[0]!.name;
    expect(await text(row.locator('td').first())).toBe(name);
    const expected = narrowed.find((d) => d.name === name)!;
    expect(expected.psi).not.toBeCloseTo(dimensions[0]!.psi!, 2);
    await expect.poll(async () => Number(await text(row.locator('td').last()))).toBeCloseTo(expected.psi!, 2);
    await expect.poll(() => page.locator('.model-page').getAttribute('aria-busy')).toBe('false');

    // The dimension page keeps the range, and its charts ask for it.
    const seriesRequest = page.waitForRequest((r) => r.url().includes('/time_series?'));
    await row.getByRole('link').click();
    await page.waitForURL((url) => url.pathname.endsWith(`/model/dimensions/${encodeURIComponent(name)}`));
    expect(new URL(page.url()).searchParams.get('start')).toBe(start);
    expect(new URL((await seriesRequest).url()).searchParams.get('start_time')).toBe(start);
    expect(await page.getByLabel('Primary range preset').inputValue()).toBe('1d');

    // Back to the whole primary.
    await page.getByLabel('Primary range preset').selectOption('all');
    await page.waitForURL((url) => !url.searchParams.has('start'));
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'Model' }).click();
    await page.waitForURL(/\/model$/);
  });

  describe('a server without inferences', () => {
    let t: TestServer;
    let bare: Browser;
    let bareContext: BrowserContext;
    beforeAll(async () => {
      t = await startTestServer();
      bare = await launchBrowser(t.server.httpPort);
    });
    afterAll(async () => {
      await bareContext?.close();
      await bare?.close();
      await t?.close();
    });

    it('shows nothing of the model', async () => {
      expect((await fetch(`${t.server.url}/v1/inferences`)).status).toBe(404);
      const opened = await newPage(bare, { now: Date.now() });
      bareContext = opened.context;
      const p = opened.page;
      const answered = p.waitForResponse((r) => r.url().endsWith('/v1/inferences'));
      await p.goto(`${app}/`);
      await p.waitForURL(/\/projects$/);
      expect((await answered).status()).toBe(404);
      await p.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
      const nav = p.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Projects' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Model' }).count()).toBe(0);
      expect(await p.getByTestId('model-card').count()).toBe(0);
    });
  });
});
