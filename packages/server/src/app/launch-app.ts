import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Inferences } from '@fawkes/inferences';
import { resolveConfig, type ServerConfig } from '../server/config.js';
import { createServer, type FawkesServer, PortInUseError } from '../server/create-server.js';
import { inferenceModel } from '../server/inference-model.js';
import { describeValue, inferenceSetProblems } from '../server/inference-sets.js';
import { type UmapParameters, umapParameterProblems, umapParameters } from '../server/umap-parameters.js';
import { resolveDatabaseLocation } from '../store/database-url.js';
import { startChildServer } from './child-server.js';
import { LaunchError } from './launch-error.js';
import { loadPreparedDataset, type PreparedDataset, prepareDataset } from './load-trace-dataset.js';
import { Session } from './session.js';
import { openSpanReader } from './span-reader.js';
import { TraceDataset } from './trace-dataset.js';

export interface LaunchAppOptions {
  /** The model's inferences to judge (data quality, performance; drift against `reference`). */
  primary?: Inferences;
  /** The baseline that `primary` is compared with (drift). Needs `primary`. */
  reference?: Inferences;
  /** The documents a retriever reads (its Schema names `documentColumnNames`), for retrieval analysis. Needs `primary`. */
  corpus?: Inferences;
  /** Spans (and evaluations) to load before the app is handed over: queryable at once. */
  trace?: TraceDataset;
  /** Default PHOENIX_HOST, else 127.0.0.1. */
  host?: string;
  /** HTTP port (app, REST API, OTLP/HTTP). Default PHOENIX_PORT, else 6006; 0 picks a free one. */
  port?: number;
  /** OTLP/gRPC port. Default PHOENIX_GRPC_PORT, else 4317; 0 picks a free one. */
  grpcPort?: number;
  /**
   * Keep the SQLite database in this directory (it outlives the process). Without it the data lives
   * in a temporary directory, shared by the launches of this process and deleted when it exits.
   */
  workingDir?: string;
  /** Project of spans that name none, and of a `trace` dataset's spans. Default PHOENIX_PROJECT_NAME, else `default`. */
  projectName?: string;
  /** Do not print where the app is. */
  quiet?: boolean;
  /**
   * The point cloud's UMAP parameters (checked as Phoenix does: `minDist` 0–0.99, `nNeighbors` 5–100,
   * `nSamples` 1–1000; each defaults to Phoenix's: 0, 30, 500).
   */
  defaultUmapParameters?: Partial<UmapParameters>;
  /**
   * true (default): the server runs in this process. false: in a child process, which reads the
   * inference sets from files written under the working directory (`inferences/<name>/`), so that
   * this process (a notebook's, say) does not carry the server's work.
   */
  runInThread?: boolean;
}

export { LaunchError };

let current: Session | undefined;
let launching: Promise<Session> | undefined;
let temporaryDir: string | undefined;

function warn(message: string, code: string): void {
  process.emitWarning(message, { type: 'FawkesWarning', code });
}

/** One temporary directory per process, reused by its launches (as Phoenix does), gone at exit. */
function processTemporaryDir(): string {
  if (!temporaryDir) {
    const dir = mkdtempSync(join(tmpdir(), 'fawkes-app-'));
    temporaryDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return temporaryDir;
}

/** The port-in-use message of createServer, told in launchApp's terms. */
function portInUse(error: PortInUseError): PortInUseError {
  const message = error.message
    .replace('--grpc-port or PHOENIX_GRPC_PORT', 'launchApp({ grpcPort }) or PHOENIX_GRPC_PORT')
    .replace('--port or PHOENIX_PORT', 'launchApp({ port }) or PHOENIX_PORT');
  return new PortInUseError(
    `${message} (0 picks a free port). Is another Fawkes or Phoenix running? closeApp() stops the one this process started.`,
    { cause: error },
  );
}

function serverConfig(options: LaunchAppOptions, workingDir: string): ServerConfig {
  const config = resolveConfig(
    {
      host: options.host,
      port: options.port,
      grpcPort: options.grpcPort,
      workingDir,
      projectName: options.projectName,
    },
    process.env,
  );
  // SQLite in the working directory, whatever PHOENIX_SQL_DATABASE_URL says (as Phoenix's launch_app
  // with its default use_temp_dir=True).
  return { ...config, database: resolveDatabaseLocation(undefined, workingDir) };
}

function banner(session: Session): string {
  return [
    `Fawkes is running: open ${session.url} in your browser.`,
    `  Send traces over OTLP/HTTP to ${session.tracesEndpoint} or OTLP/gRPC to ${session.grpcEndpoint}.`,
    `  Data: ${session.databaseLocation}`,
  ].join('\n');
}

/** Every problem with the options, before anything starts: one LaunchError that lists them. */
function checkOptions(options: LaunchAppOptions): void {
  const problems: string[] = [];
  if (options.trace !== undefined && !(options.trace instanceof TraceDataset)) {
    problems.push('trace must be a TraceDataset');
  }
  problems.push(...inferenceSetProblems(options), ...umapParameterProblems(options.defaultUmapParameters));
  if (options.runInThread !== undefined && typeof options.runInThread !== 'boolean') {
    problems.push(`runInThread must be true or false, got ${JSON.stringify(options.runInThread)}`);
  }
  if (problems.length === 1) throw new LaunchError(problems[0]);
  if (problems.length > 1) {
    throw new LaunchError(
      `launchApp: ${problems.length} problems:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
}

async function start(options: LaunchAppOptions): Promise<Session> {
  checkOptions(options);
  const temporary = options.workingDir === undefined;
  const workingDir = temporary ? processTemporaryDir() : resolve(options.workingDir!);
  const config = serverConfig(options, workingDir);
  // Check the whole dataset before opening any port: a bad row fails the launch and changes nothing.
  let dataset: PreparedDataset | undefined;
  if (options.trace) dataset = prepareDataset(options.trace, config.defaultProject);

  const { primary, reference, corpus } = options;
  const umap = umapParameters(options.defaultUmapParameters);
  let server: FawkesServer;
  try {
    if (options.runInThread === false) {
      server = await startChildServer({ config, sets: { primary, reference, corpus }, umapParameters: umap });
    } else {
      // Built once, here; what the model refuses (sets that do not go together) throws its InferencesError.
      const model = inferenceModel({ primary, reference, corpus });
      server = await createServer(config, model ? { inferences: { model, umapParameters: umap } } : {});
    }
  } catch (error) {
    throw error instanceof PortInUseError ? portInUse(error) : error;
  }
  try {
    if (dataset) await loadPreparedDataset(server, dataset);
    const reader = openSpanReader(config.database);
    const session = new Session({
      server,
      reader,
      workingDir,
      temporary,
      onClose: (closed) => {
        if (current === closed) current = undefined;
      },
    });
    current = session;
    return session;
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** `launchApp(primary, reference?, options?)` told apart from `launchApp(options?)`. */
function launchOptions(args: unknown[]): LaunchAppOptions {
  const [first, second, third] = args;
  if (!(first instanceof Inferences)) {
    if (args.length > 1) {
      throw new LaunchError(
        `launchApp takes (options) or (primary, reference?, options?) with Inferences; its first argument is ${describeValue(first)}`,
      );
    }
    if (first !== undefined && describeValue(first) !== 'a plain object') {
      throw new LaunchError(`launchApp's options must be an object, got ${describeValue(first)}`);
    }
    return (first ?? {}) as LaunchAppOptions;
  }
  if (second !== undefined && second !== null && !(second instanceof Inferences)) {
    throw new LaunchError(
      `launchApp(primary, reference): reference must be an Inferences, got ${describeValue(second)}`,
    );
  }
  const options = (third ?? {}) as LaunchAppOptions;
  if (options.primary !== undefined || (second != null && options.reference !== undefined)) {
    throw new LaunchError('launchApp: give primary and reference as arguments or as options, not both');
  }
  return { ...options, primary: first, ...(second ? { reference: second as Inferences } : {}) };
}

/**
 * Starts the whole app (in this process, or in a child one with `runInThread: false`: HTTP app + REST API + OTLP/HTTP, OTLP/gRPC, a writer thread,
 * SQLite) and resolves once it accepts spans; with `primary` (and `reference`, `corpus`) it serves the
 * model pages and `/v1/inferences` too. One app runs per process: while one runs (or is
 * starting), launchApp returns it, with a warning. Like any server it keeps the process alive until
 * `closeApp()` (or `session.close()`).
 */
export async function launchApp(options?: LaunchAppOptions): Promise<Session>;
/** Phoenix's positional form: `launchApp(primary, reference, { port: 0 })`. */
export async function launchApp(
  primary: Inferences,
  reference?: Inferences | null,
  options?: LaunchAppOptions,
): Promise<Session>;
export async function launchApp(...args: unknown[]): Promise<Session> {
  return launchWith(launchOptions(args));
}

async function launchWith(options: LaunchAppOptions): Promise<Session> {
  if (launching === undefined && !current?.active) {
    // Set before any await, so that a second call made meanwhile finds this launch.
    const pending = launch(options);
    launching = pending;
    try {
      return await pending;
    } finally {
      if (launching === pending) launching = undefined;
    }
  }
  const running = current?.active ? current : await launching?.catch(() => undefined);
  if (!running?.active) return launchWith(options);
  warn(
    `An app is already running at ${running.url}: returning its session. ` +
      'To launch one with other options, await closeApp() first.',
    'FAWKES_APP_ALREADY_RUNNING',
  );
  return running;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', '[::]']);

/** Does this endpoint (OTLP/HTTP or gRPC) reach the session's app? */
function pointsAt(endpoint: string, session: Session): boolean {
  let url: URL;
  try {
    url = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
  } catch {
    return false;
  }
  const app = new URL(session.url);
  const sameHost =
    url.hostname === app.hostname || (LOCAL_HOSTS.has(url.hostname) && LOCAL_HOSTS.has(app.hostname));
  return sameHost && [app.port, new URL(session.grpcEndpoint).port].includes(url.port);
}

async function launch(options: LaunchAppOptions): Promise<Session> {
  const session = await start(options);
  if (!options.quiet) console.log(banner(session));
  const collector = process.env.PHOENIX_COLLECTOR_ENDPOINT;
  if (collector && !pointsAt(collector, session)) {
    warn(
      `PHOENIX_COLLECTOR_ENDPOINT is ${collector}: instrumentation that reads it sends spans there, not to this app (${session.url})`,
      'FAWKES_COLLECTOR_ENDPOINT_ELSEWHERE',
    );
  }
  return session;
}

/** The running app's session, or undefined. */
export function activeSession(): Session | undefined {
  return current?.active ? current : undefined;
}

/** Closes the running app (see `Session.close`); false when none was running. */
export async function closeApp(options: { deleteData?: boolean } = {}): Promise<boolean> {
  const session = activeSession();
  if (!session) return false;
  await session.close(options);
  return true;
}
