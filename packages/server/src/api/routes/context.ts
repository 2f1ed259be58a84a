import type { ReadStore } from '../../store/repositories/read-store.js';
import type { StoreCommands } from '../../writer/commands.js';

/** What every REST route plugin receives. */
export interface ApiContext {
  /** Reads, on the server's own read connection. */
  store: ReadStore;
  /** Writes, all through the single writer. */
  commands: StoreCommands;
  /** PHOENIX_PROJECT_NAME, else `default`: the project that cannot be deleted. */
  defaultProject: string;
}
