import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Node options of this process that also apply to our threads. A worker inherits every one of
 * process.execArgv by default, and many cannot apply to a worker: the caller's entry point
 * (`-e`/`--eval`, `-p`, `--input-type`, which fails any worker loaded from a file), its loaders
 * (`--import`, `--require`, `--loader`: a test runner's or an instrumentation's), a debugger port
 * (`--inspect`), the test runner or watch mode. So workers get only the options below (V8 options
 * such as `--max-old-space-size` or `--perf-basic-prof` are process-wide and need no passing).
 */
const WORKER_FLAGS = new Set([
  '--enable-source-maps',
  '--no-warnings',
  '--no-deprecation',
  '--trace-warnings',
  '--trace-deprecation',
  '--trace-uncaught',
  '--cpu-prof',
  '--heap-prof',
]);
/** Options with a value, as `--name=value` or `--name value`. */
const WORKER_VALUED_OPTIONS = new Set([
  '--unhandled-rejections',
  '--cpu-prof-dir',
  '--cpu-prof-interval',
  '--heap-prof-dir',
  '--heap-prof-interval',
  '--diagnostic-dir',
]);

/** The part of `execArgv` that a worker thread of ours is started with. */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const name = arg.split('=')[0]!;
    if (WORKER_FLAGS.has(name)) kept.push(arg);
    else if (WORKER_VALUED_OPTIONS.has(name)) {
      kept.push(arg);
      if (!arg.includes('=') && i + 1 < execArgv.length) kept.push(execArgv[++i]!);
    }
  }
  return kept;
}

/**
 * Starts a worker from a module next to the caller, compiled (`.js`) or, when the caller itself runs
 * from TypeScript sources (tests, `tsx`), from its `.ts` source through tsx's loader.
 */
export function startWorker(callerUrl: string, relativeModule: string, options: WorkerOptions = {}): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const moduleUrl = new URL(relativeModule + (fromSource ? '.ts' : '.js'), callerUrl);
  const execArgv = options.execArgv ?? workerExecArgv();
  if (!fromSource) return new Worker(moduleUrl, { ...options, execArgv });
  const path = JSON.stringify(fileURLToPath(moduleUrl));
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${path}); })`;
  return new Worker(code, { ...options, execArgv, eval: true });
}
