import type { MessagePort } from 'node:worker_threads';
import type { SqliteConnection } from '../../store/sqlite/open.js';
import type { CommandName, CommandRequest, CommandResponse } from '../commands.js';
import { SqliteCommands } from './commands.js';

/** How often the writer looks for targets of pending annotations, while there are any. */
const PENDING_INTERVAL_MS = 1000;

/**
 * The writer thread's side of the store commands (commands-client.ts sends them): each command
 * runs, in its own transaction, between the thread's ingest batches, and is answered once
 * committed (then `afterCommit` runs). Also applies pending annotations as their targets arrive.
 */
export function installStoreCommands(port: MessagePort, db: SqliteConnection, afterCommit: () => void): void {
  const commands = new SqliteCommands(db);
  const send = (message: CommandResponse) => port.postMessage(message);

  port.on('message', (message: CommandRequest) => {
    if (message?.type !== 'command') return;
    try {
      const run = commands[message.name as CommandName] as (args: unknown) => unknown;
      const result = run.call(commands, message.args);
      send({ type: 'command-result', id: message.id, ok: true, result });
      afterCommit();
    } catch (error) {
      send({
        type: 'command-result',
        id: message.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });

  const timer = setInterval(() => {
    if (commands.annotations.pendingCount === 0 || !db.open) return;
    try {
      db.transaction(() => commands.annotations.resolvePending())();
      afterCommit();
    } catch {
      // Retried on the next tick; the count is read again in case the transaction rolled back.
      commands.annotations.recount();
    }
  }, PENDING_INTERVAL_MS);
  timer.unref();
  port.on('close', () => clearInterval(timer));
}
