/**
 * The writes of annotation configs, as one store command (`annotationConfigs`, see commands.ts):
 * each operation is one transaction. SQLite runs them on the writer thread
 * (annotation-configs-sqlite.ts), PostgreSQL on the API's pool (annotation-configs-postgres.ts).
 */
import type { AnnotationConfigDocument, AnnotationConfigRecord } from '../model/annotation-config.js';

export type AnnotationConfigCommand =
  | { op: 'create'; name: string; config: AnnotationConfigDocument }
  | { op: 'update'; id: number; name: string; config: AnnotationConfigDocument }
  | { op: 'delete'; id: number }
  /** Idempotent: assigning an assigned config changes nothing. */
  | { op: 'assign'; projectId: number; configId: number }
  /** Idempotent: unassigning a config that is not assigned changes nothing. */
  | { op: 'unassign'; projectId: number; configId: number }
  /** The project's whole set becomes `configIds`. */
  | { op: 'set'; projectId: number; configIds: number[] };

export type AnnotationConfigOutcome =
  /** create, update, delete, assign: the config; set: the project's configs, newest first; unassign: none. */
  | { status: 'ok'; configs: AnnotationConfigRecord[] }
  /** create, update: another config has that name; nothing was written. */
  | { status: 'name-taken' }
  /** The config (update, delete, assign, unassign) or the project is not (or no longer) there. */
  | { status: 'missing' }
  /** set: some of the configs do not exist; nothing was written. */
  | { status: 'missing-configs' };
