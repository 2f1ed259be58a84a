/**
 * CPU time (user + system, µs) used so far by every process on this machine with the given command
 * name, read from /proc (Linux only; null elsewhere or when none runs). The ingest benchmark on a
 * local PostgreSQL uses it for the database's CPU per span: PostgreSQL's processes share the two
 * cores with the server, so their cost is part of what limits the rate.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

export function cpuMicrosOfCommand(command: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  let found = false;
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== command) continue;
    const fields = stat.slice(close + 2).split(' ');
    // Fields 14 and 15 of the whole line (utime, stime) are 11 and 12 here (0-based after "state").
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  return found ? (ticks * 1_000_000) / TICKS_PER_SECOND : null;
}
