import type { FastifyInstance } from 'fastify';
import { CompiledQuery } from 'kysely';
import type { ReadStore } from '../store/repositories/read-store.js';
import { LiveFeed } from './live-feed.js';
import { SqliteReadPool } from './read-pool.js';
import { staticUi } from './static-ui.js';
import { uiRoutes } from './ui-routes.js';

export interface WebUiOptions {
  /** Reads, on the server's read connection. */
  store: ReadStore;
  /**
   * SQLite: the file. The UI then reads on threads of its own (read-pool.ts), so that its aggregates
   * over millions of spans never block the server. Without it, it reads through `store`.
   */
  sqlitePath?: string;
  /** The built UI (packages/ui/dist by default). */
  distDir?: string;
  /** How often the live feed looks for changes. */
  livePollMs?: number;
  /** PHOENIX_ALLOWED_ORIGINS: pages of these origins may frame the UI (static-ui.ts). */
  allowedOrigins?: readonly string[];
}

/** The web UI: its static build at `/` and the endpoints it reads (`/v1/ui/...`). */
export async function webUi(app: FastifyInstance, options: WebUiOptions): Promise<void> {
  let store = options.store;
  if (options.sqlitePath && options.sqlitePath !== ':memory:') {
    const reads = options.store.db;
    // Until a reader thread is up, the UI reads on the server's connection (read-pool.ts).
    const pool = new SqliteReadPool(options.sqlitePath, async (sql, parameters) => {
      return (await reads.executeQuery(CompiledQuery.raw(sql, [...parameters]))).rows;
    });
    app.addHook('onClose', () => pool.close());
    store = { db: pool.kysely(), dialect: 'sqlite' };
  }
  const live = new LiveFeed(store, options.livePollMs);
  await app.register(uiRoutes, { store, live });
  await app.register(staticUi, {
    ...(options.distDir ? { distDir: options.distDir } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
}
