#!/usr/bin/env node
import { InferencesError } from '@fawkes/inferences';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, type ConfigFlags, DEFAULTS, resolveConfig } from './server/config.js';
import { createServer, PortInUseError, type ServerOptions } from './server/create-server.js';
import {
  type InferenceFileFlags,
  InferenceFilesError,
  loadInferenceFiles,
} from './server/inference-files.js';
import { inferenceModel } from './server/inference-model.js';
import { type InferenceSets, inferenceSetProblems, SET_ROLES } from './server/inference-sets.js';
import {
  DEFAULT_UMAP_PARAMETERS,
  parseUmapParameters,
  type UmapParameters,
} from './server/umap-parameters.js';
import { migrateDatabase } from './store/migrate-database.js';
import { DatabaseUnavailableError } from './store/postgres/location-errors.js';
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
    )
    .option(
      '--access-log',
      'log every request as a JSON line (env FAWKES_ACCESS_LOG=1; 5xx are always logged)',
    )
    .option(
      '--log-file <file>',
      'write the JSON log lines to this file instead of stderr (env FAWKES_LOG_FILE)',
    );

const inferenceOptions = (command: Command) =>
  command
    .option('--primary <file>', "the model's inferences to judge (.parquet, .csv, .jsonl or .ndjson)")
    .option('--reference <file>', 'the baseline the primary set is compared with (drift)')
    .option('--corpus <file>', 'the documents a retriever reads (retrieval analysis)')
    .option(
      '--schema <file>',
      'JSON: {"primary": <schema>, "reference": <schema>, "corpus": <schema>} (Phoenix\'s Schema.to_json() form or camelCase), or one schema for every set',
    )
    .option('--primary-schema <file>', "JSON: the primary set's schema (instead of --schema)")
    .option('--reference-schema <file>', "JSON: the reference set's schema")
    .option('--corpus-schema <file>', "JSON: the corpus's schema")
    .option('--primary-name <name>', "the primary set's name (default: its file's name)")
    .option('--reference-name <name>', "the reference set's name")
    .option('--corpus-name <name>', "the corpus's name")
    .option(
      '--umap-parameters <min_dist,n_neighbors,n_samples>',
      "the point cloud's UMAP defaults (default 0,30,500; ranges 0-0.99, 5-100, 1-1000)",
    );

type ServeFlags = ConfigFlags & InferenceFileFlags & { umapParameters?: string };

function umapFlag(text: string | undefined): UmapParameters {
  if (text === undefined) return { ...DEFAULT_UMAP_PARAMETERS };
  const { value, problems } = parseUmapParameters(text);
  if (!value) throw new InferenceFilesError(problems.join('; '));
  return value;
}

/** The inference sets the flags name, and the server options that serve them. */
async function inferencesOf(flags: ServeFlags): Promise<{ sets: InferenceSets; options: ServerOptions }> {
  const umapParameters = umapFlag(flags.umapParameters);
  const sets = await loadInferenceFiles(flags);
  const problems = inferenceSetProblems(sets);
  if (problems.length > 0) throw new InferenceFilesError(problems.join('; '));
  const model = inferenceModel(sets);
  return { sets, options: model ? { inferences: { model, umapParameters } } : {} };
}

function describeSets(sets: InferenceSets): string {
  const loaded = SET_ROLES.filter((role) => sets[role] !== undefined).map(
    (role) => `${role} "${sets[role]!.name}" (${sets[role]!.rowCount.toLocaleString('en-US')} rows)`,
  );
  return loaded.length > 0 ? loaded.join(', ') : 'none (give --primary FILE --schema FILE to judge a model)';
}

inferenceOptions(serverOptions(program.command('serve')))
  .description(
    'start the server (SQLite in the working directory unless a database URL is given); with --primary, serve inference sets too',
  )
  .action(async (flags: ServeFlags) => {
    const config = resolveConfig(flags);
    const { sets, options } = await inferencesOf(flags);
    const server = await createServer(config, options);
    const grpcHost = config.host.includes(':') ? `[${config.host}]` : config.host;
    // One write, so that whoever reads the banner (a test, launchApp's child mode) sees it whole.
    console.log(
      [
        `Fawkes ${FAWKES_VERSION} is running (Phoenix API ${PHOENIX_COMPATIBLE_VERSION})`,
        `  UI and REST API  ${server.url}`,
        `  OTLP/HTTP        ${server.url}/v1/traces`,
        `  OTLP/gRPC        ${grpcHost}:${server.grpcPort}`,
        `  Data             ${server.dataLocation}`,
        `  Inferences       ${describeSets(sets)}`,
      ].join('\n'),
    );
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
    error instanceof InvalidArgumentError ||
    error instanceof InferenceFilesError ||
    error instanceof InferencesError
  ) {
    console.error(`fawkes: ${error.message}`);
  } else {
    console.error(`fawkes: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exit(1);
});
