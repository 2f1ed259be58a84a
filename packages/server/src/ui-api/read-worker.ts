/**
 * A reading thread of the UI: its own read-only connection to the SQLite file, running the queries
 * that read-pool.ts sends it. Aggregates over a million spans take a while in SQLite; here they take
 * it without holding up the server's event loop (or one another, with several of these).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from '../store/sqlite/open.js';

export interface ReadRequest {
  id: number;
  sql: string;
  parameters: readonly unknown[];
}

export type ReadResponse =
  | { id: number; ok: true; rows: unknown[] }
  | { id: number; ok: false; message: string };

const db = openSqlite((workerData as { path: string }).path, { readonly: true });
const statements = new Map<string, BetterSqlite3.Statement>();

function statement(sql: string): BetterSqlite3.Statement {
  let prepared = statements.get(sql);
  if (!prepared) {
    // Filters make many distinct statements: keep the most recent few hundred.
    if (statements.size >= 500) statements.delete(statements.keys().next().value!);
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

parentPort!.on('message', (request: ReadRequest) => {
  let response: ReadResponse;
  try {
    const prepared = statement(request.sql);
    if (!prepared.reader) throw new Error('The UI reads only');
    response = { id: request.id, ok: true, rows: prepared.all(...request.parameters) };
  } catch (error) {
    response = { id: request.id, ok: false, message: (error as Error).message };
  }
  parentPort!.postMessage(response);
});
// The pool sends this thread queries from now on (until now, they ran on the server's connection).
parentPort!.postMessage({ ready: true });
