/**
 * `launchApp({ runInThread: false })`: the server runs in a child process (`fawkes serve`), as
 * Phoenix's ProcessSession does, so that the launching process (a notebook's) carries none of its
 * work. The inference sets travel as files under the working directory
 * (`inferences/<name>/{data.parquet,schema.json}`); the child writes the same SQLite file that the
 * session reads its spans from.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '../server/config.js';
import { type FawkesServer, PortInUseError } from '../server/create-server.js';
import { type InferenceSets, SET_ROLES, type SetRole } from '../server/inference-sets.js';
import { formatUmapParameters, type UmapParameters } from '../server/umap-parameters.js';
import { LaunchError } from './launch-error.js';

export interface ChildServerOptions {
  config: ServerConfig;
  sets: InferenceSets;
  umapParameters: UmapParameters;
}

/** How to run this package's CLI: the built `dist/cli.js`, else (from the sources) `cli.ts` through tsx. */
function cliCommand(): string[] {
  const built = fileURLToPath(new URL('../cli.js', import.meta.url));
  if (existsSync(built)) return [built];
  return ['--import', 'tsx', fileURLToPath(new URL('../cli.ts', import.meta.url))];
}

/** A directory name for a set's name (names are free text); distinct for every role. */
function directoryName(name: string, role: SetRole, taken: Set<string>): string {
  let dir = name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_') || role;
  if (taken.has(dir)) dir = `${dir}.${role}`;
  taken.add(dir);
  return dir;
}

/** Writes each set as Parquet with its Schema; returns the CLI's flags for them and the directories. */
async function writeSets(
  sets: InferenceSets,
  workingDir: string,
): Promise<{ args: string[]; dirs: string[] }> {
  const args: string[] = [];
  const dirs: string[] = [];
  const taken = new Set<string>();
  for (const role of SET_ROLES) {
    const set = sets[role];
    if (!set) continue;
    const dir = join(workingDir, 'inferences', directoryName(set.name, role, taken));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    dirs.push(dir);
    const data = join(dir, 'data.parquet');
    const schema = join(dir, 'schema.json');
    set.dataframe.writeParquet(data);
    await writeFile(schema, JSON.stringify(set.schema.toJSON(), null, 2));
    args.push(`--${role}`, data, `--${role}-schema`, schema, `--${role}-name`, set.name);
  }
  return { args, dirs };
}

interface Listening {
  url: string;
  grpcPort: number;
}

/** Waits for the banner of `fawkes serve`; rejects with what the child said when it stops first. */
function whenListening(child: ChildProcess, output: () => string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = output();
      const url = /UI and REST API\s+(http:\/\/\S+)/.exec(text)?.[1];
      const grpc = /OTLP\/gRPC\s+\S*:(\d+)\s/.exec(text)?.[1];
      if (url && grpc) {
        child.stdout!.off('data', check);
        child.off('exit', exited);
        resolve({ url, grpcPort: Number(grpc) });
      }
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      const said = output()
        .split('\n')
        .filter((line) => line.startsWith('fawkes: '))
        .map((line) => line.slice('fawkes: '.length))
        .join('\n');
      const message =
        said || output().trim() || `the server process stopped (${signal ?? `exit code ${code}`})`;
      reject(/already in use/.test(message) ? new PortInUseError(message) : new LaunchError(message));
    };
    child.stdout!.on('data', check);
    child.on('exit', exited);
  });
}

function childEnvironment(adminSecret: string | null): NodeJS.ProcessEnv {
  // The child keeps its data where launchApp says (SQLite in the working directory), whatever the
  // environment names for `fawkes serve`.
  const { PHOENIX_SQL_DATABASE_URL: _url, PHOENIX_SQL_DATABASE_SCHEMA: _schema, ...env } = process.env;
  return adminSecret ? { ...env, PHOENIX_ADMIN_SECRET: adminSecret } : env;
}

/**
 * With authentication on, launchApp loads its trace dataset into the child with the admin secret;
 * when none is configured, the child gets one known only to this process (and the child), random
 * and meeting PHOENIX_SECRET's rules.
 */
function launcherAuth(config: ServerConfig): ServerConfig['auth'] {
  if (!config.auth || config.auth.adminSecret) return config.auth;
  return { ...config.auth, adminSecret: `launch-0-${randomBytes(32).toString('base64url')}` };
}

/** Starts `fawkes serve` in a child process with the sets and settings given; resolves once it listens. */
export async function startChildServer({
  config,
  sets,
  umapParameters,
}: ChildServerOptions): Promise<FawkesServer> {
  if (config.database.dialect !== 'sqlite') {
    throw new LaunchError('runInThread: false keeps its data in SQLite in the working directory');
  }
  const written = await writeSets(sets, config.workingDir);
  const removeWritten = async () => {
    for (const dir of written.dirs) await rm(dir, { recursive: true, force: true });
  };
  const args = [
    ...cliCommand(),
    'serve',
    '--host',
    config.host,
    '--port',
    String(config.port),
    '--grpc-port',
    String(config.grpcPort),
    '--working-dir',
    config.workingDir,
    '--project-name',
    config.defaultProject,
    '--max-queued-spans',
    String(config.maxQueuedSpans),
    ...(written.args.length > 0
      ? [...written.args, '--umap-parameters', formatUmapParameters(umapParameters)]
      : []),
  ];
  const auth = launcherAuth(config);
  const child = spawn(process.execPath, args, {
    env: childEnvironment(auth?.adminSecret ?? null),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A parent that exits takes its server with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let listening: Listening;
  try {
    listening = await whenListening(child, () => output);
  } catch (error) {
    process.off('exit', killOnExit);
    await removeWritten();
    throw error;
  }
  const { url, grpcPort } = listening;
  const httpPort = Number(new URL(url).port);
  let closing: Promise<void> | undefined;
  return {
    config: { ...config, auth, port: httpPort, grpcPort },
    url,
    httpPort,
    grpcPort,
    dataLocation: config.database.path,
    close() {
      closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        process.off('exit', killOnExit);
        await removeWritten();
      })();
      return closing;
    },
  };
}
