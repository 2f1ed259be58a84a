import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The client's modules a static import of index.ts loads (lazy `import()`s are left out). */
function staticGraph(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const source = readFileSync(file, 'utf8');
    files.set(file, source);
    for (const [, specifier] of source.matchAll(/^(?:import|export)\s(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
      if (specifier?.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(SRC, entry));
  return files;
}

describe('the client runs in browsers', () => {
  const graph = staticGraph('index.ts');

  it('loads only browser-safe modules from its entry point', () => {
    expect(graph.size).toBeGreaterThan(5);
    for (const [file, source] of graph) {
      const imports = [...source.matchAll(/^(?:import|export)\s(?!type\b)[^'"]*?from\s+'([^']+)'/gm)].map(
        (m) => m[1],
      );
      const nodeOnly = imports.filter((s) => s?.startsWith('node:') || s === 'nodejs-polars');
      expect(nodeOnly, file).toEqual([]);
    }
  });

  it('touches process and Buffer only behind a guard', () => {
    for (const [file, source] of graph) {
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code.match(/(?<![.\w])(process|Buffer)\b(?!\?)/g) ?? [], file).toEqual([]);
    }
  });
});
