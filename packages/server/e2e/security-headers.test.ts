import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiSecurityHeaders } from '../src/ui-api/security-headers.js';
import { DEFAULT_UI_DIST } from '../src/ui-api/static-ui.js';
import { BROWSER_TEST_HOST, startTestServer, type TestServer } from '../test-support/test-server.js';
import { APP_ORIGIN, assertUiBuilt, browserSkipReason, CHROMIUM, newPage } from './browser.js';
import { sendSampleData } from './sample-traces.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();
/** A notebook elsewhere than on this machine: a site that may not frame the app. */
const FOREIGN_HOST = 'notebook.test';
/** A notebook elsewhere that PHOENIX_ALLOWED_ORIGINS lists: it may frame the app. */
const ALLOWED_HOST = 'allowed-notebook.test';
const ALLOWED_ORIGINS = [`http://${ALLOWED_HOST}`];

/** Every CSP violation the page reports, from its first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => {
    seen.push(text);
  });
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    window.reportCspViolation(event.violatedDirective + ' blocked ' + event.blockedURI + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
  });`);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

describe.skipIf(skip !== null)(
  `the UI's security headers in chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let t: TestServer;
    let browser: Browser;
    let notebook: Server;
    let notebookPort: number;
    let traceId: string;

    beforeAll(async () => {
      assertUiBuilt();
      t = await startTestServer({}, { allowedOrigins: ALLOWED_ORIGINS });
      traceId = (await sendSampleData(t.server.url, NOW)).traceIds[0] as string;
      // What session.view() puts in a notebook: the app in an inline frame.
      notebook = createHttpServer((_request, response) => {
        response.setHeader('content-type', 'text/html');
        response.setHeader('connection', 'close');
        response.end(
          `<!doctype html><iframe id="app" src="${APP_ORIGIN}/projects" width="800" height="600"></iframe>`,
        );
      });
      await new Promise<void>((resolve) => notebook.listen(0, '127.0.0.1', resolve));
      notebookPort = (notebook.address() as AddressInfo).port;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          `--host-resolver-rules=MAP ${BROWSER_TEST_HOST}:80 127.0.0.1:${t.server.httpPort}, MAP ${FOREIGN_HOST}:80 127.0.0.1:${notebookPort}, MAP ${ALLOWED_HOST}:80 127.0.0.1:${notebookPort}`,
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
      notebook?.closeAllConnections();
      await new Promise((resolve) => notebook?.close(resolve));
      await t?.close();
    });

    it('sends the policy, nosniff and Referrer-Policy with the pages, and the pages break none of it', async () => {
      const { context, page } = await newPage(browser, { now: NOW });
      try {
        const violations = await watchViolations(page);
        const paths = [
          '/projects',
          '/projects/chatbot/traces',
          '/projects/chatbot/spans',
          '/projects/chatbot/sessions',
          '/projects/chatbot/metrics',
          '/projects/chatbot/config',
          `/projects/chatbot/traces/${traceId}`,
          '/nowhere',
        ];
        for (const path of paths) {
          const response = await page.goto(`${APP_ORIGIN}${path}`);
          expect(response?.headers()['content-security-policy']).toBe(
            uiSecurityHeaders(readFileSync(`${DEFAULT_UI_DIST}index.html`, 'utf8'), ALLOWED_ORIGINS)[
              'content-security-policy'
            ],
          );
          expect(response?.headers()['x-content-type-options']).toBe('nosniff');
          expect(response?.headers()['referrer-policy']).toBe('same-origin');
          await page.waitForLoadState('networkidle');
          await expect.poll(() => page.locator('#root *').count()).toBeGreaterThan(0);
        }
        expect(violations).toEqual([]);
        const asset = (await page.locator('script[src]').first().getAttribute('src')) as string;
        const assetResponse = await fetch(new URL(asset, t.server.url));
        expect(assetResponse.headers.get('x-content-type-options')).toBe('nosniff');
      } finally {
        await context.close();
      }
    }, 120_000);

    it('may be framed by a notebook on this machine or of an origin PHOENIX_ALLOWED_ORIGINS lists, not by another site', async () => {
      const { context, page } = await newPage(browser, { now: NOW });
      try {
        await page.goto(`http://127.0.0.1:${notebookPort}/`);
        const framed = page.frameLocator('#app');
        await expect.poll(() => framed.locator('#root *').count()).toBeGreaterThan(0);

        // A notebook of another origin that PHOENIX_ALLOWED_ORIGINS lists.
        await page.goto(`http://${ALLOWED_HOST}/`);
        await expect.poll(() => page.frameLocator('#app').locator('#root *').count()).toBeGreaterThan(0);

        const violations = await watchViolations(page);
        await page.goto(`http://${FOREIGN_HOST}/`);
        await expect.poll(() => violations.some((v) => /frame-ancestors/.test(v))).toBe(true);
        const frame = page.frames().find((f) => f !== page.mainFrame());
        expect(
          await frame
            ?.locator('#root')
            .count()
            .catch(() => 0),
        ).toBe(0);
      } finally {
        await context.close();
      }
    }, 120_000);
  },
);
