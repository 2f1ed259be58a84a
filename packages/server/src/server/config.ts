import { type AuthConfig, resolveAuthConfig } from '../auth/auth-config.js';
import { type DatabaseLocation, defaultWorkingDir, resolveDatabaseLocation } from '../store/database-url.js';
import { checkSchemaName } from '../store/postgres/location-errors.js';
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from './connection-limits.js';
import { normalizedOrigin, originList } from './cross-origin.js';

export interface ServerConfig {
  host: string;
  port: number;
  grpcPort: number;
  workingDir: string;
  database: DatabaseLocation;
  /** Project for spans that name none (PHOENIX_PROJECT_NAME, else `default`). */
  defaultProject: string;
  /** Largest request body (OTLP also after decompression) and gRPC message (FAWKES_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Largest body of the session, user and API-key routes (FAWKES_MAX_AUTH_BODY_BYTES): api/limits.ts. */
  maxAuthBodyBytes: number;
  /** Bytes all OTLP/HTTP bodies may take decompressed at once; past it: 503 (collector/decompression-budget.ts). */
  decompressionBudgetBytes: number;
  /** Spans decoded and waiting for their commit, at most; beyond that: 503 / RESOURCE_EXHAUSTED. */
  maxQueuedSpans: number;
  /** OTLP request bytes accepted and not yet answered, at most (FAWKES_MAX_IN_FLIGHT_BYTES); beyond: 503 (writer/ingest-pipeline.ts). */
  maxInFlightBytes: number;
  /** Spans per write transaction, at most. */
  maxBatchSpans: number;
  /** Open connections (FAWKES_MAX_CONNECTIONS) and the header and request timeouts: connection-limits.ts. */
  connectionLimits: ConnectionLimits;
  /** SQLite: WAL size (pages) beyond which the writer finishes a checkpoint itself (writer/sqlite/wal-checkpointer.ts). */
  walLimitPages?: number;
  /** One JSON line per request answered (FAWKES_ACCESS_LOG=1 / --access-log); 5xx are logged always. */
  accessLog: boolean;
  /** Where the log's JSON lines go: a file (FAWKES_LOG_FILE / --log-file), else stderr. */
  logFile?: string;
  /** Host names answered besides the loopback ones (FAWKES_ALLOWED_HOSTS; `*`: any): allowed-hosts.ts. */
  allowedHosts: string[];
  /** Authentication (PHOENIX_ENABLE_AUTH=true and its variables: auth/auth-config.ts); null: off. */
  auth: AuthConfig | null;
  /** Origins given CORS headers (PHOENIX_ALLOWED_ORIGINS, comma-separated; `*`: any): cross-origin.ts. */
  allowedOrigins: string[];
  /** Origins whose cookie-authenticated writes are taken besides the server's own (PHOENIX_CSRF_TRUSTED_ORIGINS). */
  csrfTrustedOrigins: string[];
  /** Age limit, in days, of projects without a retention policy of their own (PHOENIX_DEFAULT_RETENTION_POLICY_DAYS; 0: keep everything). */
  defaultRetentionDays: number;
  /** How often the retention sweeper runs (FAWKES_RETENTION_INTERVAL_SECONDS; 0: never). */
  retentionSweepIntervalMs: number;
}

/** What a user may set on the command line; each overrides its environment variable. */
export interface ConfigFlags {
  host?: string;
  port?: string | number;
  grpcPort?: string | number;
  workingDir?: string;
  databaseUrl?: string;
  projectName?: string;
  maxQueuedSpans?: string | number;
  accessLog?: boolean;
  logFile?: string;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 6006,
  grpcPort: 4317,
  defaultProject: 'default',
  maxBodyBytes: 64 * 1024 * 1024,
  maxAuthBodyBytes: 64 * 1024,
  decompressionBudgetBytes: 96 * 1024 * 1024,
  maxQueuedSpans: 20_000,
  /**
   * Each request byte in flight is held two or three times over until its answer (the body, its
   * decoded spans, their serialized form in the writer's queue). 4 × the body limit (256 MiB) before:
   * several hundred MiB of decoded spans under many exporters. At the defaults the writer's queue
   * (20,000 spans, ~24 MB of typical protobuf) binds first; one request is always taken when
   * nothing else is in flight, whatever its size.
   */
  maxInFlightBytes: 32 * 1024 * 1024,
  maxBatchSpans: 5_000,
  retentionSweepIntervalSeconds: 600,
} as const;

export class ConfigError extends Error {}

function integer(
  name: string,
  value: string | number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** PHOENIX_SQL_DATABASE_SCHEMA applies to PostgreSQL only (as in Phoenix); checked as an identifier. */
function withSchema(location: DatabaseLocation, schema: string | undefined): DatabaseLocation {
  if (location.dialect !== 'postgresql' || !schema) return location;
  try {
    return { ...location, schema: checkSchemaName(schema) };
  } catch (error) {
    throw new ConfigError(`PHOENIX_SQL_DATABASE_SCHEMA: ${(error as Error).message}`);
  }
}

/** Flags, then PHOENIX_* environment variables, then defaults. */
export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const logFile = flags.logFile || env.FAWKES_LOG_FILE;
  const workingDir = flags.workingDir || defaultWorkingDir(env);
  return {
    host: flags.host || env.PHOENIX_HOST || DEFAULTS.host,
    port: integer('port (--port / PHOENIX_PORT)', flags.port ?? env.PHOENIX_PORT, DEFAULTS.port, 0, 65535),
    grpcPort: integer(
      'gRPC port (--grpc-port / PHOENIX_GRPC_PORT)',
      flags.grpcPort ?? env.PHOENIX_GRPC_PORT,
      DEFAULTS.grpcPort,
      0,
      65535,
    ),
    workingDir,
    database: withSchema(
      resolveDatabaseLocation(flags.databaseUrl || env.PHOENIX_SQL_DATABASE_URL, workingDir),
      env.PHOENIX_SQL_DATABASE_SCHEMA,
    ),
    defaultProject: flags.projectName || env.PHOENIX_PROJECT_NAME || DEFAULTS.defaultProject,
    maxBodyBytes: integer(
      'maximum request body (FAWKES_MAX_BODY_BYTES)',
      env.FAWKES_MAX_BODY_BYTES,
      DEFAULTS.maxBodyBytes,
      1024,
      1024 * 1024 * 1024,
    ),
    maxAuthBodyBytes: integer(
      'maximum body of the auth and user routes (FAWKES_MAX_AUTH_BODY_BYTES)',
      env.FAWKES_MAX_AUTH_BODY_BYTES,
      DEFAULTS.maxAuthBodyBytes,
      1024,
      1024 * 1024 * 1024,
    ),
    decompressionBudgetBytes: DEFAULTS.decompressionBudgetBytes,
    maxQueuedSpans: integer(
      'maximum queued spans (--max-queued-spans / FAWKES_MAX_QUEUED_SPANS)',
      flags.maxQueuedSpans ?? env.FAWKES_MAX_QUEUED_SPANS,
      DEFAULTS.maxQueuedSpans,
      1,
      10_000_000,
    ),
    maxInFlightBytes: integer(
      'maximum OTLP request bytes in flight (FAWKES_MAX_IN_FLIGHT_BYTES)',
      env.FAWKES_MAX_IN_FLIGHT_BYTES,
      DEFAULTS.maxInFlightBytes,
      1024,
      16 * 1024 * 1024 * 1024,
    ),
    maxBatchSpans: DEFAULTS.maxBatchSpans,
    connectionLimits: connectionLimits(env),
    accessLog: flags.accessLog ?? switchOn('FAWKES_ACCESS_LOG', env.FAWKES_ACCESS_LOG),
    defaultRetentionDays: integer(
      'PHOENIX_DEFAULT_RETENTION_POLICY_DAYS',
      env.PHOENIX_DEFAULT_RETENTION_POLICY_DAYS,
      0,
      0,
      36_500,
    ),
    retentionSweepIntervalMs:
      1000 *
      integer(
        'FAWKES_RETENTION_INTERVAL_SECONDS',
        env.FAWKES_RETENTION_INTERVAL_SECONDS,
        DEFAULTS.retentionSweepIntervalSeconds,
        0,
        7 * 24 * 3600,
      ),
    allowedHosts: (env.FAWKES_ALLOWED_HOSTS ?? '').split(',').filter((name) => name.trim() !== ''),
    auth: resolveAuthConfig(env),
    allowedOrigins: origins('PHOENIX_ALLOWED_ORIGINS', env.PHOENIX_ALLOWED_ORIGINS, true),
    csrfTrustedOrigins: origins('PHOENIX_CSRF_TRUSTED_ORIGINS', env.PHOENIX_CSRF_TRUSTED_ORIGINS, false),
    ...(logFile ? { logFile } : {}),
  };
}

/** FAWKES_MAX_CONNECTIONS, the three timeouts (seconds) and the header and URL bounds (bytes). */
function connectionLimits(env: NodeJS.ProcessEnv): ConnectionLimits {
  const d = DEFAULT_CONNECTION_LIMITS;
  const ms = (name: string, fallbackMs: number) =>
    1000 * integer(`${name} (seconds)`, env[name], fallbackMs / 1000, 1, 24 * 3600);
  const limits: ConnectionLimits = {
    ...d,
    maxConnections: integer(
      'maximum open connections (FAWKES_MAX_CONNECTIONS)',
      env.FAWKES_MAX_CONNECTIONS,
      d.maxConnections,
      1,
      1_000_000,
    ),
    headersTimeoutMs: ms('FAWKES_HEADERS_TIMEOUT_SECONDS', d.headersTimeoutMs),
    requestTimeoutMs: ms('FAWKES_REQUEST_TIMEOUT_SECONDS', d.requestTimeoutMs),
    keepAliveTimeoutMs: ms('FAWKES_KEEP_ALIVE_TIMEOUT_SECONDS', d.keepAliveTimeoutMs),
    maxHeaderBytes: integer(
      'FAWKES_MAX_HEADER_BYTES',
      env.FAWKES_MAX_HEADER_BYTES,
      d.maxHeaderBytes,
      1024,
      1024 * 1024,
    ),
    maxUrlBytes: integer('FAWKES_MAX_URL_BYTES', env.FAWKES_MAX_URL_BYTES, d.maxUrlBytes, 256, 1024 * 1024),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError('FAWKES_HEADERS_TIMEOUT_SECONDS must not exceed FAWKES_REQUEST_TIMEOUT_SECONDS');
  }
  if (limits.maxUrlBytes >= limits.maxHeaderBytes) {
    throw new ConfigError(
      'FAWKES_MAX_URL_BYTES must be below FAWKES_MAX_HEADER_BYTES (the URL is part of the headers)',
    );
  }
  return limits;
}

/** A comma-separated list of origins (`scheme://host[:port]`; `*` where `star` is allowed). */
function origins(name: string, value: string | undefined, star: boolean): string[] {
  const list = originList(value);
  for (const entry of list) {
    if ((star && entry === '*') || normalizedOrigin(entry) !== null) continue;
    throw new ConfigError(
      `${name}: ${JSON.stringify(entry)} is not an origin such as https://app.example.com`,
    );
  }
  return list;
}

/** An on/off environment variable: 1/true/yes/on or 0/false/no/off (or unset: off). */
function switchOn(name: string, value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(text)) return false;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  throw new ConfigError(`${name} must be 1 or 0 (true/false, yes/no, on/off), not ${JSON.stringify(value)}`);
}
