import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker from a module next to the caller, compiled (`.js`) or, when the caller itself runs
 * from TypeScript sources (tests, `tsx`), from its `.ts` source through tsx's loader.
 */
export function startWorker(callerUrl: string, relativeModule: string, options: WorkerOptions = {}): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const moduleUrl = new URL(relativeModule + (fromSource ? '.ts' : '.js'), callerUrl);
  if (!fromSource) return new Worker(moduleUrl, options);
  const path = JSON.stringify(fileURLToPath(moduleUrl));
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${path}); })`;
  return new Worker(code, { ...options, eval: true });
}
