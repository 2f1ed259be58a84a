import type { FastifyInstance } from 'fastify';
import type { ReadStore } from '../store/repositories/read-store.js';
import { LiveFeed } from './live-feed.js';
import { staticUi } from './static-ui.js';
import { uiRoutes } from './ui-routes.js';

export interface WebUiOptions {
  /** Reads, on the server's read connection. */
  store: ReadStore;
  /** The built UI (packages/ui/dist by default). */
  distDir?: string;
  /** How often the live feed looks for changes. */
  livePollMs?: number;
}

/** The web UI: its static build at `/` and the endpoints it reads (`/v1/ui/...`). */
export async function webUi(app: FastifyInstance, options: WebUiOptions): Promise<void> {
  const live = new LiveFeed(options.store, options.livePollMs);
  await app.register(uiRoutes, { store: options.store, live });
  await app.register(staticUi, options.distDir ? { distDir: options.distDir } : {});
}
