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
  /** Its connection is open (it said so): queries go to it from then on. */
  ready: boolean;
  waiting: Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>;
}

/** Runs a select where the readers are not (yet): the server's own read connection. */
export type FallbackReader = (sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;

/**
 * Read-only SQLite connections on their own threads (read-worker.ts), behind a Kysely instance: the
 * UI's queries run there, each on the least busy thread, so that a slow aggregate neither blocks the
 * server's event loop nor waits behind another. Selects only.
 *
 * The threads start with the first query (an idle server, or one that only ingests, has none), and
 * until one of them has its connection open, queries run on `fallback` (the server's read
 * connection) instead of waiting: a thread takes ~50 ms to start from compiled code, but seconds
 * from TypeScript sources (tests, `tsx`: the eval'd thread loads tsx and compiles its imports) on a
 * loaded machine, and a first page that waited on it failed the browser tests' one-second polls
 * (a0d115a). A thread that exits is dropped, and replaced by the next query.
 */
export class SqliteReadPool {
  private readonly readers: Reader[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly fallback: FallbackReader,
    private readonly size = 2,
  ) {}

  /** Threads started so far (none until the first query). */
  get threads(): number {
    return this.readers.length;
  }

  private start(): void {
    const { path } = this;
    while (this.readers.length < this.size) {
      const worker = startWorker(import.meta.url, './read-worker', { workerData: { path } });
      const reader: Reader = { worker, ready: false, waiting: new Map() };
      worker.on('message', (response: ReadResponse | { ready: true }) => {
        if ('ready' in response) {
          reader.ready = true;
          return;
        }
        const entry = reader.waiting.get(response.id);
        if (!entry) return;
        reader.waiting.delete(response.id);
        if (response.ok) entry.resolve(response.rows);
        else entry.reject(new Error(response.message));
      });
      let failure: Error | undefined;
      worker.on('error', (error) => {
        failure = error;
      });
      worker.on('exit', (code) => {
        // terminate() (close) ends a thread with code 1 too; otherwise it failed (the error event said why).
        const index = this.readers.indexOf(reader);
        if (index >= 0) this.readers.splice(index, 1);
        const error = new Error(
          this.closed
            ? 'The UI readers are closed'
            : `a UI reader thread exited (code ${code})${failure ? `: ${failure.message}` : ''}`,
        );
        for (const entry of reader.waiting.values()) entry.reject(error);
        reader.waiting.clear();
      });
      // It must not keep the process alive on its own.
      worker.unref();
      this.readers.push(reader);
    }
  }

  run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('The UI readers are closed'));
    if (this.readers.length < this.size) this.start();
    const ready = this.readers.filter((r) => r.ready);
    if (ready.length === 0) return this.fallback(sql, parameters);
    const reader = ready.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
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
