/**
 * bench:ui:point-cloud — the WebGL point cloud (packages/ui/src/components/point-cloud) at 20,000
 * points in Debian's chromium (playwright-core), served by a real server (compiled code, own process)
 * from the UI's benchmark page /__bench/point-cloud: the mouse drags in a circle for ~5 s, orbiting
 * the camera in 3-D and panning in 2-D, and every frame the cloud draws is timed (its onFrame).
 * Reports fps and the 95th percentile frame time for each, and the WebGL renderer chromium gave.
 * See bench/README.md.
 *
 *   npm run bench:ui:point-cloud
 *   BENCH_POINT_CLOUD_N=50000 BENCH_POINT_CLOUD_SECONDS=10 npm run bench:ui:point-cloud
 *
 * BENCH_UI_DIST=<a copy of packages/ui/dist> serves that build's page and assets instead of the
 * server's (the API is still the server's), so that two builds can be measured interleaved:
 *
 *   for i in 1 2 3; do BENCH_UI_DIST=/tmp/dist-before node --import tsx bench/ui/point-cloud.ts
 *     BENCH_UI_DIST=/tmp/dist-after node --import tsx bench/ui/point-cloud.ts; done
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startBenchServer } from '../server-process.js';

const POINTS = Number(process.env.BENCH_POINT_CLOUD_N ?? 20_000);
const SECONDS = Number(process.env.BENCH_POINT_CLOUD_SECONDS ?? 5);
const CHROMIUM = '/usr/bin/chromium';
const UI_DIST = process.env.BENCH_UI_DIST;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** Headless chromium has no GPU: WebGL runs on SwiftShader (ANGLE's CPU Vulkan), which it must be allowed to use. */
export const WEBGL_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

interface FrameStats {
  fps: number;
  p95FrameMs: number;
  maxFrameMs: number;
  frames: number;
  seconds: number;
  pointerMoves: number;
}

/** Drags the mouse in a circle round the cloud's centre for `seconds`, timing every frame the cloud draws. */
async function dragFrames(page: Page, seconds: number): Promise<FrameStats> {
  const box = (await page.getByTestId('point-cloud').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const radius = Math.min(box.width, box.height) / 4;
  await page.mouse.move(cx + radius, cy);
  await page.mouse.down();
  await page.evaluate('window.__pointCloud.frameTimes = []; window.__pointCloud.recording = true');
  const started = Date.now();
  let moves = 0;
  while (Date.now() - started < seconds * 1000) {
    const angle = (moves++ / 60) * 2 * Math.PI;
    await page.mouse.move(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
  }
  const times = (await page.evaluate(
    '(() => { window.__pointCloud.recording = false; return window.__pointCloud.frameTimes; })()',
  )) as number[];
  await page.mouse.up();
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  const total = (times.at(-1) ?? 0) - (times[0] ?? 0);
  const sorted = [...intervals].sort((a, b) => a - b);
  return {
    fps: round(intervals.length / (total / 1000), 1),
    p95FrameMs: round(sorted[Math.floor(sorted.length * 0.95)] ?? 0, 1),
    maxFrameMs: round(sorted.at(-1) ?? 0, 1),
    frames: times.length,
    seconds: round(total / 1000, 1),
    pointerMoves: moves,
  };
}

async function measure(browser: Browser, url: string, dimensions: 2 | 3) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (UI_DIST) {
    // The other build's files; the SPA's routes get its index.html, /v1 goes on to the server.
    await context.route(
      (u) => !u.pathname.startsWith('/v1/'),
      (route) => {
        const path = new URL(route.request().url()).pathname;
        const file = join(UI_DIST, path);
        const found = existsSync(file) && statSync(file).isFile() ? file : join(UI_DIST, 'index.html');
        const ext = found.slice(found.lastIndexOf('.'));
        return route.fulfill({
          body: readFileSync(found),
          contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
        });
      },
    );
  }
  const page = await context.newPage();
  try {
    await page.goto(`${url}/__bench/point-cloud?n=${POINTS}&dims=${dimensions}`);
    await page.getByTestId('point-cloud').waitFor();
    await page.waitForFunction(
      '(window.__pointCloud?.frames ?? 0) > 0 && window.__pointCloud.handle !== null',
    );
    const renderer = (await page.evaluate('window.__pointCloud.handle.rendererName()')) as string;
    const canvas = (await page.evaluate(
      '(() => { const c = document.querySelector("[data-testid=point-cloud] canvas"); return [c.width, c.height]; })()',
    )) as [number, number];
    return { renderer, canvas, ...(await dragFrames(page, SECONDS)) };
  } finally {
    await context.close();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-bench-point-cloud-'));
  const load = loadavg()[0]!;
  const { child, url } = await startBenchServer(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: WEBGL_ARGS });
  try {
    const threeD = await measure(browser, url, 3);
    const twoD = await measure(browser, url, 2);
    const result = {
      date: new Date().toISOString(),
      points: POINTS,
      chromium: browser.version(),
      chromiumArgs: WEBGL_ARGS,
      uiDist: UI_DIST ?? 'packages/ui/dist (served by the server)',
      loadAverageBefore: round(load, 2),
      loadAverageAfter: round(loadavg()[0]!, 2),
      orbit3d: threeD,
      pan2d: twoD,
    };
    mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
    const file = fileURLToPath(
      new URL(
        `../results/point-cloud-${result.date.replace(/[:.]/g, '').slice(0, 17)}.json`,
        import.meta.url,
      ),
    );
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `\n| ${result.date.slice(0, 10)} | ${POINTS.toLocaleString('en-US')} | ${threeD.fps} fps / ${threeD.p95FrameMs} ms | ${twoD.fps} fps / ${twoD.p95FrameMs} ms | ${threeD.renderer} | ${result.loadAverageBefore} → ${result.loadAverageAfter} | ${UI_DIST ?? 'server'} |`,
    );
    console.log(`results: ${file}`);
  } finally {
    await browser.close();
    await stopServer(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
