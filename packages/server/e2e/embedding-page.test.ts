import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportClusters, exportRows, type Inferences } from '@fawkes/inferences';
import type pl from 'nodejs-polars';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, launchApp } from '../src/app/launch-app.js';
import type { Session } from '../src/app/session.js';
import { loadFixtureSet } from '../test-support/inference-fixtures.js';
import { BROWSER_TEST_HOST } from '../test-support/test-server.js';
import {
  APP_ORIGIN,
  assertUiBuilt,
  browserSkipReason,
  CHROMIUM,
  renderedText,
  screenshot,
} from './browser.js';

const skip = browserSkipReason();

const text = renderedText;

interface Cluster {
  id: string;
  size: number;
  drift_ratio: number | null;
  event_ids: string[];
}

const rowsOf = (frame: pl.DataFrame) => ({ columns: frame.columns, rows: frame.rows() });

/**
 * Issue #18's walk in chromium (WebGL through SwiftShader): a launched app with the nlp fixture's
 * primary and reference → Model → the embedding → the cloud draws → the most drifted cluster is
 * first → select it → export → the file exists and session.exports.at(-1) has exactly its rows.
 */
describe.skipIf(skip !== null)(`the embedding page in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let session: Session;
  let workingDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let primary: Inferences;
  let reference: Inferences;
  let umapCalls = 0;

  beforeAll(async () => {
    assertUiBuilt();
    [primary, reference] = await Promise.all([
      loadFixtureSet('nlp', 'primary'),
      loadFixtureSet('nlp', 'reference'),
    ]);
    workingDir = mkdtempSync(join(tmpdir(), 'fawkes-embedding-ui-'));
    // launchApp reads FAWKES_ALLOWED_HOSTS like the server: the browser opens it at BROWSER_TEST_HOST.
    process.env.FAWKES_ALLOWED_HOSTS = BROWSER_TEST_HOST;
    session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true, workingDir });
    delete process.env.FAWKES_ALLOWED_HOSTS;
    const port = new URL(session.url).port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        `--host-resolver-rules=MAP ${BROWSER_TEST_HOST}:80 127.0.0.1:${port}`,
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('request', (request) => {
      if (request.url().includes('/umap') && request.method() === 'POST') umapCalls++;
    });
  }, 120_000);
  /** The server's cloud for the page's parameters (cached there, so no second projection). */
  const pointCloudOf = async (name: string) =>
    (await (
      await fetch(
        `${session.url.replace(/\/$/, '')}/v1/inferences/embeddings/${encodeURIComponent(name)}/umap`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
      )
    ).json()) as { data: { clusters: Cluster[] } };
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await closeApp({ deleteData: true });
    if (workingDir) rmSync(workingDir, { recursive: true, force: true });
  });

  it('opens the embedding from the model page, draws the cloud and lists the most drifted cluster first', async () => {
    await page.goto(`${APP_ORIGIN}/model`);
    const link = page.getByTestId('embeddings-table').getByRole('link').first();
    const name = await text(link);
    await link.click();
    await page.waitForURL((url) => url.pathname === `/model/embeddings/${encodeURIComponent(name)}`);
    const cloud = page.getByTestId('point-cloud');
    await cloud.waitFor({ timeout: 60_000 });
    expect(Number(await cloud.getAttribute('data-points'))).toBeGreaterThan(0);
    expect(umapCalls).toBe(1);

    const answer = await pointCloudOf(name);
    const mostDrifted = [...answer.data.clusters].sort(
      (a, b) => (b.drift_ratio ?? -2) - (a.drift_ratio ?? -2),
    )[0]!;
    const first = page.getByTestId('clusters').getByRole('button').first();
    expect(await first.getAttribute('data-cluster-id')).toBe(mostDrifted.id);
    await screenshot(page, 'embedding');
    // Above the cloud's own 60 s wait: the first projection runs UMAP on a loaded machine.
  }, 90_000);

  it('selects the most drifted cluster and exports exactly its rows to session.exports', async () => {
    const first = page.getByTestId('clusters').getByRole('button').first();
    const clusterId = (await first.getAttribute('data-cluster-id'))!;
    await first.click();
    expect(await first.getAttribute('aria-pressed')).toBe('true');
    const name = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const answer = await pointCloudOf(name);
    const cluster = answer.data.clusters.find((c) => c.id === clusterId)!;
    await expect
      .poll(() => text(page.getByTestId('selection-count')))
      .toBe(`${cluster.event_ids.length} points selected`);

    const before = session.exports.length;
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Exported' });
    await dialog.waitFor();
    const fileName = await text(dialog.getByTestId('export-file'));
    expect(existsSync(join(workingDir, 'exports', `${fileName}.parquet`))).toBe(true);
    expect(await dialog.getByRole('link').getAttribute('href')).toBe(
      `/exports?filename=${encodeURIComponent(fileName)}`,
    );
    expect(await text(dialog)).toContain('activeSession()!.exports.at(-1)');
    expect(session.exports.length).toBe(before + 1);
    expect(rowsOf(session.exports.at(-1)!)).toEqual(
      rowsOf(exportClusters({ primary, reference }, [{ id: cluster.id, eventIds: cluster.event_ids }])),
    );
    await screenshot(page, 'embedding-export');
  });
  it('colours by correctness: the legend names correct and incorrect', async () => {
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await text(page.getByTestId('cloud-legend'))).toContain('primary');
    await page.getByLabel('Colour by').selectOption({ label: 'Correctness' });
    await expect.poll(() => text(page.getByTestId('cloud-legend'))).toContain('incorrect');
  });

  it('re-clusters with a new minimum cluster size without a second UMAP request', async () => {
    const umapBefore = umapCalls;
    const sizesBefore = await page.getByTestId('clusters').getByRole('button').count();
    const form = page.getByRole('form', { name: 'HDBSCAN settings' });
    await form.getByLabel('Minimum cluster size').fill('1');
    await form.getByRole('button', { name: 'Apply HDBSCAN' }).click();
    await expect.poll(() => text(form)).toContain('min_cluster_size must be a whole number from 2');
    const recluster = page.waitForResponse(
      (r) => r.url().endsWith('/clusters') && r.request().method() === 'POST',
    );
    await form.getByLabel('Minimum cluster size').fill('400');
    await form.getByRole('button', { name: 'Apply HDBSCAN' }).click();
    expect((await recluster).status()).toBe(200);
    await expect.poll(() => page.getByTestId('clusters').getByRole('button').count()).not.toBe(sizesBefore);
    expect(umapCalls).toBe(umapBefore);
  });
  it('lassoes points on the cloud: the selection lists exactly those inside, and exports them', async () => {
    await page.getByRole('toolbar', { name: 'Point cloud' }).getByRole('button', { name: 'Lasso' }).click();
    const cloud = page.getByTestId('point-cloud');
    expect(await cloud.getAttribute('data-mode')).toBe('lasso');
    const box = (await cloud.boundingBox())!;
    const count = Number(await cloud.getAttribute('data-points'));
    const screen = (await page.evaluate(
      `Array.from({ length: ${count} }, (_, i) => window.__embeddingCloud.screenPosition(i))`,
    )) as ({ x: number; y: number } | null)[];
    const name = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const answer = (await pointCloudOf(name)) as unknown as { data: { points: { event_id: string }[] } };
    // A square around a point well inside the cloud; points within 2 px of its sides may fall either way.
    const half = Math.min(box.width, box.height) / 16;
    const centre = screen.find(
      (p) =>
        p && p.x > 2 * half && p.y > 2 * half && p.x < box.width - 2 * half && p.y < box.height - 2 * half,
    )!;
    const [cx, cy] = [centre.x, centre.y];
    const within = (margin: number) =>
      screen
        .map((p, i) =>
          p && Math.abs(p.x - cx) < half + margin && Math.abs(p.y - cy) < half + margin
            ? answer.data.points[i]!.event_id
            : null,
        )
        .filter((id) => id !== null)
        .sort();
    const surely = within(-2);
    const maybe = within(2);
    expect(surely.length).toBeGreaterThan(0);
    const corners = [
      [cx - half, cy - half],
      [cx + half, cy - half],
      [cx + half, cy + half],
      [cx - half, cy + half],
    ] as const;
    await page.mouse.move(box.x + corners[0][0], box.y + corners[0][1]);
    await page.mouse.down();
    for (const [x, y] of [...corners.slice(1), corners[0]]) {
      await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
    }
    await page.mouse.up();
    const items = page.getByTestId('selection-items').locator('[data-event-id]');
    await expect.poll(() => text(page.getByTestId('selection-count'))).not.toBe('0 points selected');
    const listed = await items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-event-id')!));
    listed.sort();
    expect(listed.length).toBe(Number((await text(page.getByTestId('selection-count'))).split(' ')[0]));
    for (const id of surely) expect(listed).toContain(id);
    for (const id of listed) expect(maybe).toContain(id);

    const before = session.exports.length;
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Exported' });
    await dialog.waitFor();
    const fileName = await text(dialog.getByTestId('export-file'));
    expect(existsSync(join(workingDir, 'exports', `${fileName}.parquet`))).toBe(true);
    expect(session.exports.length).toBe(before + 1);
    expect(rowsOf(session.exports.at(-1)!)).toEqual(rowsOf(exportRows({ primary, reference }, listed)));
    await page.getByRole('button', { name: 'Close' }).click();
    await screenshot(page, 'embedding-lasso');
  });

  it('clicks a point: it alone is selected and the selection panel shows it', async () => {
    await page.getByRole('toolbar', { name: 'Point cloud' }).getByRole('button', { name: 'Move' }).click();
    const cloud = page.getByTestId('point-cloud');
    expect(await cloud.getAttribute('data-mode')).toBe('move');
    const box = (await cloud.boundingBox())!;
    const count = Number(await cloud.getAttribute('data-points'));
    const screen = (await page.evaluate(
      `Array.from({ length: ${count} }, (_, i) => window.__embeddingCloud.screenPosition(i))`,
    )) as ({ x: number; y: number } | null)[];
    const name = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const answer = (await pointCloudOf(name)) as unknown as {
      data: { points: { event_id: string; prediction_id: string | null }[] };
    };
    // The most isolated point inside the canvas (UMAP packs clusters tight): with no other within
    // 1.5 px, the nearest to a click on it (even rounded to whole pixels) is surely it.
    const gap = (i: number) => {
      const p = screen[i]!;
      let nearest = Number.POSITIVE_INFINITY;
      screen.forEach((q, j) => {
        if (j !== i && q !== null) nearest = Math.min(nearest, Math.hypot(q.x - p.x, q.y - p.y));
      });
      return nearest;
    };
    let isolated = -1;
    let widest = 1.5;
    screen.forEach((p, i) => {
      if (p === null || p.x < 20 || p.y < 20 || p.x > box.width - 20 || p.y > box.height - 20) return;
      const g = gap(i);
      if (g > widest) [isolated, widest] = [i, g];
    });
    expect(isolated, `no point has another more than 1.5 px away among ${count}`).toBeGreaterThanOrEqual(0);
    const at = screen[isolated]!;
    const point = answer.data.points[isolated]!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await expect.poll(() => text(page.getByTestId('selection-count'))).toBe('1 points selected');
    const listed = await page
      .getByTestId('selection-items')
      .locator('[data-event-id]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-event-id')));
    expect(listed).toEqual([point.event_id]);
    expect(await text(page.getByTestId('selection-items').getByTestId('prediction-id').first())).toBe(
      point.prediction_id ?? point.event_id,
    );
    // No cluster is selected any more: the click replaced the selection.
    expect(await page.getByTestId('clusters').locator('[aria-pressed="true"]').count()).toBe(0);
  });

  it('toggles 2-D: the cloud is projected again with 2 components', async () => {
    const umapBefore = umapCalls;
    const projected = page.waitForResponse(
      (r) => r.url().endsWith('/umap') && r.request().method() === 'POST',
    );
    await page.getByRole('toolbar', { name: 'Point cloud' }).getByRole('button', { name: '2-D' }).click();
    const response = await projected;
    expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({ n_components: 2 });
    expect(((await response.json()) as { data: { n_components: number } }).data.n_components).toBe(2);
    expect(umapCalls).toBe(umapBefore + 1);
  });

  it('a click on the metric over time moves the primary window and projects the cloud again', async () => {
    const cloud = page.getByTestId('point-cloud');
    const windowBefore = await text(page.getByTestId('umap-window'));
    const firstBefore = (await page.evaluate('window.__embeddingCloud.screenPosition(0)')) as {
      x: number;
      y: number;
    } | null;
    const projected = page.waitForResponse(
      (r) =>
        r.url().endsWith('/umap') &&
        r.request().method() === 'POST' &&
        'window_end' in JSON.parse(r.request().postData() ?? '{}'),
    );
    const umapBefore = umapCalls;
    // Recharts picks the point under the pointer on hover, and a click sets window_end there.
    const chart = page.getByTestId('metric-chart').locator('.recharts-surface');
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height / 2);
    const response = await projected;
    expect(response.status()).toBe(200);
    const body = JSON.parse(response.request().postData() ?? '{}') as { window_end: string };
    expect(Number.isNaN(Date.parse(body.window_end))).toBe(false);
    const answer = (await response.json()) as {
      data: { points: unknown[]; window: { end_time: string } };
    };
    expect(Date.parse(answer.data.window.end_time)).toBe(Date.parse(body.window_end));
    expect(umapCalls).toBe(umapBefore + 1);
    // The page shows the new window and draws the new cloud.
    await expect.poll(() => text(page.getByTestId('umap-window'))).not.toBe(windowBefore);
    await expect.poll(() => cloud.getAttribute('data-points')).toBe(String(answer.data.points.length));
    await expect
      .poll(() => page.evaluate('window.__embeddingCloud.screenPosition(0)'))
      .not.toEqual(firstBefore);
  });

  it('shows the epochs done while UMAP runs, then the new cloud', async () => {
    const cloud = page.getByTestId('point-cloud');
    const form = page.getByRole('form', { name: 'UMAP settings' });
    // Every sample of both sets (1,000 each): a layout slow enough for the 250 ms progress poll.
    await form.getByLabel('Samples per set (n_samples)').fill('1000');
    const projected = page.waitForResponse(
      (r) =>
        r.url().endsWith('/umap') &&
        r.request().method() === 'POST' &&
        JSON.parse(r.request().postData() ?? '{}').n_samples === 1000,
      { timeout: 90_000 },
    );
    await form.getByRole('button', { name: 'Apply UMAP' }).click();
    // The progress bar reports epochs part way (done above 0, below the total) before the answer.
    const seen = await page.waitForFunction(
      () => {
        // Runs in the page; the tests' type-check has no DOM library.
        const page = globalThis as unknown as {
          document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
        };
        const bar = page.document.querySelector('[role=progressbar][aria-label="Projection progress"]');
        const done = Number(bar?.getAttribute('aria-valuenow') ?? Number.NaN);
        const total = Number(bar?.getAttribute('aria-valuemax') ?? Number.NaN);
        return done > 0 && done < total ? { done, total, text: bar!.getAttribute('aria-valuetext') } : null;
      },
      undefined,
      { timeout: 90_000 },
    );
    const progress = (await seen.jsonValue()) as { done: number; total: number; text: string };
    expect(progress.text).toBe(`UMAP: ${progress.done} / ${progress.total} epochs`);
    const response = await projected;
    expect(response.status()).toBe(200);
    const answer = (await response.json()) as { data: { points: unknown[] } };
    await expect.poll(() => cloud.getAttribute('data-points')).toBe(String(answer.data.points.length));
    await page.getByRole('progressbar', { name: 'Projection progress' }).waitFor({ state: 'detached' });
  }, 120_000);
});
