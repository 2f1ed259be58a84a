import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAuthConfig } from '../src/auth/auth-config.js';
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
import { agentTurn } from './sample-traces.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();
const NEW_PASSWORD = 'walk-new-password-1';

async function exportWith(url: string, spans: ReadableSpan[], headers: Record<string, string>) {
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, headers });
  const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  await exporter.shutdown();
  return result;
}

/**
 * Logging in with authentication on, in chromium: the login page, the default admin's forced password
 * change, a key made on the settings page (shown once), spans exported with it (an exporter without it is
 * refused), the spans in the project's table, and logging out.
 */
describe.skipIf(skip !== null)(`the login walk in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const app = APP_ORIGIN;

  beforeAll(async () => {
    assertUiBuilt();
    const auth = resolveAuthConfig({
      PHOENIX_ENABLE_AUTH: 'true',
      PHOENIX_SECRET: 'walk-secret-0123456789-abcdefghijklmnop',
    });
    t = await startTestServer({}, { auth });
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('sends a visitor to the login page, and back after the forced password change', async () => {
    await page.goto(`${app}/projects`);
    await page.waitForURL(/\/login\?return_to=%2Fprojects$/);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await screenshot(page, 'auth-login', { live: false });
    await page.getByLabel('Email').fill('admin@localhost');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => renderedText(page.getByRole('alert'))).toBe('Invalid email and/or password');
    await page.getByLabel('Password').fill('admin');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/reset-password\?return_to=%2Fprojects$/);
    await page.getByLabel('Current password').fill('admin');
    await page.getByLabel('New password (at least 8 characters)').fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => renderedText(page.getByRole('alert'))).toMatch(/at least 8 characters/);
    await page.getByLabel('New password (at least 8 characters)').fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(/\/projects$/);
    await expect.poll(() => renderedText(page.getByTestId('user-menu'))).toMatch(/admin\s+ADMIN/);
  });

  it('exports spans with a key made on the settings page; an exporter without it stores nothing', async () => {
    // Settings → API keys, as a user would: the key is shown once, then listed by name.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/api-keys$/);
    const own = page.getByTestId('user-api-keys');
    await own.getByLabel('Name').fill('walk');
    await own.getByLabel('Description (optional)').fill('the chromium walk');
    await own.getByRole('button', { name: 'Create key' }).click();
    const shown = own.getByTestId('new-api-key');
    await shown.waitFor();
    const key = await renderedText(shown);
    expect(key.length).toBeGreaterThan(20);
    await expect.poll(() => own.getByRole('row').count()).toBe(2);
    expect(await renderedText(own.getByRole('row').nth(1))).toMatch(/^walk\s+the chromium walk/);
    await screenshot(page, 'auth-settings-keys', {
      mask: [shown, own.locator('tbody td:nth-child(3)')],
    });
    await own.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => shown.count()).toBe(0);
    const spans = agentTurn({
      project: 'walk',
      question: 'Who am I?',
      answer: 'admin',
      startMs: NOW - 60_000,
    });
    const refused = await exportWith(t.server.url, spans, {});
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(String(refused.error)).toMatch(/401|Unauthorized/i);
    expect(t.query<{ n: number }>('SELECT COUNT(*) AS n FROM spans')[0]?.n).toBe(0);
    expect((await exportWith(t.server.url, spans, { authorization: `Bearer ${key}` })).code).toBe(
      ExportResultCode.SUCCESS,
    );
    await page.goto(`${app}/projects/walk/traces`);
    await expect
      .poll(() => page.locator('table[role="grid"]').getAttribute('aria-rowcount').then(Number))
      .toBe(1);
    expect(await renderedText(page.locator('tr.table-row').first())).toContain('Who am I?');
  });

  it('logs out: back at the login page, and the old cookie is refused', async () => {
    const cookies = await context.cookies();
    const access = cookies.find((c) => c.name === 'phoenix-access-token')?.value;
    expect(access).toBeTruthy();
    await page.getByTestId('user-menu').locator('summary').click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    const old = await fetch(`${t.server.url}/v1/projects`, {
      headers: { cookie: `phoenix-access-token=${access}` },
    });
    expect(old.status).toBe(401);
  });
});
