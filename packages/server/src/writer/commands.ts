/**
 * Every write the REST API makes (projects, deletes, transfers, logged spans, annotations, notes)
 * as one async interface. SQLite implements it by sending commands to the writer thread, which owns
 * the file (commands-client.ts → commands-worker.ts → commands-sqlite.ts); PostgreSQL can implement
 * it directly on a pool. Each method is one transaction: it changes everything or nothing, and
 * resolves only once committed. Arguments and results are plain data (they cross threads).
 */

import type { RecostOutcome } from '../cost/recost.js';
import type { SpanRecord } from '../model/span-record.js';
import type { RetentionLimits, SweepCriterion } from '../retention/policy.js';
import type { AnnotationConfigCommand, AnnotationConfigOutcome } from './annotation-config-commands.js';
import type { ModelPriceCommand, ModelPriceOutcome } from './model-price-commands.js';

export type AnnotatorKind = 'LLM' | 'CODE' | 'HUMAN';

export interface ProjectRecord {
  id: number;
  name: string;
  description: string | null;
}

/** What an annotation is attached to. */
export type AnnotationKind = 'span' | 'trace' | 'session' | 'document';

export interface AnnotationInput {
  /** span_id (span, document), trace_id (trace) or session_id (session): the user's ids, not row ids. */
  target: string;
  /** Documents only: 0-based position of the document in the span's `retrieval.documents`. */
  documentPosition?: number;
  name: string;
  annotatorKind: AnnotatorKind;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: Record<string, unknown>;
  identifier: string;
}

export type UpsertAnnotationsResult =
  /** Sync: the row ids, in the order given (an upsert keeps the existing row's id). */
  | { status: 'stored'; ids: number[] }
  /** Sync: some targets do not exist; nothing was written. */
  | { status: 'missing'; targets: string[] }
  /** Sync, documents: a position beyond the span's documents; nothing was written. */
  | { status: 'document-out-of-range'; target: string; position: number; documents: number }
  /** Async: stored, those whose target has not arrived yet kept until it does. */
  | { status: 'accepted' }
  /** Async: as many annotations as may wait for their targets already do; nothing was written. */
  | { status: 'pending-full'; limit: number };

/** A row by its row id (from a GlobalID) or by the user's id (span_id, trace_id, session_id). */
export type RowRef = { rowId: number } | { key: string };

export type TransferTracesResult =
  | { status: 'transferred'; count: number; destinationProjectId: number }
  | { status: 'missing-traces'; identifiers: string[] }
  | { status: 'several-source-projects' }
  | { status: 'missing-destination' };

export type LogSpansResult =
  | { status: 'stored'; inserted: number }
  /** Spans whose span_id is already stored; nothing was written. */
  | { status: 'duplicates'; spans: { spanId: string; traceId: string }[] };

export interface AnnotationDeleteFilter {
  kind: 'span' | 'trace' | 'session';
  projectId: number;
  name: string | null;
  identifier: string | null;
  annotatorKind: AnnotatorKind | null;
  /** created_at ≥ this (micros), when given. */
  createdFrom: number | null;
  /** created_at < this (micros), when given. */
  createdBefore: number | null;
}

export interface StoreCommands {
  /** null when a project with that name exists. */
  createProject(args: { name: string; description: string | null }): Promise<ProjectRecord | null>;
  /** null when there is no such project. */
  updateProject(args: { id: number; description: string | null }): Promise<ProjectRecord | null>;
  /** Deletes the project with its traces, spans, sessions and annotations; false when absent. */
  deleteProject(args: { id: number }): Promise<boolean>;
  /** Deletes the trace with its spans and annotations; false when absent. */
  deleteTrace(args: { trace: RowRef }): Promise<boolean>;
  transferTraces(args: {
    traces: { identifier: string; ref: RowRef }[];
    destinationProjectId: number;
  }): Promise<TransferTracesResult>;
  /** Deletes one span (not its descendants) with its annotations; false when absent. */
  deleteSpan(args: { span: RowRef }): Promise<boolean>;
  /** Stores all the spans, or none when any is already stored. */
  logSpans(args: { spans: SpanRecord[] }): Promise<LogSpansResult>;
  upsertAnnotations(args: {
    kind: AnnotationKind;
    annotations: AnnotationInput[];
    sync: boolean;
  }): Promise<UpsertAnnotationsResult>;
  /**
   * A note: an annotation named `note`, its text as explanation. With an identifier it replaces the
   * note that has it; without, it is a new note. null when the target does not exist.
   */
  createNote(args: {
    kind: 'span' | 'trace' | 'session';
    target: string;
    note: string;
    identifier: string;
  }): Promise<{ id: number } | null>;
  /** Deletes the session with its traces, spans and annotations; false when absent. */
  deleteSession(args: { session: RowRef }): Promise<boolean>;
  /** Deletes the sessions that exist among these; how many were deleted. */
  deleteSessions(args: { rowIds: number[] } | { sessionIds: string[] }): Promise<number>;
  /**
   * A project's model prices (model-price-commands.ts); a change queues the project's spans to be
   * priced again (cost_recost_queue), in the same transaction.
   */
  modelPrices(args: ModelPriceCommand): Promise<ModelPriceOutcome>;
  /** One batch of re-costing (cost/recoster.ts): at most `limit` spans of the first queued project. */
  recostSpans(args: { limit: number }): Promise<RecostOutcome>;
  /** How many annotations were deleted. */
  deleteAnnotations(args: AnnotationDeleteFilter): Promise<number>;
  /** Annotation configs and their projects (annotation-config-commands.ts). */
  annotationConfigs(args: AnnotationConfigCommand): Promise<AnnotationConfigOutcome>;
  /** The project's own retention limits (null: it follows the default again); false when no project. */
  setRetentionPolicy(args: { projectId: number; limits: RetentionLimits | null }): Promise<boolean>;
  /**
   * One batch of a retention sweep: deletes at most `limit` whole traces of the project that the
   * criterion expires (the oldest first), with their spans and annotations, and sessions left
   * empty; how many traces.
   */
  sweepTraces(args: { projectId: number; criterion: SweepCriterion; limit: number }): Promise<number>;
}

export type CommandName = keyof StoreCommands;
export type CommandArgs<N extends CommandName> = Parameters<StoreCommands[N]>[0];
export type CommandResult<N extends CommandName> = Awaited<ReturnType<StoreCommands[N]>>;

/** The same operations, run synchronously on the thread that owns the SQLite file. */
export type SyncStoreCommands = { [N in CommandName]: (args: CommandArgs<N>) => CommandResult<N> };

/** Main thread → writer thread. */
export interface CommandRequest<N extends CommandName = CommandName> {
  type: 'command';
  id: number;
  name: N;
  args: CommandArgs<N>;
}

/** Writer thread → main thread. */
export type CommandResponse =
  | { type: 'command-result'; id: number; ok: true; result: unknown }
  | { type: 'command-result'; id: number; ok: false; message: string };
