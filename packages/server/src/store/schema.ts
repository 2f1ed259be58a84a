import type { ColumnType, Generated } from 'kysely';

/**
 * Tables as Kysely sees them. Instants are integers: microseconds since the Unix epoch (UTC), which
 * both SQLite (INTEGER) and PostgreSQL (BIGINT) index and compare natively. JSON columns hold text
 * in SQLite and jsonb in PostgreSQL; they are serialized by the repositories.
 */
type Micros = number;
type Json = ColumnType<string, string, string>;

export interface ProjectsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: Micros;
  updated_at: Micros;
}

export interface ProjectSessionsTable {
  id: Generated<number>;
  session_id: string;
  project_id: number;
  start_time: Micros;
  end_time: Micros;
  /** Write-time rollups, so that session lists never aggregate over spans. */
  num_traces: Generated<number>;
  token_count_prompt: Generated<number>;
  token_count_completion: Generated<number>;
  error_count: Generated<number>;
  first_input: string | null;
  first_input_time: Micros | null;
  last_output: string | null;
  last_output_time: Micros | null;
}

export interface TracesTable {
  id: Generated<number>;
  project_id: number;
  trace_id: string;
  project_session_id: number | null;
  start_time: Micros;
  end_time: Micros;
}

export interface SpansTable {
  id: Generated<number>;
  trace_rowid: number;
  span_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  start_time: Micros;
  end_time: Micros;
  attributes: Json;
  events: Json;
  status_code: string;
  status_message: string;
  cumulative_error_count: number;
  cumulative_llm_token_count_prompt: number;
  cumulative_llm_token_count_completion: number;
  llm_token_count_prompt: number;
  llm_token_count_completion: number;
  /** US dollars, priced at write time (migration 0011); null when no price matches. */
  cost_prompt: number | null;
  cost_completion: number | null;
  cost_total: number | null;
}

/** Projects whose stored spans are being priced again (migration 0011, cost/recoster.ts). */
export interface CostRecostQueueTable {
  project_id: number;
  after_span_id: Generated<number>;
}

interface AnnotationColumns {
  id: Generated<number>;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: Json;
  annotator_kind: 'LLM' | 'CODE' | 'HUMAN';
  identifier: Generated<string>;
  source: 'API' | 'APP';
  user_id: number | null;
  created_at: Micros;
  updated_at: Micros;
}

export interface SpanAnnotationsTable extends AnnotationColumns {
  span_rowid: number;
}
export interface TraceAnnotationsTable extends AnnotationColumns {
  trace_rowid: number;
}
export interface ProjectSessionAnnotationsTable extends AnnotationColumns {
  project_session_id: number;
}
export interface DocumentAnnotationsTable extends AnnotationColumns {
  span_rowid: number;
  document_position: number;
}

/** Annotations accepted without `sync` whose target has not arrived yet (migration 0002). */
export interface PendingAnnotationsTable {
  id: Generated<number>;
  kind: 'span' | 'trace' | 'session' | 'document';
  target: string;
  document_position: number | null;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: Json;
  annotator_kind: 'LLM' | 'CODE' | 'HUMAN';
  identifier: Generated<string>;
  created_at: Micros;
}

/** A project's own retention policy (migration 0009); null limits: none on that axis. */
export interface RetentionPoliciesTable {
  project_id: number;
  max_age_days: number | null;
  max_traces: number | null;
  updated_at: Micros;
}

export type UserRole = 'SYSTEM' | 'ADMIN' | 'MEMBER' | 'VIEWER';

/** Migration 0006: users, API keys and login sessions. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  role: UserRole;
  /** scrypt (auth/password.ts); null for the system user and for users who never set one. */
  password_hash: string | null;
  /** 1: the user must choose a new password before anything else. */
  reset_password: number;
  created_at: Micros;
  updated_at: Micros;
}

export interface ApiKeysTable {
  id: Generated<number>;
  kind: 'user' | 'system';
  user_id: number;
  /** The key's public part, for the lookup (auth/api-key-secret.ts). */
  key_id: string;
  salt: string;
  key_hash: string;
  name: string;
  description: string | null;
  expires_at: Micros | null;
  created_at: Micros;
}

export interface AuthSessionsTable {
  id: Generated<number>;
  session_id: string;
  user_id: number;
  expires_at: Micros;
  created_at: Micros;
}

/** Annotation configs (migration 0008): `config` is the JSON of AnnotationConfigDocument. */
export interface AnnotationConfigsTable {
  id: Generated<number>;
  name: string;
  config: Json;
}

export interface ProjectAnnotationConfigsTable {
  id: Generated<number>;
  project_id: number;
  annotation_config_id: number;
}

/** A project's own model price (migration 0007), before the built-in table. */
export interface ModelPricesTable {
  id: Generated<number>;
  project_id: number;
  model_name_pattern: string;
  provider: string | null;
  prompt_cost_per_token: number;
  completion_cost_per_token: number;
  cache_read_cost_per_token: number | null;
  cache_write_cost_per_token: number | null;
  reasoning_cost_per_token: number | null;
  created_at: Micros;
}

export interface Database {
  projects: ProjectsTable;
  model_prices: ModelPricesTable;
  project_sessions: ProjectSessionsTable;
  traces: TracesTable;
  spans: SpansTable;
  cost_recost_queue: CostRecostQueueTable;
  span_annotations: SpanAnnotationsTable;
  trace_annotations: TraceAnnotationsTable;
  project_session_annotations: ProjectSessionAnnotationsTable;
  document_annotations: DocumentAnnotationsTable;
  pending_annotations: PendingAnnotationsTable;
  annotation_configs: AnnotationConfigsTable;
  project_annotation_configs: ProjectAnnotationConfigsTable;
  retention_policies: RetentionPoliciesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  auth_sessions: AuthSessionsTable;
}

export type SqlDialect = 'sqlite' | 'postgresql';
