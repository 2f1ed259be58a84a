import type { FastifyBaseLogger } from 'fastify';
import { RetentionSweeper } from '../retention/sweeper.js';
import type { ServerConfig } from './config.js';
import type { ServerStore } from './server-store.js';

/** The server's sweeper over its store, started; its failures go to the server's log. */
export function startRetentionSweeper(
  config: ServerConfig,
  store: ServerStore,
  log: FastifyBaseLogger,
): RetentionSweeper {
  const sweeper = new RetentionSweeper({
    reads: store.reads,
    commands: store.commands,
    lock: store.sweepLock,
    defaultRetentionDays: config.defaultRetentionDays,
    intervalMs: config.retentionSweepIntervalMs,
    onError: (error) => log.error({ err: error }, 'retention sweep failed'),
  });
  sweeper.start();
  return sweeper;
}
