import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { APP_ORIGIN, assertUiBuilt, browserSkipReason, launchBrowser, newPage } from './browser.js';
import { sendSampleData } from './sample-traces.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();

interface StoredAnnotation {
  name: string;
  result: { label: string | null; score: number | null };
}

/**
 * The annotation panel driven by the project's annotation configs, in chromium against a real
 * server: a categorical config offers its values (with their scores), a continuous one refuses a
 * score beyond its bounds before anything is sent; what is saved is read back through the REST API.
 */
describe.skipIf(skip !== null)(`annotation configs in the UI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let spanId: string;
  let traceId: string;

  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever the API answered
  const rest = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const annotations = async (): Promise<StoredAnnotation[]> =>
    (await rest('GET', `/v1/projects/chatbot/span_annotations?span_ids=${spanId}`)).data;

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer({}, { allowedHosts: ['fawkes.test'] });
    base = t.server.url;
    await sendSampleData(base, NOW);
    const span = (await rest('GET', '/v1/projects/chatbot/spans?limit=1')).data[0];
    spanId = span.context.span_id;
    traceId = span.context.trace_id;
    await rest('POST', '/v1/annotation_configs', {
      name: 'correctness',
      type: 'CATEGORICAL',
      optimization_direction: 'MAXIMIZE',
      description: 'Is the answer right?',
      values: [
        { label: 'correct', score: 1 },
        { label: 'incorrect', score: 0 },
      ],
    });
    await rest('POST', '/v1/annotation_configs', {
      name: 'quality',
      type: 'CONTINUOUS',
      optimization_direction: 'MAXIMIZE',
      lower_bound: 0,
      upper_bound: 5,
    });
    await rest('PUT', '/v1/projects/chatbot/annotation_configs/correctness');
    await rest('PUT', '/v1/projects/chatbot/annotation_configs/quality');
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('offers a categorical config’s values, saving the chosen value’s label and score', async () => {
    await page.goto(`${APP_ORIGIN}/projects/chatbot/traces/${traceId}?span=${spanId}`);
    await page.getByRole('tab', { name: /^Annotations/ }).click();
    await page.getByRole('button', { name: 'Add annotation' }).click();
    const form = page.getByRole('form', { name: 'New annotation' });
    await form.getByLabel('Name').fill('correctness');
    const label = form.getByLabel('Label');
    await expect.poll(() => label.evaluate((e) => e.tagName)).toBe('SELECT');
    expect(await label.locator('option').allTextContents()).toEqual(['—', 'correct', 'incorrect']);
    await expect.poll(() => form.getByText('Is the answer right?').count()).toBe(1);
    await label.selectOption('incorrect');
    expect(await form.getByLabel('Score').inputValue()).toBe('0');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('annotation-row').count()).toBe(1);
    expect(await annotations()).toEqual([
      expect.objectContaining({
        name: 'correctness',
        result: expect.objectContaining({ label: 'incorrect', score: 0 }),
      }),
    ]);
  });

  it('bounds a continuous config’s score: out of bounds cannot be saved', async () => {
    await page.getByRole('button', { name: 'Add annotation' }).click();
    const form = page.getByRole('form', { name: 'New annotation' });
    await form.getByLabel('Name').fill('quality');
    const score = form.getByLabel('Score');
    await expect.poll(() => score.getAttribute('max')).toBe('5');
    expect(await score.getAttribute('min')).toBe('0');
    await score.fill('7');
    await expect.poll(() => form.getByText('The score must be between 0 and 5.').count()).toBe(1);
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await score.fill('4.5');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('annotation-row').count()).toBe(2);
    const quality = (await annotations()).filter((a) => a.name === 'quality');
    expect(quality).toEqual([expect.objectContaining({ result: expect.objectContaining({ score: 4.5 }) })]);
  });

  it('shows the server’s refusal of a value the config no longer allows', async () => {
    // The config narrows after the form opened: the server's 422 is shown and nothing changes.
    await page.getByRole('button', { name: 'Add annotation' }).click();
    const form = page.getByRole('form', { name: 'New annotation' });
    await form.getByLabel('Name').fill('quality');
    await form.getByLabel('Score').fill('3');
    const quality = (await rest('GET', '/v1/annotation_configs/quality')).data;
    await rest('PUT', `/v1/annotation_configs/${quality.id}`, {
      name: 'quality',
      type: 'CONTINUOUS',
      optimization_direction: 'MAXIMIZE',
      lower_bound: 0,
      upper_bound: 1,
    });
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.textContent()).toContain('less than or equal to 1');
    expect((await annotations()).filter((a) => a.name === 'quality')).toEqual([
      expect.objectContaining({ result: expect.objectContaining({ score: 4.5 }) }),
    ]);
  });
});
