import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCalls } from '../test-support/auth-calls.js';
import { TEST_AUTH } from '../test-support/test-auth.js';
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
/** Each test logs in and draws pages in chromium: well above the 30 s default on a loaded machine. */
const TIMEOUT = 120_000;

/** Logs in on the login page (a user whose password is already their own) and waits for the projects. */
async function logInAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${APP_ORIGIN}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/projects$/);
}

/**
 * The settings pages in chromium: an admin manages users (create with a role, change the role, delete;
 * never themselves) and system keys; a viewer sees their own keys only; without authentication the page
 * explains why there is nothing to set.
 */
describe.skipIf(skip !== null)(`the settings pages in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const { call, login, admin } = authCalls(() => t.server.url);

  /** A user's first password replaced by `password` (the forced change), over REST. */
  const ownPassword = async (email: string, initial: string, password: string) => {
    const cookies = await login(email, initial);
    const changed = await call('PATCH', '/v1/user', cookies, {
      current_password: initial,
      new_password: password,
    });
    expect(changed.status).toBe(200);
  };
  const open = async () => {
    const { context, page } = await newPage(browser, { now: NOW });
    contexts.push(context);
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  };
  const userNamed = async (username: string) => {
    const users = await call('GET', '/v1/users', admin);
    return (users.json.data as { id: string; username: string; role: string }[]).find(
      (u) => u.username === username,
    );
  };

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer({}, { auth: TEST_AUTH });
    browser = await launchBrowser(t.server.httpPort);
    await ownPassword('admin@localhost', 'admin', 'settings-admin-1');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it(
    'lets an admin add a user with a role, change the role and delete a user, but not themselves',
    async () => {
      const page = await open();
      await logInAs(page, 'admin@localhost', 'settings-admin-1');
      await page.getByTestId('user-menu').locator('summary').click();
      await page.getByTestId('user-menu').getByRole('link', { name: 'Users' }).click();
      await page.waitForURL(/\/settings\/users$/);
      const users = page.getByTestId('users');
      const form = users.getByRole('form', { name: 'Add a user' });
      const add = async (username: string, role: string) => {
        await form.getByLabel('Username').fill(username);
        await form.getByLabel('Email').fill(`${username}@example.com`);
        await form.getByLabel('Role').selectOption(role);
        await form
          .getByLabel('Initial password (to be changed at first login)')
          .fill(`${username}-initial-1`);
        await form.getByRole('button', { name: 'Add user' }).click();
        await users.locator(`tr[data-username="${username}"]`).waitFor();
      };
      await add('vera', 'VIEWER');
      const vera = users.locator('tr[data-username="vera"]');
      expect(await vera.getByLabel('Role of vera').inputValue()).toBe('VIEWER');
      expect(await renderedText(vera)).toContain('to be changed at next login');
      expect((await userNamed('vera'))?.role).toBe('VIEWER');

      await vera.getByLabel('Role of vera').selectOption('MEMBER');
      await expect.poll(async () => (await userNamed('vera'))?.role).toBe('MEMBER');

      // Oneself: neither a role to change nor a delete button.
      const me = users.locator('tr[data-username="admin"]');
      expect(await renderedText(me)).toMatch(/admin \(you\)/);
      expect(await me.getByRole('combobox').count()).toBe(0);
      expect(await me.getByRole('button').count()).toBe(0);
      await screenshot(page, 'auth-users');

      await add('temp', 'MEMBER');
      await users.getByRole('button', { name: 'Delete user temp' }).click();
      await expect.poll(() => users.locator('tr[data-username="temp"]').count()).toBe(0);
      expect(await userNamed('temp')).toBeUndefined();

      // A duplicate is refused with the server's reason, and nothing changes.
      await add('vera', 'ADMIN').catch(() => undefined);
      await expect.poll(() => renderedText(users.getByRole('alert'))).toMatch(/already exists/);
      expect((await userNamed('vera'))?.role).toBe('MEMBER');
    },
    TIMEOUT,
  );

  it(
    'lets an admin create and delete a system key, shown once',
    async () => {
      const page = await open();
      await logInAs(page, 'admin@localhost', 'settings-admin-1');
      await page.goto(`${APP_ORIGIN}/settings/api-keys`);
      const system = page.getByTestId('system-api-keys');
      await system.getByLabel('Name').fill('collector');
      await system.getByLabel('Expires (optional)').fill('2099-12-31');
      await system.getByRole('button', { name: 'Create key' }).click();
      const key = await renderedText(system.getByTestId('new-api-key'));
      const listed = await call('GET', '/v1/system/api_keys', admin);
      const made = (listed.json.data as { name: string; expires_at: string | null }[]).find(
        (k) => k.name === 'collector',
      );
      expect(made?.expires_at).toMatch(/^2099-12-31T|^2100-01-01T/);
      expect((await call('GET', '/v1/projects', { authorization: `Bearer ${key}` })).status).toBe(200);
      await system.getByRole('button', { name: 'Done' }).click();
      expect(await system.getByTestId('new-api-key').count()).toBe(0);
      await system.getByRole('button', { name: 'Delete key collector' }).click();
      await expect.poll(() => system.getByRole('button', { name: 'Delete key collector' }).count()).toBe(0);
      await expect
        .poll(async () => (await call('GET', '/v1/projects', { authorization: `Bearer ${key}` })).status)
        .toBe(401);
    },
    TIMEOUT,
  );

  it(
    'shows a viewer their own keys only',
    async () => {
      const vera = await userNamed('vera');
      expect(
        (await call('PATCH', `/v1/users/${encodeURIComponent(vera!.id)}`, admin, { role: 'VIEWER' })).status,
      ).toBe(200);
      await ownPassword('vera@example.com', 'vera-initial-1', 'vera-own-password-1');
      const page = await open();
      await logInAs(page, 'vera@example.com', 'vera-own-password-1');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.waitForURL(/\/settings\/api-keys$/);
      const tabs = page.getByRole('navigation', { name: 'Settings' });
      expect(await renderedText(tabs)).toBe('API keys');
      expect(await page.getByTestId('system-api-keys').count()).toBe(0);
      const own = page.getByTestId('user-api-keys');
      await own.getByLabel('Name').fill('vera-notebook');
      await own.getByRole('button', { name: 'Create key' }).click();
      await own.getByTestId('new-api-key').waitFor();
      await expect.poll(() => own.getByRole('row').count()).toBe(2);
      await page.goto(`${APP_ORIGIN}/settings/users`);
      await page.waitForURL(/\/settings\/api-keys$/);
    },
    TIMEOUT,
  );
});

describe.skipIf(skip !== null)(`settings without authentication${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    browser = await launchBrowser(t.server.httpPort);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it(
    'has no settings link, and the page explains that authentication is off',
    async () => {
      let page: Page;
      ({ context, page } = await newPage(browser, { now: NOW }));
      await page.goto(`${APP_ORIGIN}/projects`);
      await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
      expect(
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count(),
      ).toBe(0);
      await page.goto(`${APP_ORIGIN}/settings`);
      await expect
        .poll(() => renderedText(page.getByTestId('settings-auth-off')))
        .toMatch(/Authentication is off.*PHOENIX_ENABLE_AUTH=true/s);
    },
    TIMEOUT,
  );
});
