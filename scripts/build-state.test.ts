import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types (it runs before anything is built)
import { staleBuilds } from './build-state.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const SOURCE_TIME = new Date('2026-01-01T00:00:00Z');
const BUILD_TIME = new Date('2026-01-02T00:00:00Z');

function file(root: string, path: string, time: Date) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, time, time);
}

/** A repository laid out like this one, every build newer than its sources. */
function builtTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'fawkes-build-state-'));
  roots.push(root);
  file(root, 'tsconfig.base.json', SOURCE_TIME);
  for (const name of ['query', 'inferences', 'server', 'client']) {
    file(root, `packages/${name}/src/index.ts`, SOURCE_TIME);
    file(root, `packages/${name}/tsconfig.json`, SOURCE_TIME);
    file(root, `packages/${name}/dist/.tsbuildinfo`, BUILD_TIME);
  }
  for (const path of ['src/main.tsx', 'index.html', 'vite.config.ts', 'package.json'])
    file(root, `packages/ui/${path}`, SOURCE_TIME);
  file(root, 'packages/ui/dist/index.html', BUILD_TIME);
  return root;
}

describe('staleBuilds (what `npm start` rebuilds)', () => {
  it('builds nothing on a built tree', () => {
    expect(staleBuilds(builtTree())).toEqual([]);
  });

  it('builds everything on a fresh clone', () => {
    const root = builtTree();
    rmSync(join(root, 'packages/server/dist'), { recursive: true });
    rmSync(join(root, 'packages/ui/dist'), { recursive: true });
    expect(staleBuilds(root)).toEqual(['typescript', 'ui']);
  });

  it('rebuilds the TypeScript packages when a source changes, and the UI only when its sources do', () => {
    const root = builtTree();
    file(root, 'packages/server/src/routes/new-route.ts', new Date('2026-01-03T00:00:00Z'));
    expect(staleBuilds(root)).toEqual(['typescript']);
    file(root, 'packages/ui/src/pages/Page.tsx', new Date('2026-01-03T00:00:00Z'));
    expect(staleBuilds(root)).toEqual(['typescript', 'ui']);
  });

  it('rebuilds the UI when the query language it bundles changes', () => {
    const root = builtTree();
    file(root, 'packages/query/src/parser.ts', new Date('2026-01-03T00:00:00Z'));
    expect(staleBuilds(root)).toEqual(['typescript', 'ui']);
  });
});
