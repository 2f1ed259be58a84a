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
import { agentTurn, exportSpans, sendSampleData } from './sample-traces.js';

/** The pages' clock and the data's: the sample turns happen during the hour before. */
const NOW = Date.parse('2025-03-01T12:00:00Z');

const skip = browserSkipReason();

const text = renderedText;

/**
 * The web UI in a real browser (Debian's chromium through playwright-core) against a real server fed
 * by the OTLP exporter: every page, the filter bar, a trace, a session, annotations written from the
 * UI and read back through the REST API, live updates, themes, empty and error states. Screenshots
 * of each page land in packages/ui/screenshots/.
 */
describe.skipIf(skip !== null)(`web UI in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The server, for the test's own requests. */
  let base: string;
  /** The same server, as the browser sees it. */
  const app = APP_ORIGIN;
  const rest = async <T>(path: string): Promise<T> => (await fetch(`${base}${path}`)).json() as Promise<T>;
  const rowCount = (p: Page) => p.locator('table[role="grid"]').getAttribute('aria-rowcount').then(Number);

  beforeAll(async () => {
    assertUiBuilt();
    t = await startTestServer();
    base = t.server.url;
    await sendSampleData(base, NOW);
    browser = await launchBrowser(t.server.httpPort);
    ({ context, page } = await newPage(browser, { now: NOW }));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('lists the projects with their figures', async () => {
    await page.goto(`${app}/`);
    await page.waitForURL(/\/projects$/);
    const cards = page.getByTestId('project-card');
    await expect.poll(() => cards.count()).toBe(2);
    const chatbot = cards.filter({ hasText: 'chatbot' });
    await expect.poll(() => text(chatbot)).toMatch(/TRACES\s+6\s+SPANS\s+30\s+SESSIONS\s+2/i);
    expect(await text(chatbot)).toMatch(/1\.16 s/);
    await screenshot(page, 'projects');
  });

  it('shows a project’s traces, newest first, and its figures', async () => {
    await page.getByTestId('project-card').filter({ hasText: 'chatbot' }).click();
    await page.waitForURL(/\/projects\/chatbot\/traces$/);
    await expect.poll(() => rowCount(page)).toBe(6);
    const first = page.locator('tr.table-row').first();
    expect(await text(first)).toContain('What is a session?');
    expect(await text(page.locator('.stats-bar'))).toMatch(/TRACES\s+6/i);
    await screenshot(page, 'traces');
  });

  it('filters with a valid expression', async () => {
    const input = page.getByLabel('Filter expression');
    await input.fill("status_code == 'ERROR'");
    await input.press('Enter');
    await page.waitForURL(/filter=/);
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(await text(page.locator('tr.table-row').first())).toContain('How do I filter LLM spans?');
    await screenshot(page, 'traces-filtered');
  });

  it('shows an invalid expression’s error inline as it is typed, and keeps the applied filter', async () => {
    const input = page.getByLabel('Filter expression');
    await input.fill("status_code == 'ERROR' and latency_ms >");
    const error = page.locator('.filter-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await text(error)).toMatch(/column \d+.*expected/i);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.filter-squiggle').count()).toBe(1);
    await input.press('Enter'); // refused: nothing changes
    expect(await rowCount(page)).toBe(1);
    await screenshot(page, 'filter-error');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => rowCount(page)).toBe(6);
  });

  it('sorts by a column', async () => {
    await page.getByRole('button', { name: /Tokens/ }).click();
    await page.waitForURL(/sort=token_count_total/);
    await expect
      .poll(async () => (await text(page.locator('tr.table-row').first())).includes('480'))
      .toBe(true);
    await page.getByRole('button', { name: /Tokens/ }).click(); // ascending
    await expect
      .poll(async () => (await text(page.locator('tr.table-row').first())).includes('380'))
      .toBe(true);
  });

  it('lists every span in the Spans tab and opens one from the keyboard', async () => {
    await page.getByRole('link', { name: 'Spans', exact: true }).click();
    await page.waitForURL(/\/spans/);
    await expect.poll(() => rowCount(page)).toBe(30);
    await screenshot(page, 'spans');
    const grid = page.locator('table[role="grid"]');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('tr.table-row.active').getAttribute('aria-rowindex')).toBe('3');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
  });

  it('shows a trace: the span tree on a timeline, LLM messages with tool calls, documents, exceptions', async () => {
    const { data } = await rest<{ data: { trace_id: string; status_code: string }[] }>(
      '/v1/ui/projects/chatbot/spans?root_spans_only=true',
    );
    const failing = data.find((r) => r.status_code === 'ERROR')!;
    await page.goto(`${app}/projects/chatbot/traces/${failing.trace_id}`);
    const rows = page.getByTestId('span-tree-row');
    await expect.poll(() => rows.count()).toBe(5);
    expect(await page.locator('.timeline-bar').count()).toBe(5);
    await screenshot(page, 'trace');

    await rows.filter({ hasText: 'ChatCompletion' }).first().click();
    await expect.poll(() => page.getByTestId('chat-message').count()).toBe(3);
    expect(await text(page.getByTestId('tool-call'))).toContain('search_docs');
    expect(await text(page.locator('.template'))).toContain('{question}');
    await screenshot(page, 'trace-llm');

    await rows.filter({ hasText: 'retrieve' }).click();
    await expect.poll(() => page.getByTestId('document').count()).toBe(2);
    expect(await text(page.getByTestId('document').first())).toContain('0.92');

    await rows.filter({ hasText: 'search_docs' }).click();
    const exception = page.getByTestId('exception');
    await expect.poll(() => exception.count()).toBe(1);
    expect(await text(exception)).toMatch(/search index unavailable[\s\S]*at /);
    await screenshot(page, 'trace-exception');

    await page.getByRole('tab', { name: 'Attributes' }).click();
    expect(await text(page.locator('.json-tree'))).toContain('tool');
    await page.getByRole('tab', { name: /Events/ }).click();
    expect(await page.locator('.event.exception').count()).toBe(1);

    // A deep link survives a reload.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(5);
  });

  it('adds, edits and deletes a human annotation and a note on a span, stored through the REST API', async () => {
    const spanId = new URL(page.url()).searchParams.get('span')!;
    const annotations = () =>
      rest<{
        data: {
          name: string;
          result: { label: string | null; score: number | null };
          annotator_kind: string;
        }[];
      }>(`/v1/projects/chatbot/span_annotations?span_ids=${spanId}`);
    await page.getByRole('tab', { name: /^Annotations/ }).click();
    await page.getByRole('button', { name: 'Add annotation' }).click();
    const form = page.getByRole('form', { name: 'New annotation' });
    await form.getByLabel('Name').fill('correctness');
    await form.getByLabel('Label').fill('correct');
    await form.getByLabel('Score').fill('1');
    await form.getByLabel('Explanation').fill('Grounded in the retrieved documents.');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('annotation-row').count()).toBe(1);
    expect((await annotations()).data).toEqual([
      expect.objectContaining({
        name: 'correctness',
        annotator_kind: 'HUMAN',
        result: expect.objectContaining({ label: 'correct', score: 1 }),
      }),
    ]);

    await page.getByTestId('annotation-row').getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit annotation' });
    await edit.getByLabel('Label').fill('incorrect');
    await edit.getByLabel('Score').fill('0');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => text(page.getByTestId('annotation-row'))).toContain('incorrect');
    const edited = (await annotations()).data.filter((a) => a.name === 'correctness');
    expect(edited).toHaveLength(1);
    expect(edited[0]!.result).toMatchObject({ label: 'incorrect', score: 0 });

    await page.getByLabel('New note').fill('The tool failed: check the search index.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.getByTestId('note').count()).toBe(1);
    const notes = (await annotations()).data.filter((a) => a.name === 'note');
    expect(notes).toHaveLength(1);
    await screenshot(page, 'annotations');

    await page.getByTestId('annotation-row').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('annotation-row').count()).toBe(0);
    await page.getByTestId('note').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('note').count()).toBe(0);
    expect((await annotations()).data).toEqual([]);
  });

  it('lists sessions and shows one as a conversation, each turn linking to its trace', async () => {
    await page.goto(`${app}/projects/chatbot/sessions`);
    await expect.poll(() => rowCount(page)).toBe(2);
    await screenshot(page, 'sessions');
    await page.locator('tr.table-row', { hasText: 'conversation-alpha' }).click();
    await page.waitForURL(/\/sessions\/conversation-alpha/);
    const turns = page.getByTestId('session-turn');
    await expect.poll(() => turns.count()).toBe(3);
    expect(await text(turns.first())).toMatch(/Where does Fawkes keep my spans\?[\s\S]*In SQLite by default/);

    const panel = page.getByTestId('annotations-session');
    await panel.getByRole('button', { name: 'Add annotation' }).click();
    await panel.getByLabel('Name').fill('satisfaction');
    await panel.getByLabel('Label').fill('happy');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => panel.getByTestId('annotation-row').count()).toBe(1);
    const stored = await rest<{ data: { name: string; session_id: string; result: { label: string } }[] }>(
      '/v1/projects/chatbot/session_annotations?session_ids=conversation-alpha',
    );
    expect(stored.data).toEqual([
      expect.objectContaining({
        name: 'satisfaction',
        session_id: 'conversation-alpha',
        result: expect.objectContaining({ label: 'happy' }),
      }),
    ]);
    await screenshot(page, 'session');

    await turns
      .first()
      .getByRole('link', { name: /View trace/ })
      .click();
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
    await expect.poll(() => page.getByTestId('span-tree-row').count()).toBe(5);
  });

  it('shows new traces as they arrive, without a reload', async () => {
    await page.goto(`${app}/projects/batch-jobs/traces`);
    await expect.poll(() => rowCount(page)).toBe(3);
    await expect.poll(() => text(page.getByTestId('live-status'))).toBe('Live');
    await exportSpans(
      base,
      agentTurn({
        project: 'batch-jobs',
        question: 'A brand new question',
        answer: 'Fresh.',
        startMs: NOW - 1000,
      }),
    );
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(4);
    expect(await text(page.locator('tr.table-row').first())).toContain('A brand new question');
    await expect.poll(() => text(page.locator('.stats-bar')), { timeout: 10_000 }).toMatch(/TRACES\s+4/i);
  });

  it('designs empty and error states', async () => {
    await fetch(`${base}/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'empty-project' }),
    });
    await page.goto(`${app}/projects/empty-project/traces`);
    await expect.poll(() => page.getByText('No traces yet').count()).toBe(1);
    await screenshot(page, 'empty');
    await page.goto(`${app}/projects/no-such-project/traces`);
    await expect.poll(() => text(page.getByRole('alert'))).toContain('no-such-project');
    await page.goto(`${app}/nowhere/at/all`);
    await expect.poll(() => page.getByText('Page not found').count()).toBe(1);
  });

  it('switches to the dark theme and remembers it', async () => {
    await page.goto(`${app}/projects/chatbot/traces`);
    await expect.poll(() => rowCount(page)).toBe(6);
    await page.getByRole('button', { name: /dark theme/ }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await screenshot(page, 'traces-dark');
    await page.reload();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    const { data } = await rest<{ data: { trace_id: string }[] }>(
      '/v1/ui/projects/chatbot/spans?root_spans_only=true',
    );
    await page.goto(`${app}/projects/chatbot/traces/${data[1]!.trace_id}`);
    await expect.poll(() => page.getByTestId('span-tree-row').count()).toBe(5);
    await page.getByTestId('span-tree-row').filter({ hasText: 'ChatCompletion' }).first().click();
    await screenshot(page, 'trace-dark');
    await page.goto(`${app}/projects/chatbot/sessions/conversation-beta`);
    await expect.poll(() => page.getByTestId('session-turn').count()).toBe(3);
    await screenshot(page, 'session-dark');
  });
});
