import { setTimeout as sleep } from 'node:timers/promises';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandling } from '../api/errors.js';
import { healthRoutes } from '../api/health.js';
import { applyBodyLimits } from '../api/limits.js';
import { refuseNulCharacters } from '../api/nul-characters.js';
import { OPENAPI_OPTIONS } from '../api/openapi.js';
import { restApi } from '../api/rest-api.js';
import type { InferencesContext } from '../api/routes/context.js';
import { authApi } from '../auth/auth-api.js';
import { requireAuthentication } from '../auth/auth-hook.js';
import type { AuthRuntime } from '../auth/start-auth.js';
import { type GrpcCollector, startGrpcCollector } from '../collector/grpc.js';
import { otlpHttpRoutes } from '../collector/http.js';
import { recosterFor } from '../cost/recoster.js';
import { spanQueryRoutes } from '../span-query/span-query-routes.js';
import { webUi } from '../ui-api/ui-plugin.js';
import { PHOENIX_COMPATIBLE_VERSION } from '../version.js';
import type { StoreCommands } from '../writer/commands.js';
import type { IngestWriter } from '../writer/ingest-writer.js';
import { hostPolicy, refuseUnknownHosts } from './allowed-hosts.js';
import type { ServerConfig } from './config.js';
import {
  capConnections,
  clientErrorHandler,
  httpServerOptions,
  refuseLongUrls,
} from './connection-limits.js';
import { crossOriginPolicy, guardCrossOrigin } from './cross-origin.js';
import { httpLoggerOptions, installAccessLog } from './http-logging.js';
import { startRetentionSweeper } from './retention-sweeper.js';
import { openServerStore, type ServerStore } from './server-store.js';

export interface FawkesServer {
  readonly config: ServerConfig;
  /** Base URL of the HTTP server (REST API, OTLP/HTTP, UI). */
  readonly url: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Where the data lives, for people: a file path or a redacted database URL. */
  readonly dataLocation: string;
  /** Stops accepting requests, answers those in flight, stores every accepted span, then stops. */
  close(): Promise<void>;
  /**
   * @internal A server in this process: its writer and commands, for what launchApp loads (no HTTP
   * round trip, no credential). Absent for a server in another process.
   */
  readonly local?: LocalWrites;
}

/** The writes a server in this process takes without HTTP: the collectors' and the annotation routes' own. */
export interface LocalWrites {
  submitSpans: IngestWriter['submit'];
  upsertAnnotations: StoreCommands['upsertAnnotations'];
}

export class PortInUseError extends Error {}

/** What a server holds besides its configuration. */
export interface ServerOptions {
  /** The inference sets it answers `/v1/inferences` from (built once, by whoever launches it). */
  inferences?: InferencesContext;
}

/**
 * The whole server: store, writer thread, HTTP (API + OTLP/HTTP) and gRPC collectors; with
 * `options.inferences`, the inferences API too.
 */
export async function createServer(config: ServerConfig, options: ServerOptions = {}): Promise<FawkesServer> {
  // SQLite (a writer thread owns the file) or PostgreSQL (shared with other servers): server-store.ts.
  const store = await openServerStore(config);
  const { writer } = store;
  const cleanups: (() => Promise<void> | void)[] = [() => store.close()];
  const cleanUp = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  try {
    // Loaded only with authentication on (its token library is not needed otherwise).
    const auth = config.auth
      ? await (await import('../auth/start-auth.js')).startAuth(config.auth, store.reads.db)
      : null;
    const app = buildHttpApp(config, store, options, auth);
    for (const admin of auth?.provisionedAdmins ?? []) {
      // Told once, at the start that gave it: the admin must change it at the first login.
      app.log.warn(
        { username: admin.username, email: admin.email, initial_password: admin.password },
        'PHOENIX_ADMINS: initial password (a new one must be chosen at the first login)',
      );
    }
    closeConnectionsWhenAnswered(app);
    cleanups.push(() => app.close());
    // Closed before the app and the store (cleanups run in reverse): its running batch finishes first.
    const retention = startRetentionSweeper(config, store, app.log);
    cleanups.push(() => retention.close());
    // Spans queued for re-costing (stored before migration 0011, or before a crash) get their costs.
    const recoster = recosterFor(store.commands, (error) =>
      app.log.error({ err: error }, 're-costing failed'),
    );
    void recoster.drain();
    cleanups.push(() => recoster.close());
    const httpPort = await listen(app, config);

    const grpc: GrpcCollector = await startGrpcCollector(config.host, config.grpcPort, {
      writer,
      defaultProject: config.defaultProject,
      maxMessageBytes: config.maxBodyBytes,
      authenticate: auth?.authenticateGrpc,
      log: app.log,
    }).catch((error: NodeJS.ErrnoException) => {
      throw portError(error, 'gRPC', config.host, config.grpcPort, '--grpc-port or PHOENIX_GRPC_PORT');
    });
    // gRPC stops before HTTP so both drain while the writer still runs (cleanups run in reverse).
    cleanups.push(() => grpc.close());

    const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return {
      config,
      url: `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${httpPort}`,
      httpPort,
      grpcPort: grpc.port,
      dataLocation: store.dataLocation,
      close: cleanUp,
      local: {
        submitSpans: (body, encoding, options) => writer.submit(body, encoding, options),
        upsertAnnotations: (args) => store.commands.upsertAnnotations(args),
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function buildHttpApp(
  config: ServerConfig,
  store: ServerStore,
  options: ServerOptions,
  auth: AuthRuntime | null,
): FastifyInstance {
  const { writer } = store;
  const app = Fastify({
    ...httpLoggerOptions(config),
    bodyLimit: config.maxBodyBytes,
    forceCloseConnections: 'idle',
    http: httpServerOptions(config.connectionLimits),
    requestTimeout: config.connectionLimits.requestTimeoutMs,
    keepAliveTimeout: config.connectionLimits.keepAliveTimeoutMs,
    clientErrorHandler: clientErrorHandler(config.connectionLimits),
  });
  capConnections(app.server, config.connectionLimits.maxConnections);
  refuseLongUrls(app, config.connectionLimits.maxUrlBytes);
  // Before any route: each gets its body bound as it is added (api/limits.ts).
  applyBodyLimits(app, { authBytes: config.maxAuthBodyBytes, defaultBytes: config.maxBodyBytes });
  installAccessLog(app, config);
  refuseUnknownHosts(app, hostPolicy(config.host, config.allowedHosts));
  guardCrossOrigin(
    app,
    crossOriginPolicy({
      allowedOrigins: config.allowedOrigins,
      csrfTrustedOrigins: config.csrfTrustedOrigins,
      authOn: auth !== null,
    }),
  );
  if (auth) requireAuthentication(app, auth.authenticator);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-phoenix-server-version', PHOENIX_COMPATIBLE_VERSION);
    reply.header('x-colab-notebook-cache-control', 'no-cache');
  });
  installErrorHandling(app);
  refuseNulCharacters(app);
  // First, so that it sees every route: the OpenAPI document (/openapi.json, /docs).
  app.register(swagger, OPENAPI_OPTIONS);
  app.register(healthRoutes, { ready: () => writer.healthy });
  app.register(otlpHttpRoutes, {
    writer,
    defaultProject: config.defaultProject,
    maxBodyBytes: config.maxBodyBytes,
    decompressionBudgetBytes: config.decompressionBudgetBytes,
  });
  // Reads on the server's own connection, writes through the writer thread.
  app.register(restApi, {
    store: store.reads,
    commands: store.commands,
    defaultProject: config.defaultProject,
    defaultRetentionDays: config.defaultRetentionDays,
    inferences: options.inferences,
    workingDir: config.workingDir,
  });
  // Users, API keys and login (/v1/user, /v1/users, /v1/user/api_keys, /v1/system/api_keys, /auth/...).
  app.register(authApi, { auth });
  // Span queries (POST /v1/spans): the filter language compiled to SQL, on the read connection.
  app.register(spanQueryRoutes, { store: store.reads, defaultProject: config.defaultProject });
  // The web UI at `/` and the endpoints it reads (`/v1/ui/...`; on SQLite, on reader threads of its own).
  const { database } = config;
  app.register(webUi, {
    store: store.reads,
    ...(database.dialect === 'sqlite' ? { sqlitePath: database.path } : {}),
    allowedOrigins: config.allowedOrigins,
  });
  return app;
}

/**
 * How long a drain lets idle keep-alive connections deliver a request already sent before it closes
 * them (then one more turn of the event loop, so that bytes already received are read even when the
 * loop ran late).
 */
const IDLE_CONNECTION_GRACE_MS = 100;

/**
 * Once closing has begun, every response ends its keep-alive connection. Fastify closes only the
 * connections idle when `close()` starts; one still answering then would stay open (and keep the
 * port, and `close()` waiting) until its keep-alive timeout, 72 s. And an "idle" connection may
 * hold a request the server has received but not read yet: closed at once, that request would see
 * its socket closed without an answer (exporters do not retry that), so idle connections get a
 * grace before they are closed, and what arrives in it is answered (503 while closing).
 */
function closeConnectionsWhenAnswered(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    const open = await new Promise<number>((done) =>
      app.server.getConnections((error, count) => done(error ? 1 : count)),
    );
    if (open === 0) return;
    await sleep(IDLE_CONNECTION_GRACE_MS);
    await new Promise((done) => setImmediate(done));
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
}

async function listen(app: FastifyInstance, config: ServerConfig): Promise<number> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    throw portError(
      error as NodeJS.ErrnoException,
      'HTTP',
      config.host,
      config.port,
      '--port or PHOENIX_PORT',
    );
  }
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : config.port;
}

function portError(
  error: NodeJS.ErrnoException,
  what: string,
  host: string,
  port: number,
  setting: string,
): Error {
  const inUse =
    error.code === 'EADDRINUSE' || /EADDRINUSE|address already in use|No address added/i.test(error.message);
  if (!inUse) return error;
  return new PortInUseError(
    `${what} port ${port} on ${host} is already in use: choose another with ${setting}`,
  );
}
