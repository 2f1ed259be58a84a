// Which of the repository's builds are out of date, from file times alone (no compiler loaded):
// `npm start` builds only what changed, so a start on a built tree costs no build at all.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time (ms) of the files under `paths` (files or folders), 0 for none. */
export function newestChange(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(path);
  return newest;
}

/** True when `output` is missing or older than one of `sources`. */
export function isStale(sources, output) {
  if (!existsSync(output)) return true;
  return newestChange(sources) > statSync(output).mtimeMs;
}

const TYPESCRIPT_PACKAGES = ['query', 'inferences', 'server', 'client'];

/** The builds `root` needs: 'typescript' (tsc -b) and / or 'ui' (vite), in that order. */
export function staleBuilds(root) {
  const packages = join(root, 'packages');
  const stale = [];
  const typescript = TYPESCRIPT_PACKAGES.some((name) =>
    isStale(
      [join(packages, name, 'src'), join(packages, name, 'tsconfig.json'), join(root, 'tsconfig.base.json')],
      join(packages, name, 'dist', '.tsbuildinfo'),
    ),
  );
  if (typescript) stale.push('typescript');
  const ui = join(packages, 'ui');
  const uiSources = [
    join(ui, 'src'),
    join(ui, 'index.html'),
    join(ui, 'vite.config.ts'),
    join(ui, 'package.json'),
    join(packages, 'query', 'src'), // the UI bundles the query language from its sources
  ];
  if (isStale(uiSources, join(ui, 'dist', 'index.html'))) stale.push('ui');
  return stale;
}
