import type { Worker } from 'node:worker_threads';
import type {
  CommandArgs,
  CommandName,
  CommandRequest,
  CommandResponse,
  CommandResult,
  StoreCommands,
} from './commands.js';

/** The writer thread could not run a command (it died, or the command threw). */
export class StoreCommandError extends Error {}

/**
 * StoreCommands for SQLite: each call is a message to the writer thread (see commands-worker.ts),
 * answered once the command's transaction has committed.
 */
export class SqliteStoreCommands implements StoreCommands {
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private stopped: string | null = null;

  constructor(private readonly writer: Worker) {
    writer.on('message', (message: CommandResponse) => {
      if (message?.type !== 'command-result') return;
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      this.waiting.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new StoreCommandError(message.message));
    });
    writer.on('error', (error) => this.fail(`the writer thread failed: ${error.message}`));
    writer.on('exit', (code) => this.fail(`the writer thread exited (code ${code})`));
  }

  private call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    if (this.stopped !== null) return Promise.reject(new StoreCommandError(`Cannot write: ${this.stopped}`));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.writer.postMessage({ type: 'command', id, name, args } satisfies CommandRequest<N>);
    });
  }

  private fail(reason: string): void {
    this.stopped ??= reason;
    for (const [id, entry] of this.waiting) {
      this.waiting.delete(id);
      entry.reject(new StoreCommandError(`Cannot write: ${reason}`));
    }
  }

  createProject = (args: CommandArgs<'createProject'>) => this.call('createProject', args);
  updateProject = (args: CommandArgs<'updateProject'>) => this.call('updateProject', args);
  deleteProject = (args: CommandArgs<'deleteProject'>) => this.call('deleteProject', args);
  deleteTrace = (args: CommandArgs<'deleteTrace'>) => this.call('deleteTrace', args);
  transferTraces = (args: CommandArgs<'transferTraces'>) => this.call('transferTraces', args);
  deleteSpan = (args: CommandArgs<'deleteSpan'>) => this.call('deleteSpan', args);
  logSpans = (args: CommandArgs<'logSpans'>) => this.call('logSpans', args);
  upsertAnnotations = (args: CommandArgs<'upsertAnnotations'>) => this.call('upsertAnnotations', args);
  createNote = (args: CommandArgs<'createNote'>) => this.call('createNote', args);
  deleteSession = (args: CommandArgs<'deleteSession'>) => this.call('deleteSession', args);
  deleteSessions = (args: CommandArgs<'deleteSessions'>) => this.call('deleteSessions', args);
  modelPrices = (args: CommandArgs<'modelPrices'>) => this.call('modelPrices', args);
  recostSpans = (args: CommandArgs<'recostSpans'>) => this.call('recostSpans', args);
  deleteAnnotations = (args: CommandArgs<'deleteAnnotations'>) => this.call('deleteAnnotations', args);
  annotationConfigs = (args: CommandArgs<'annotationConfigs'>) => this.call('annotationConfigs', args);
  setRetentionPolicy = (args: CommandArgs<'setRetentionPolicy'>) => this.call('setRetentionPolicy', args);
  sweepTraces = (args: CommandArgs<'sweepTraces'>) => this.call('sweepTraces', args);
}
