import { createPostgresPool } from '../src/store/postgres/pool.js';
import { openSqlite } from '../src/store/sqlite/open.js';
import type { CommandArgs, CommandName, CommandResult, StoreCommands } from '../src/writer/commands.js';
import { PostgresStoreCommands } from '../src/writer/postgres/commands.js';
import { SqliteCommands } from '../src/writer/sqlite/commands.js';
import type { TestDatabase } from './dialects.js';

/** Either dialect's store commands on a test database, as the REST API sees them, plus a pending-annotation pass. */
export interface CommandsUnderTest {
  commands: StoreCommands;
  resolvePending(): Promise<number>;
  close(): Promise<void>;
}

export function openCommands(store: TestDatabase): CommandsUnderTest {
  const location = store.location;
  if (location.dialect === 'sqlite') {
    const db = openSqlite(location.path);
    const sync = new SqliteCommands(db);
    // The SQLite commands run synchronously on the writer thread; here, on this one.
    const commands = new Proxy({} as StoreCommands, {
      get: (_target, name: CommandName) => async (args: CommandArgs<typeof name>) =>
        (sync[name] as (a: unknown) => CommandResult<typeof name>).call(sync, args),
    });
    return {
      commands,
      resolvePending: async () => db.transaction(() => sync.annotations.resolvePending())(),
      close: async () => void db.close(),
    };
  }
  const pool = createPostgresPool(location, { max: 2 });
  const commands = new PostgresStoreCommands(pool);
  return {
    commands,
    resolvePending: () => commands.resolvePendingAnnotations(),
    close: async () => {
      commands.close();
      await pool.end();
    },
  };
}
