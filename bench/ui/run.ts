/**
 * bench:ui — the web UI over 1M spans in one project, in Debian's chromium (playwright-core), against
 * a real server (compiled code, own process): how soon the traces page is interactive after a
 * navigation, and the frame rate while scrolling through 10,000 rows (pages load as it goes). Each
 * figure has its baseline from the same run: the same page on an empty project, the browser's frame
 * rate for the same scroll over an empty page as tall. Also the UI endpoints' latencies.
 * See bench/README.md.
 *
 *   npm run bench:ui
 *   BENCH_UI_SPANS=100000 npm run bench:ui          # a smaller store
 *   BENCH_UI_DIR=/tmp/ui-1m npm run bench:ui        # keep (and reuse) the generated store there
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { openMigratedSqlite } from '../../packages/server/dist/store/sqlite/migrate-sqlite.js';
import { startBenchServer } from '../server-process.js';
import { PROJECT, writeDataset } from './dataset.js';

const SPANS = Number(process.env.BENCH_UI_SPANS ?? 1_000_000);
const SCROLL_ROWS = Number(process.env.BENCH_UI_SCROLL_ROWS ?? 10_000);
const NAVIGATIONS = Number(process.env.BENCH_UI_NAVIGATIONS ?? 7);
const ROW_HEIGHT = 36;
const CHROMIUM = '/usr/bin/chromium';

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** The store: generated once per directory (a marker file names its size). */
async function prepareStore(): Promise<{ dir: string; temporary: boolean }> {
  const dir = process.env.BENCH_UI_DIR ?? mkdtempSync(join(tmpdir(), 'fawkes-bench-ui-'));
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, `bench-ui-${SPANS}.done`);
  if (!existsSync(marker)) {
    rmSync(join(dir, 'fawkes.db'), { force: true });
    const db = await openMigratedSqlite(join(dir, 'fawkes.db'));
    const started = performance.now();
    const written = writeDataset(db, SPANS, Date.now() * 1000, (n) => {
      if (n % 100_000 < 5_000) process.stdout.write(`\r   ${n.toLocaleString('en-US')} spans written`);
    });
    db.close();
    console.log(
      `\n== ${written.toLocaleString('en-US')} spans in ${round((performance.now() - started) / 1000, 1)} s`,
    );
    writeFileSync(marker, '');
  } else {
    console.log(`== reusing the store in ${dir}`);
  }
  return { dir, temporary: !process.env.BENCH_UI_DIR };
}

/**
 * Navigation start → the first rows on screen and the main thread free again (a task after the
 * next frame ran): the page answers input from then on. A fresh browser context each time: nothing
 * cached, as on a first visit.
 */
async function timeToInteractive(
  url: string,
  browser: Awaited<ReturnType<typeof chromium.launch>>,
): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator('tr.table-row, .state-empty').first().waitFor({ timeout: 30_000 });
    return round(
      await page.evaluate(
        'new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))))',
      ),
    );
  } finally {
    await context.close();
  }
}

interface FrameStats {
  fps: number;
  p95FrameMs: number;
  longFrames: number;
  frames: number;
  seconds: number;
  rows?: number;
}

function frameStats(intervals: number[], extra: Partial<FrameStats> = {}): FrameStats {
  const total = intervals.reduce((a, b) => a + b, 0);
  const sorted = [...intervals].sort((a, b) => a - b);
  return {
    fps: round(intervals.length / (total / 1000), 1),
    p95FrameMs: round(sorted[Math.floor(sorted.length * 0.95)] ?? 0, 1),
    longFrames: intervals.filter((ms) => ms > 33.4).length,
    frames: intervals.length,
    seconds: round(total / 1000, 1),
    ...extra,
  };
}

const FRAME_RECORDER = `(() => {
  window.__frames = [];
  let last = performance.now();
  const step = (now) => { window.__frames.push(now - last); last = now; if (!window.__stopFrames) requestAnimationFrame(step); };
  requestAnimationFrame(step);
})()`;

/**
 * Scrolls the element under (700, 600) down by `distance` px as a user's fast wheel scroll does
 * (Chromium's synthetic scroll gesture, 12,000 px/s), recording every frame the page produces
 * meanwhile (requestAnimationFrame). Pages of rows load as the end comes near; the gesture goes on
 * until the distance is covered.
 */
async function scrollFrames(page: Page, distance: number, scroller: string): Promise<FrameStats> {
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(FRAME_RECORDER);
  const started = Date.now();
  for (;;) {
    await cdp.send('Input.synthesizeScrollGesture', {
      x: 700,
      y: 600,
      yDistance: -20_000,
      speed: 12_000,
      gestureSourceType: 'mouse',
    });
    const reached = (await page.evaluate(
      `(() => { const s = document.querySelector(${JSON.stringify(scroller)}); return s.scrollTop + s.clientHeight; })()`,
    )) as number;
    if (reached >= distance) break;
    if (Date.now() - started > 180_000) throw new Error('the scroll did not cover its distance in 3 minutes');
  }
  const intervals = (await page.evaluate(
    '(() => { window.__stopFrames = true; return window.__frames; })()',
  )) as number[];
  const rows = await page
    .locator('table[role=grid]')
    .getAttribute('aria-rowcount')
    .catch(() => null);
  return frameStats(intervals.slice(1), rows ? { rows: Number(rows) } : {});
}

/**
 * The baseline: the same gesture over a page as tall, whose rows are painted by a background
 * (nothing to render as it scrolls): the frame rate this browser on this machine, as loaded right
 * now, gives a scroll by itself.
 */
async function staticScrollFrames(
  browser: Awaited<ReturnType<typeof chromium.launch>>,
  rows: number,
): Promise<FrameStats> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await page.setContent(`<style>body{margin:0}#s{height:800px;overflow:auto}
      #c{height:${rows * ROW_HEIGHT}px;background:repeating-linear-gradient(#fff 0 ${ROW_HEIGHT - 1}px,#ddd ${ROW_HEIGHT - 1}px ${ROW_HEIGHT}px)}</style>
      <div id="s"><div id="c"></div></div>`);
    return await scrollFrames(page, rows * ROW_HEIGHT, '#s');
  } finally {
    await context.close();
  }
}

async function timeGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  return performance.now() - started;
}

async function endpointTimes(base: string): Promise<Record<string, number>> {
  const project = `${base}/v1/ui/projects/${PROJECT}`;
  // A cursor 10,000 rows deep, for a deep page.
  let cursor: string | null = null;
  for (let i = 0; i < 10_000 / 1000; i++) {
    const page = (await (
      await fetch(`${project}/spans?root_spans_only=true&limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()) as { next_cursor: string | null };
    cursor = page.next_cursor;
  }
  const cases: Record<string, string> = {
    'traces page (200 newest)': `${project}/spans?root_spans_only=true&limit=200`,
    'traces page 10,000 rows deep': `${project}/spans?root_spans_only=true&limit=200&cursor=${cursor}`,
    'spans page (200 newest)': `${project}/spans?limit=200`,
    'traces by latency': `${project}/spans?root_spans_only=true&limit=200&sort=latency_ms`,
    "traces filtered (status_code == 'ERROR')": `${project}/spans?root_spans_only=true&limit=200&filter=${encodeURIComponent("status_code == 'ERROR'")}`,
    'sessions page (200 newest)': `${project}/sessions?limit=200`,
    'project figures (cached)': `${project}/stats`,
    'traces by name (no index: sorts every root span)': `${project}/spans?root_spans_only=true&limit=200&sort=name`,
  };
  const times: Record<string, number> = {};
  for (const [name, url] of Object.entries(cases)) {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push(await timeGet(url));
    times[name] = round(median(samples), 1);
  }
  return times;
}

async function main() {
  const { dir, temporary } = await prepareStore();
  const load = loadavg()[0]!;
  const { child, url } = await startBenchServer(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    await fetch(`${url}/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-empty' }),
    });
    // The project figures are computed once per data version: the first view pays it.
    const figuresStarted = performance.now();
    await timeGet(`${url}/v1/ui/projects/${PROJECT}/stats`);
    const firstFigures = round(performance.now() - figuresStarted);

    const tti: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < NAVIGATIONS; i++) {
      tti.push(await timeToInteractive(`${url}/projects/${PROJECT}/traces`, browser));
      baseline.push(await timeToInteractive(`${url}/projects/bench-empty/traces`, browser).catch(() => NaN));
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/projects/${PROJECT}/traces`);
    await page.locator('tr.table-row').first().waitFor();
    const scroll = await scrollFrames(page, SCROLL_ROWS * ROW_HEIGHT, '[data-testid=table-body]');
    await context.close();
    const staticScroll = await staticScrollFrames(browser, SCROLL_ROWS);

    const endpoints = await endpointTimes(url);
    const result = {
      date: new Date().toISOString(),
      spans: SPANS,
      loadAverageBefore: round(load, 2),
      firstFiguresMs: firstFigures,
      timeToInteractiveMs: { median: median(tti), max: Math.max(...tti), runs: tti },
      emptyProjectTimeToInteractiveMs: { median: median(baseline.filter((n) => !Number.isNaN(n))) },
      scroll,
      staticPageScroll: staticScroll,
      endpointsMedianMs: endpoints,
    };
    mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
    const file = fileURLToPath(
      new URL(`../results/ui-${result.date.replace(/[:.]/g, '').slice(0, 17)}.json`, import.meta.url),
    );
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `\n| ${result.date.slice(0, 10)} | ${SPANS.toLocaleString('en-US')} | ${result.timeToInteractiveMs.median} / ${result.timeToInteractiveMs.max} ms | ${result.emptyProjectTimeToInteractiveMs.median} ms | ${scroll.fps} fps (p95 ${scroll.p95FrameMs} ms) | ${staticScroll.fps} fps | ${round((100 * scroll.fps) / staticScroll.fps)} % | ${result.loadAverageBefore} |`,
    );
    console.log(`results: ${file}`);
  } finally {
    await browser.close();
    await stopServer(child);
    if (temporary) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
