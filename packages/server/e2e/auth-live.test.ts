import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCalls } from '../test-support/auth-calls.js';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.js';
import { TEST_AUTH } from '../test-support/test-auth.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { assertUiBuilt, browserSkipReason, launchBrowser, newPage } from './browser.js';
import { agentTurn } from './sample-traces.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();
const TIMEOUT = 120_000;
const PASSWORD = 'live-admin-password-1';

/**
 * Sessions that outlive their access token, in chromium, with a 6-second access token: the live feed
 * comes back after the token ran out while it was down, and two tabs of one browser refreshing at
 * once stay logged in. Pages are opened at the server's own 127.0.0.1 address, a secure context as
 * a default install is (Web Locks).
 */
describe.skipIf(skip !== null)(
  `sessions past the access token in chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let t: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let proxy: TcpProxy;
    /** The app through the proxy, whose cut() drops the live stream as a network would. */
    const origin = () => `http://127.0.0.1:${proxy.port}`;
    const { call, login, admin } = authCalls(() => t.server.url);

    const logIn = async (p: Page) => {
      await p.goto(`${origin()}/login`);
      await p.getByLabel('Email').fill('admin@localhost');
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.waitForURL(/\/projects$/);
    };
    const liveStatus = (p: Page) => p.getByTestId('live-status').textContent();
    const accessCookie = async () =>
      (await context.cookies()).find((c) => c.name === 'phoenix-access-token')?.value ?? '';

    beforeAll(async () => {
      assertUiBuilt();
      t = await startTestServer({}, { auth: { ...TEST_AUTH, accessTokenExpiryMinutes: 0.1 } });
      const first = await login('admin@localhost', 'admin');
      const body = { current_password: 'admin', new_password: PASSWORD };
      expect((await call('PATCH', '/v1/user', first, body)).status).toBe(200);
      proxy = await startTcpProxy({ host: '127.0.0.1', port: t.server.httpPort });
      browser = await launchBrowser(t.server.httpPort);
      ({ context, page } = await newPage(browser, { now: NOW }));
    });
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await proxy?.close();
      await t?.close();
    });

    it(
      'the live feed reconnects, after a refresh, when its access token ran out while it was down',
      async () => {
        await logIn(page);
        await expect.poll(() => liveStatus(page), { timeout: 30_000 }).toBe('Live');
        // The stream drops (the network is cut), and the access token runs out meanwhile: the browser's own
        // reconnect is answered 401, after which EventSource gives up for good.
        proxy.cut();
        await expect.poll(() => liveStatus(page), { timeout: 30_000 }).not.toBe('Live');
        const expired = await accessCookie();
        await expect
          .poll(
            async () => (await call('GET', '/v1/user', { cookie: `phoenix-access-token=${expired}` })).status,
            {
              timeout: 20_000,
            },
          )
          .toBe(401);
        proxy.restore();
        await expect.poll(() => liveStatus(page), { timeout: 30_000 }).toBe('Live');
        expect(await accessCookie()).not.toBe(expired);
        // It delivers again: a project made now appears on the page without a reload.
        const spans = agentTurn({
          project: 'after-expiry',
          question: 'Still there?',
          answer: 'yes',
          startMs: NOW,
        });
        const exporter = new OTLPTraceExporter({ url: `${t.server.url}/v1/traces`, headers: admin });
        const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
        await exporter.shutdown();
        expect(result.code).toBe(ExportResultCode.SUCCESS);
        await expect
          .poll(() => page.getByText('after-expiry').count(), { timeout: 30_000 })
          .toBeGreaterThan(0);
      },
      TIMEOUT,
    );

    it(
      'keeps two tabs logged in when both refresh at once',
      async () => {
        const second = await context.newPage();
        await second.goto(`${origin()}/projects`);
        await expect.poll(() => liveStatus(second), { timeout: 30_000 }).toBe('Live');
        const refresh = (p: Page) =>
          p.evaluate(() =>
            (
              globalThis as unknown as { __fawkesRefreshSession(): Promise<boolean> }
            ).__fawkesRefreshSession(),
          );
        for (let round = 0; round < 10; round++) {
          expect(await Promise.all([refresh(page), refresh(second)])).toEqual([true, true]);
          const me = await second.evaluate(() => fetch('/v1/user').then((r) => r.status));
          expect(me).toBe(200);
        }
        // Both tabs still behind the login, after a reload too.
        await Promise.all([page.reload(), second.reload()]);
        for (const p of [page, second]) {
          await expect.poll(() => liveStatus(p), { timeout: 30_000 }).toBe('Live');
          expect(new URL(p.url()).pathname).toBe('/projects');
        }
      },
      TIMEOUT,
    );
  },
);
