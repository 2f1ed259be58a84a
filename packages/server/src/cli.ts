#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, type ConfigFlags, DEFAULTS, resolveConfig } from './server/config.js';
import { createServer, PortInUseError } from './server/create-server.js';
import { migrateDatabase } from './store/migrate-database.js';
import { DatabaseUnavailableError } from './store/postgres/pool.js';
import { FAWKES_VERSION, PHOENIX_COMPATIBLE_VERSION } from './version.js';

const program = new Command()
  .name('fawkes')
  .description(
    `LLM observability server: collects OpenTelemetry / OpenInference traces and serves\n` +
      `Phoenix's REST API (compatible with Arize Phoenix ${PHOENIX_COMPATIBLE_VERSION} clients).`,
  )
  .version(
    `${FAWKES_VERSION} (Phoenix API ${PHOENIX_COMPATIBLE_VERSION})`,
    '-v, --version',
    'print the version',
  )
  .showHelpAfterError();

const serverOptions = (command: Command) =>
  command
    .option('--host <host>', `address to listen on (env PHOENIX_HOST, default ${DEFAULTS.host})`)
    .option(
      '--port <port>',
      `HTTP port: UI, REST API, OTLP/HTTP (env PHOENIX_PORT, default ${DEFAULTS.port})`,
    )
    .option('--grpc-port <port>', `OTLP/gRPC port (env PHOENIX_GRPC_PORT, default ${DEFAULTS.grpcPort})`)
    .option(
      '--working-dir <dir>',
      'where the SQLite database lives (env PHOENIX_WORKING_DIR, default ~/.fawkes)',
    )
    .option(
      '--database-url <url>',
      'sqlite:///path/to/file.db or postgresql://user:pass@host:port/db (env PHOENIX_SQL_DATABASE_URL)',
    )
    .option(
      '--project-name <name>',
      `project for spans that name none (env PHOENIX_PROJECT_NAME, default ${DEFAULTS.defaultProject})`,
    )
    .option(
      '--max-queued-spans <n>',
      `spans waiting to be stored before exporters are told to back off (env FAWKES_MAX_QUEUED_SPANS, default ${DEFAULTS.maxQueuedSpans})`,
    );

serverOptions(program.command('serve'))
  .description('start the server (SQLite in the working directory unless a database URL is given)')
  .action(async (flags: ConfigFlags) => {
    const config = resolveConfig(flags);
    const server = await createServer(config);
    const grpcHost = config.host.includes(':') ? `[${config.host}]` : config.host;
    console.log(`Fawkes ${FAWKES_VERSION} is running (Phoenix API ${PHOENIX_COMPATIBLE_VERSION})`);
    console.log(`  UI and REST API  ${server.url}`);
    console.log(`  OTLP/HTTP        ${server.url}/v1/traces`);
    console.log(`  OTLP/gRPC        ${grpcHost}:${server.grpcPort}`);
    console.log(`  Data             ${server.dataLocation}`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      console.log(`${signal}: storing the spans already accepted, then stopping…`);
      server.close().then(
        () => {
          console.log('Stopped.');
          process.exit(0);
        },
        (error: Error) => {
          console.error(`Error while stopping: ${error.message}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('bring the database schema to the newest version, then exit')
  .option('--working-dir <dir>', 'where the SQLite database lives (env PHOENIX_WORKING_DIR)')
  .option('--database-url <url>', 'database URL (env PHOENIX_SQL_DATABASE_URL)')
  .action(async (flags: ConfigFlags) => {
    const config = resolveConfig(flags);
    const applied = await migrateDatabase(config.database);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  });

program.parseAsync().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof PortInUseError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof InvalidArgumentError
  ) {
    console.error(`fawkes: ${error.message}`);
  } else {
    console.error(`fawkes: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exit(1);
});
