import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server started for the tests only: data in a temporary folder, fsync off. */
export interface ThrowawayCluster {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

/** The folder holding initdb and pg_ctl: PATH first, then Debian's newest /usr/lib/postgresql/<n>/bin. */
export function findPostgresBinaries(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user (or nobody). */
function clusterUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid, name };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('Running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL');
}

const PREFIX = 'fawkes-pg-';
const OWNER_FILE = 'owner.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops and removes throwaway clusters whose owner process is gone (a test run killed midway). */
async function reapOrphanedClusters(bin: string, user: ReturnType<typeof clusterUser>): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours to judge (or still being created)
    }
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
    const pgCtl = [join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'];
    try {
      if (user) execFileSync('runuser', ['-u', user.name, '--', ...pgCtl], { stdio: 'ignore' });
      else execFileSync(pgCtl[0]!, pgCtl.slice(1), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a throwaway cluster on a free loopback port; `stop()` stops it and removes its files. */
export async function startThrowawayCluster(
  bin: string,
  /** `settings`: more `name=value` server settings (they override the ones above them). */
  options: { durable?: boolean; settings?: readonly string[] } = {},
): Promise<ThrowawayCluster> {
  const user = clusterUser();
  await reapOrphanedClusters(bin, user);
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  // Who started it: a later start stops the cluster if that process died without stopping it.
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const run = (command: string, args: string[]) => {
    const [file, argv] = user
      ? ['runuser', ['-u', user.name, '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const child = spawn(file, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (c) => {
        output += c;
      });
      child.stderr.on('data', (c) => {
        output += c;
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${command} failed (${code}):\n${output}`)),
      );
    });
  };
  try {
    await run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      // Test data is thrown away: durability buys nothing there (benchmarks keep it).
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=300',
      '-c shared_buffers=128MB',
      ...(options.settings ?? []).map((setting) => `-c ${setting}`),
    ].join(' ');
    await run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      settings,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
