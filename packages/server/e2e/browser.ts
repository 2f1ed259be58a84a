import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DEFAULT_UI_DIST } from '../src/ui-api/static-ui.js';
import { BROWSER_TEST_HOST } from '../test-support/test-server.js';

/** Debian's chromium (CI installs it with apt-get); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (committed, linked from the README). */
export const SCREENSHOTS = fileURLToPath(new URL('../../ui/screenshots/', import.meta.url));

/** Why the browser tests cannot run here, or null. In CI nothing is skipped: they fail instead. */
export function browserSkipReason(): string | null {
  if (process.env.CI === 'true') return null;
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  return null;
}

export function assertUiBuilt(): void {
  if (!existsSync(`${DEFAULT_UI_DIST}index.html`)) {
    throw new Error(`The UI is not built (${DEFAULT_UI_DIST}): run \`npm run build\` first`);
  }
}

/** The origin pages are opened at: always the same, whatever port the server listens on. */
export const APP_ORIGIN = `http://${BROWSER_TEST_HOST}`;

/** Chromium, with APP_ORIGIN resolving to the server under test. */
export async function launchBrowser(serverPort: number): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [`--host-resolver-rules=MAP ${BROWSER_TEST_HOST}:80 127.0.0.1:${serverPort}`],
  });
}

/**
 * A page with a fixed clock, time zone and locale, so that pages (and their screenshots) look the
 * same at every run: relative times are measured from `now`.
 */
export async function newPage(
  browser: Browser,
  options: { now: number; theme?: 'light' | 'dark'; width?: number; height?: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    timezoneId: 'UTC',
    locale: 'en-US',
    colorScheme: options.theme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(options.now));
  page.on('pageerror', (error) => {
    throw error;
  });
  return { context, page };
}

/**
 * Saves a screenshot of the page as packages/ui/screenshots/<name>.png. A picture that differs from
 * the saved one by a few anti-aliased pixels only is not rewritten, so that test runs leave the
 * committed screenshots alone unless a page really changed. `live: false` for a page without the
 * live feed's badge (the login page); `mask` covers what differs at every run (a new key, its date).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { live?: boolean; mask?: Locator[] } = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Pages of the app wait for the live feed; pages outside it (the login page) have none.
  if (options.live !== false) await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
  // No hover or focus left over from the test's last click.
  await page.mouse.move(0, 0);
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  // Let fonts, layout and transitions settle.
  await page.evaluate('document.fonts.ready.then(() => true)');
  const fresh = await page.screenshot({
    animations: 'disabled',
    caret: 'hide',
    ...(options.mask ? { mask: options.mask, maskColor: '#9aa0a6' } : {}),
  });
  const path = `${SCREENSHOTS}${name}.png`;
  if (existsSync(path)) {
    const saved = readFileSync(path);
    if (saved.equals(fresh) || (await differingPixels(page, saved, fresh)) < 100) return;
  }
  writeFileSync(path, fresh);
}

/** How many pixels differ between two PNGs (of any size: a different size counts as all). */
async function differingPixels(page: Page, a: Buffer, b: Buffer): Promise<number> {
  const scratch = await page.context().newPage();
  try {
    const count = await scratch.evaluate(`(async () => {
      const load = async (base64) => {
        const image = new Image();
        image.src = 'data:image/png;base64,' + base64;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height);
      };
      const [x, y] = await Promise.all([load(${JSON.stringify(a.toString('base64'))}), load(${JSON.stringify(b.toString('base64'))})]);
      if (x.width !== y.width || x.height !== y.height) return Infinity;
      let differing = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        if (x.data[i] !== y.data[i] || x.data[i + 1] !== y.data[i + 1] || x.data[i + 2] !== y.data[i + 2]) differing++;
      }
      return differing;
    })()`);
    return Number(count);
  } finally {
    await scratch.close();
  }
}

/** The text of an element as rendered (CSS applied). */
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
export const renderedText = (locator: Locator) => locator.innerText();
