import type { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from '../store/schema.js';
import { startWorker } from '../util/worker.js';
import type { ReadRequest, ReadResponse } from './read-worker.js';

interface Reader {
  worker: Worker;
  waiting: Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>;
}

/**
 * Read-only SQLite connections on their own threads (read-worker.ts), behind a Kysely instance: the
 * UI's queries run there, each on the least busy thread, so that a slow aggregate neither blocks the
 * server's event loop nor waits behind another. Selects only.
 */
export class SqliteReadPool {
  private readonly readers: Reader[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly size = 2,
  ) {
    // Started here, not lazily on the first query: a reader first started from inside a request
    // exited with code 1 in the chromium tests (ui-pages "lists the projects"); cause not yet found.
    this.start();
  }

  private start(): void {
    const { path } = this;
    for (let i = 0; i < this.size; i++) {
      const worker = startWorker(import.meta.url, './read-worker', { workerData: { path } });
      const reader: Reader = { worker, waiting: new Map() };
      worker.on('message', (response: ReadResponse) => {
        const entry = reader.waiting.get(response.id);
        if (!entry) return;
        reader.waiting.delete(response.id);
        if (response.ok) entry.resolve(response.rows);
        else entry.reject(new Error(response.message));
      });
      const fail = (error: Error) => {
        for (const entry of reader.waiting.values()) entry.reject(error);
        reader.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a UI reader thread exited (code ${code})`)));
      // It must not keep the process alive on its own.
      worker.unref();
      this.readers.push(reader);
    }
  }

  run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('The UI readers are closed'));
    const reader = this.readers.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      reader.waiting.set(id, { resolve, reject });
      reader.worker.postMessage({ id, sql, parameters } satisfies ReadRequest);
    });
  }

  /** A Kysely instance whose queries run on the pool. */
  kysely(): Kysely<Database> {
    const pool = this;
    const connection: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        return { rows: (await pool.run(query.sql, query.parameters)) as R[] };
      },
      // biome-ignore lint/correctness/useYield: streaming is not offered
      async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('The UI readers do not stream');
      },
    };
    const noTransactions = () => Promise.reject(new Error('The UI readers do not run transactions'));
    const driver: Driver = {
      init: async () => {},
      acquireConnection: async () => connection,
      beginTransaction: noTransactions,
      commitTransaction: noTransactions,
      rollbackTransaction: noTransactions,
      releaseConnection: async () => {},
      destroy: async () => {},
    };
    const dialect: Dialect = {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createQueryCompiler: () => new SqliteQueryCompiler(),
      createIntrospector: (db) => new SqliteIntrospector(db),
    };
    return new Kysely<Database>({ dialect });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.readers.map((r) => r.worker.terminate()));
  }
}
