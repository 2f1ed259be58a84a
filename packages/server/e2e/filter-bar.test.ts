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

/**
 * The filter bar (#19 E) in chromium: CodeMirror with the query package's tokenizer and checker,
 * completions from the project's filter vocabulary (an annotation name the project really has),
 * Enter applying, the URL keeping the filter, and a bad expression underlined at its characters
 * with the table left as it was; on the traces and the sessions tables.
 */
describe.skipIf(skip !== null)(`filter bar in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const rowCount = (p: Page) => p.locator('table[role="grid"]').getAttribute('aria-rowcount').then(Number);
  const editor = (p: Page) => p.getByRole('textbox', { name: 'Filter expression' });
  const completions = (p: Page) => p.locator('.cm-tooltip-autocomplete li');

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    await sendSampleData(t.server.url, NOW);
    // One trace's root span labelled: the name the filter bar should offer.
    const roots = (await (
      await fetch(`${t.server.url}/v1/ui/projects/chatbot/spans?root_spans_only=true`)
    ).json()) as { data: { span_id: string }[] };
    const answer = await fetch(`${t.server.url}/v1/span_annotations?sync=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        data: [
          {
            span_id: roots.data[0]!.span_id,
            name: 'correctness',
            annotator_kind: 'HUMAN',
            result: { label: 'correct', score: 1 },
          },
        ],
      }),
    });
    expect(answer.status).toBe(200);
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('completes an annotation name, applies the filter on Enter and keeps it in the URL', async () => {
    await page.goto(`${APP_ORIGIN}/projects/chatbot/traces`);
    await expect.poll(() => rowCount(page)).toBe(6);
    await editor(page).click();
    await page.keyboard.type("annotations['cor");
    await expect
      .poll(async () => (await completions(page).allInnerTexts()).join('\n'))
      .toContain("correctness'].label");
    // Highlighted by the tokenizer: the name and the (open) string are drawn apart.
    expect(await page.locator('.cm-content .fq-name').first().textContent()).toBe('annotations');
    await completions(page).filter({ hasText: "correctness'].label" }).first().click();
    await expect.poll(() => editor(page).textContent()).toBe("annotations['correctness'].label");
    await page.keyboard.type(" == 'correct'");
    await page.keyboard.press('Enter');
    await page.waitForURL(/filter=annotations/);
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(new URL(page.url()).searchParams.get('filter')).toBe(
      "annotations['correctness'].label == 'correct'",
    );

    // A reload shows the same filter and table.
    await page.reload();
    await expect.poll(() => editor(page).textContent()).toBe("annotations['correctness'].label == 'correct'");
    await expect.poll(() => rowCount(page)).toBe(1);
  });

  it('completes span fields (cost ones included) as they are typed, Enter accepting', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => rowCount(page)).toBe(6);
    await editor(page).click();
    await page.keyboard.type('cost.to');
    await expect
      .poll(async () => (await completions(page).allInnerTexts()).join('\n'))
      .toContain('cost.total');
    await page.keyboard.press('Enter'); // accepts the completion, applies nothing
    await expect.poll(() => editor(page).textContent()).toBe('cost.total');
    expect(new URL(page.url()).searchParams.get('filter')).toBeNull();
    await page.keyboard.press('Control+a');
    await page.keyboard.type("status_code == 'ERROR'"); // ends in a string: no completion open
    await page.keyboard.press('Enter');
    await expect.poll(() => rowCount(page)).toBe(1);
  });

  it('underlines a bad expression at its characters with the checker’s message; the table stays', async () => {
    await editor(page).click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type("span_kind == 'CHAIN' and latncy_ms > 3");
    const squiggle = page.locator('.cm-content .filter-squiggle');
    await expect.poll(() => squiggle.count()).toBe(1);
    expect(await squiggle.textContent()).toBe('latncy_ms');
    expect(await editor(page).getAttribute('aria-invalid')).toBe('true');
    const error = page.locator('.filter-error');
    expect(await renderedText(error)).toMatch(/Unknown name 'latncy_ms'.*column 26/);
    expect(await renderedText(error)).toContain("Did you mean 'latency_ms'?");
    await page.keyboard.press('Enter'); // refused: the applied filter and the table are unchanged
    expect(new URL(page.url()).searchParams.get('filter')).toBe("status_code == 'ERROR'");
    expect(await rowCount(page)).toBe(1);
    await screenshot(page, 'filter-bar');
  });

  it('filters the sessions table by its root spans, kept in the URL', async () => {
    await page.goto(`${APP_ORIGIN}/projects/chatbot/sessions`);
    await expect.poll(() => rowCount(page)).toBe(2);
    await editor(page).click();
    // The trailing space ends the word: no completion open, so Enter applies.
    await page.keyboard.type("'session' in input.value ");
    await page.keyboard.press('Enter');
    await page.waitForURL(/filter=/);
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(await renderedText(page.locator('tr.table-row').first())).toContain('conversation-beta');
  });
});
