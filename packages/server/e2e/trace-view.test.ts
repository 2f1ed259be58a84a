import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loggedSpan } from '../test-support/rest-client.js';
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
import { sendSampleData } from './sample-traces.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const skip = browserSkipReason();
const text = renderedText;

/** A trace of one LLM span with a long chat history (fixed ids: the screenshots stay the same). */
const LONG = { traceId: '7a'.repeat(16), spanId: '7b'.repeat(8) };
const HISTORY = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Question one?' },
  { role: 'assistant', content: 'Answer one.' },
  { role: 'user', content: 'Question two?' },
  { role: 'assistant', content: 'Answer two.' },
  { role: 'user', content: 'The last question?' },
];

/**
 * The trace view for LLM work (#19 F): search inside a trace, tool definitions and calls on the LLM
 * span's Info tab, folded message histories, copy buttons, a 404 inside a project and the empty
 * project's snippets, in chromium against a real server fed by the OTLP exporter.
 */
describe.skipIf(skip !== null)(`trace view in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const app = APP_ORIGIN;
  const rows = () => page.getByTestId('span-tree-row');
  const count = () => text(page.getByTestId('trace-search-count'));
  const detailsTitle = () => text(page.locator('.span-details-head h2'));
  /** What the page last copied (http on a test host has no clipboard API: the copy event's text). */
  const copied = () => page.evaluate('window.__copied');
  let failedTrace: string;

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    base = t.server.url;
    await sendSampleData(base, NOW);
    const start = new Date(NOW - 5 * 60_000);
    const logged = await api(base).post('/v1/projects/chatbot/spans', {
      data: [
        loggedSpan({
          ...LONG,
          name: 'LongChat',
          kind: 'LLM',
          start: start.toISOString(),
          end: new Date(start.getTime() + 900).toISOString(),
          attributes: {
            llm: {
              model_name: 'gpt-4o',
              input_messages: HISTORY.map((message) => ({ message })),
              output_messages: [{ message: { role: 'assistant', content: 'The last answer.' } }],
            },
          },
        }),
      ],
    });
    expect(logged.status).toBe(202);
    const spans = (await (
      await fetch(`${base}/v1/ui/projects/chatbot/spans?root_spans_only=true`)
    ).json()) as {
      data: { trace_id: string; status_code: string }[];
    };
    failedTrace = spans.data.find((s) => s.status_code === 'ERROR')!.trace_id;
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
    // Runs in the page; the tests' type-check has no DOM library.
    await page.addInitScript(() => {
      type Field = { value?: unknown; selectionStart: number; selectionEnd: number };
      const page = globalThis as unknown as {
        document: { addEventListener(type: string, listener: () => void): void; activeElement: Field | null };
        __copied: string;
      };
      page.document.addEventListener('copy', () => {
        const el = page.document.activeElement;
        page.__copied =
          el && typeof el.value === 'string' ? el.value.slice(el.selectionStart, el.selectionEnd) : '';
      });
    });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('searches inside a trace: matches counted, highlighted, stepped through and filtered', async () => {
    await page.goto(`${app}/projects/chatbot/traces/${failedTrace}`);
    await expect.poll(() => rows().count()).toBe(5);
    const search = page.getByLabel('Search in this trace');
    // search_docs: the planning LLM span (its tool call and tool definition) and the tool span.
    await search.fill('SEARCH_DOCS');
    await expect.poll(count).toBe('1 of 2');
    expect(await page.locator('.tree-row.match').count()).toBe(2);
    expect(await detailsTitle()).toContain('ChatCompletion');
    await search.press('Enter');
    await expect.poll(count).toBe('2 of 2');
    await expect.poll(detailsTitle).toContain('search_docs');
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(count).toBe('1 of 2');
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(count).toBe('2 of 2');
    // Attribute text: only the retriever holds the documents' contents.
    await search.fill('phoenix clients talk');
    await expect.poll(count).toBe('1 of 1');
    await expect.poll(detailsTitle).toContain('retrieve');
    await search.fill('search_docs');
    await expect.poll(count).toBe('1 of 2');
    await page.getByLabel('only matches').check();
    // The matches and their ancestor (the agent); the retriever and the answer are hidden.
    await expect.poll(() => rows().count()).toBe(3);
    expect(await text(page.locator('.span-tree-body'))).not.toContain('retrieve');
    await screenshot(page, 'trace-search');
    await page.getByLabel('only matches').uncheck();
    await expect.poll(() => rows().count()).toBe(5);
    await search.fill('no such text anywhere');
    await expect.poll(count).toBe('no match');
    expect(await page.locator('.tree-row.match').count()).toBe(0);
    await search.fill('');
  });

  it("shows the LLM span's tool definitions and tool calls on its Info tab, with copy buttons", async () => {
    await page.goto(`${app}/projects/chatbot/traces/${failedTrace}`);
    await expect.poll(() => rows().count()).toBe(5);
    await rows().filter({ hasText: 'ChatCompletion' }).first().click();
    const definition = page.getByTestId('tool-definition');
    await expect.poll(() => definition.count()).toBe(1);
    expect(await text(definition)).toMatch(/search_docs[\s\S]*Parameters[\s\S]*query/);
    const call = page.getByTestId('tool-call');
    expect(await text(call)).toMatch(/search_docs\s+call_1/);
    expect(await text(call)).toContain('How do I filter LLM spans?');
    await call.getByRole('button', { name: /Copy arguments/ }).click();
    await expect.poll(copied).toBe(JSON.stringify({ query: 'How do I filter LLM spans?' }));
    await expect.poll(() => text(call.getByTestId('copy-button'))).toBe('Copied');
    await definition.getByRole('button', { name: /Copy schema/ }).click();
    await expect.poll(() => copied().then((c) => JSON.parse(String(c)).function.name)).toBe('search_docs');
    // The ids.
    await page
      .locator('.page-header')
      .getByRole('button', { name: /Copy id/ })
      .click();
    await expect.poll(copied).toBe(failedTrace);
    await screenshot(page, 'llm-tools');
  });

  it('folds a long message history to its first and last messages, "Show N more" shows all', async () => {
    await page.goto(`${app}/projects/chatbot/traces/${LONG.traceId}`);
    await expect.poll(() => rows().count()).toBe(1);
    const input = page.locator('.block').filter({ hasText: 'Input messages' });
    await expect.poll(() => input.getByTestId('chat-message').count()).toBe(2);
    expect(await text(input)).toContain('You are terse.');
    expect(await text(input)).toContain('The last question?');
    expect(await text(input)).not.toContain('Question two?');
    await input.getByTestId('show-more-messages').click();
    await expect.poll(() => input.getByTestId('chat-message').count()).toBe(6);
    expect(await text(input)).toContain('Question two?');
    await input.getByTestId('chat-message').nth(3).getByTestId('copy-button').click();
    await expect.poll(copied).toBe('Question two?');
    // The Attributes tab copies values.
    await page.getByRole('tab', { name: 'Attributes' }).click();
    const leaf = page.locator('.json-leaf').filter({ hasText: 'model_name' });
    await leaf.hover();
    await leaf.getByTestId('copy-button').click();
    await expect.poll(copied).toBe('gpt-4o');
  });

  it('says what was not found inside a project and links back to it', async () => {
    await page.goto(`${app}/projects/chatbot/traces/${'0'.repeat(31)}1`);
    const notFound = page.getByTestId('not-found-in-project');
    await expect.poll(() => text(notFound)).toContain('Trace not found');
    expect(await text(notFound)).toContain(`chatbot has no trace ${'0'.repeat(31)}1`);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await notFound.getByRole('link', { name: 'Back to chatbot' }).click();
    await page.waitForURL(/\/projects\/chatbot\/traces$/);
    await page.goto(`${app}/projects/chatbot/sessions/no-such-session`);
    await expect.poll(() => text(notFound)).toContain('Session not found');
    expect(await text(notFound)).toContain('no-such-session');
    await notFound.getByRole('link', { name: 'Back to chatbot' }).click();
    await page.waitForURL(/\/projects\/chatbot\/sessions$/);
    await page.goto(`${app}/projects/chatbot/traces/${LONG.traceId}?span=${'9'.repeat(16)}`);
    await expect.poll(() => text(page.getByTestId('span-not-found'))).toContain('is not in this trace');
  });

  it('shows an empty project Python and TypeScript snippets with its endpoint and name', async () => {
    const created = await api(base).post('/v1/projects', { name: 'fresh-project' });
    expect(created.status).toBeLessThan(300);
    await page.goto(`${app}/projects/fresh-project/traces`);
    const python = page.getByTestId('snippet-python');
    await expect.poll(() => python.count()).toBe(1);
    const endpoint = `http://${BROWSER_TEST_HOST}/v1/traces`;
    expect(await text(python)).toContain('project_name="fresh-project"');
    expect(await text(python)).toContain(`endpoint="${endpoint}"`);
    const typescript = await text(page.getByTestId('snippet-typescript'));
    expect(typescript).toContain('[SEMRESATTRS_PROJECT_NAME]: "fresh-project"');
    expect(typescript).toContain(`url: '${endpoint}'`);
    await page.getByRole('button', { name: /Copy Python/ }).click();
    await expect.poll(copied).toContain('from phoenix.otel import register');
    await screenshot(page, 'empty-project');
  });
});
