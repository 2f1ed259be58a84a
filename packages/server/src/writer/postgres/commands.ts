import type pg from 'pg';
import { pgText } from '../../store/postgres/pg-text.js';
import { PostgresSpanWriter } from '../../store/postgres/span-writer.js';
import { inTransaction } from '../../store/postgres/transaction.js';
import type {
  AnnotationDeleteFilter,
  CommandArgs,
  CommandResult,
  ProjectRecord,
  RowRef,
  StoreCommands,
  TransferTracesResult,
} from '../commands.js';
import { runAnnotationConfigCommand } from './annotation-configs.js';
import { PostgresAnnotationWriter } from './annotations.js';
import { runModelPriceCommand } from './model-prices.js';
import { enqueueRecost, recostBatch } from './recost.js';
import { PostgresRetention } from './retention.js';
import { PostgresRollups } from './rollups.js';

/** Now, in microseconds since the epoch (sub-millisecond, so successive writes rarely tie). */
function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** How often a server looks for targets of pending annotations. */
const PENDING_INTERVAL_MS = 1000;

const ANNOTATION_DELETE_SCOPES: Record<AnnotationDeleteFilter['kind'], { table: string; inProject: string }> =
  {
    span: {
      table: 'span_annotations',
      inProject:
        'span_rowid IN (SELECT s.id FROM spans s JOIN traces t ON s.trace_rowid = t.id WHERE t.project_id = $1)',
    },
    trace: {
      table: 'trace_annotations',
      inProject: 'trace_rowid IN (SELECT id FROM traces WHERE project_id = $1)',
    },
    session: {
      table: 'project_session_annotations',
      inProject: 'project_session_id IN (SELECT id FROM project_sessions WHERE project_id = $1)',
    },
  };

interface TraceRow {
  id: number;
  project_id: number;
  project_session_id: number | null;
}

/**
 * The REST API's writes on PostgreSQL (SqliteCommands' twin, commands-sqlite.ts), straight on a
 * pool: there is no writer thread to go through, other servers may write at the same time. Each
 * command is one transaction, retried when PostgreSQL aborts it for a deadlock. Rows are locked in
 * the span writer's order (traces, then sessions), so a command and an ingest wait for each other
 * rather than deadlock. Also applies pending annotations once their targets arrive (whichever server
 * stored them).
 */
export class PostgresStoreCommands implements StoreCommands {
  private readonly spans: PostgresSpanWriter;
  private readonly timer: NodeJS.Timeout;
  private resolving = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = nowMicros,
  ) {
    this.spans = new PostgresSpanWriter(pool, now);
    this.timer = setInterval(() => void this.resolvePendingAnnotations(), PENDING_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops looking for pending annotations' targets (the pool is the caller's to end). */
  close(): void {
    clearInterval(this.timer);
  }

  /** Applies the pending annotations whose targets have arrived; how many. */
  async resolvePendingAnnotations(): Promise<number> {
    if (this.resolving) return 0;
    this.resolving = true;
    try {
      return await this.run(async (client) => {
        const annotations = new PostgresAnnotationWriter(client);
        return (await annotations.hasPending()) ? annotations.resolvePending() : 0;
      });
    } catch {
      return 0; // tried again on the next tick
    } finally {
      this.resolving = false;
    }
  }

  private run<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  createProject({ name, description }: CommandArgs<'createProject'>) {
    return this.run(async (client) => {
      const now = this.now();
      const { rows } = await client.query<ProjectRecord>(
        `INSERT INTO projects (name, description, created_at, updated_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (name) DO NOTHING RETURNING id, name, description`,
        [pgText(name), pgText(description), now],
      );
      return rows[0] ?? null;
    });
  }

  updateProject({ id, description }: CommandArgs<'updateProject'>) {
    return this.run(async (client) => {
      const { rows } =
        description === null
          ? await client.query<ProjectRecord>('SELECT id, name, description FROM projects WHERE id = $1', [
              id,
            ])
          : await client.query<ProjectRecord>(
              'UPDATE projects SET description = $1, updated_at = $2 WHERE id = $3 RETURNING id, name, description',
              [pgText(description), this.now(), id],
            );
      return rows[0] ?? null;
    });
  }

  deleteProject({ id }: CommandArgs<'deleteProject'>) {
    return this.run(async (client) => {
      const result = await client.query('DELETE FROM projects WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  deleteTrace({ trace }: CommandArgs<'deleteTrace'>) {
    return this.run(async (client) => {
      const row = await findTrace(client, trace);
      if (!row) return false;
      await client.query('DELETE FROM traces WHERE id = $1', [row.id]);
      if (row.project_session_id !== null) {
        await new PostgresRollups(client).refreshSessions([row.project_session_id]);
      }
      return true;
    });
  }

  /**
   * Moves traces to another project. A session all of whose traces move goes with them; traces that
   * leave a session behind in the source project leave the session.
   */
  transferTraces({ traces, destinationProjectId }: CommandArgs<'transferTraces'>) {
    return this.run(async (client): Promise<TransferTracesResult> => {
      const rowIds = traces.flatMap(({ ref }) => ('rowId' in ref ? [ref.rowId] : []));
      const keys = traces.flatMap(({ ref }) => ('key' in ref ? [ref.key] : []));
      const { rows: locked } = await client.query<TraceRow & { trace_id: string }>(
        `SELECT id, trace_id, project_id, project_session_id FROM traces
         WHERE id = ANY($1::bigint[]) OR trace_id = ANY($2::text[]) ORDER BY trace_id FOR UPDATE`,
        [rowIds, keys],
      );
      const byRowId = new Map(locked.map((r) => [r.id, r]));
      const byKey = new Map(locked.map((r) => [r.trace_id, r]));
      const found = new Map<number, TraceRow>();
      const missing: string[] = [];
      for (const { identifier, ref } of traces) {
        const row = 'rowId' in ref ? byRowId.get(ref.rowId) : byKey.get(ref.key);
        if (row) found.set(row.id, row);
        else if (!missing.includes(identifier)) missing.push(identifier);
      }
      if (missing.length > 0) return { status: 'missing-traces', identifiers: missing };
      const destination = await client.query('SELECT 1 FROM projects WHERE id = $1', [destinationProjectId]);
      if (destination.rowCount === 0) return { status: 'missing-destination' };
      const rows = [...found.values()];
      if (new Set(rows.map((r) => r.project_id)).size > 1) return { status: 'several-source-projects' };
      const count = rows.length;
      if (rows[0]?.project_id === destinationProjectId) {
        return { status: 'transferred', count, destinationProjectId };
      }
      await client.query('UPDATE traces SET project_id = $1 WHERE id = ANY($2::bigint[])', [
        destinationProjectId,
        [...found.keys()],
      ]);
      const bySession = new Map<number, number[]>();
      for (const r of rows) {
        if (r.project_session_id === null) continue;
        bySession.set(r.project_session_id, [...(bySession.get(r.project_session_id) ?? []), r.id]);
      }
      const rollups = new PostgresRollups(client);
      for (const session of [...bySession.keys()].sort((a, b) => a - b)) {
        const moved = bySession.get(session)!;
        const { rows: counted } = await client.query<{ n: number }>(
          'SELECT count(*) AS n FROM traces WHERE project_session_id = $1',
          [session],
        );
        if (counted[0]!.n === moved.length) {
          await client.query('UPDATE project_sessions SET project_id = $1 WHERE id = $2', [
            destinationProjectId,
            session,
          ]);
        } else {
          await client.query('UPDATE traces SET project_session_id = NULL WHERE id = ANY($1::bigint[])', [
            moved,
          ]);
          await rollups.refreshSessions([session]);
        }
      }
      return { status: 'transferred', count, destinationProjectId };
    });
  }

  /** As Phoenix: the span's descendants stay (orphaned); its cumulative counts leave its ancestors. */
  deleteSpan({ span }: CommandArgs<'deleteSpan'>) {
    return this.run(async (client) => {
      const where = 'rowId' in span ? 'id = $1' : 'span_id = $1';
      const found = await client.query<{ trace_rowid: number }>(
        `SELECT trace_rowid FROM spans WHERE ${where}`,
        ['rowId' in span ? span.rowId : span.key],
      );
      if (found.rowCount === 0) return false;
      // The trace first, as the span writer locks it, then the span.
      await client.query('SELECT 1 FROM traces WHERE id = $1 FOR UPDATE', [found.rows[0]!.trace_rowid]);
      const { rows } = await client.query<{
        id: number;
        trace_rowid: number;
        parent_id: string | null;
        cumulative_error_count: number;
        cumulative_llm_token_count_prompt: number;
        cumulative_llm_token_count_completion: number;
      }>(
        `DELETE FROM spans WHERE ${where} RETURNING id, trace_rowid, parent_id, cumulative_error_count,
           cumulative_llm_token_count_prompt, cumulative_llm_token_count_completion`,
        ['rowId' in span ? span.rowId : span.key],
      );
      const row = rows[0];
      if (!row) return false;
      if (row.parent_id !== null) {
        await client.query(
          `WITH RECURSIVE ancestors (span_id, parent_id) AS (
             SELECT span_id, parent_id FROM spans WHERE span_id = $1
             UNION
             SELECT s.span_id, s.parent_id FROM spans s JOIN ancestors a ON s.span_id = a.parent_id
           )
           UPDATE spans SET
             cumulative_error_count = cumulative_error_count - $2,
             cumulative_llm_token_count_prompt = cumulative_llm_token_count_prompt - $3,
             cumulative_llm_token_count_completion = cumulative_llm_token_count_completion - $4
           WHERE span_id IN (SELECT span_id FROM ancestors)`,
          [
            row.parent_id,
            row.cumulative_error_count,
            row.cumulative_llm_token_count_prompt,
            row.cumulative_llm_token_count_completion,
          ],
        );
      }
      await new PostgresRollups(client).refreshTraces([row.trace_rowid]);
      return true;
    });
  }

  logSpans({ spans }: CommandArgs<'logSpans'>) {
    return this.run(async (client): Promise<CommandResult<'logSpans'>> => {
      const { rows } = await client.query<{ span_id: string }>(
        'SELECT span_id FROM spans WHERE span_id = ANY($1::text[])',
        [spans.map((s) => s.spanId)],
      );
      if (rows.length > 0) {
        const stored = new Set(rows.map((r) => r.span_id));
        const duplicates = spans.filter((s) => stored.has(s.spanId));
        return {
          status: 'duplicates',
          spans: duplicates.map((s) => ({ spanId: s.spanId, traceId: s.traceId })),
        };
      }
      const [result] = await this.spans.writeInTransaction(client, [spans]);
      return { status: 'stored', inserted: result!.inserted };
    });
  }

  upsertAnnotations({ kind, annotations, sync }: CommandArgs<'upsertAnnotations'>) {
    return this.run((client) =>
      new PostgresAnnotationWriter(client).upsertMany(kind, annotations, sync, this.now()),
    );
  }

  createNote({ kind, target, note, identifier }: CommandArgs<'createNote'>) {
    return this.run((client) =>
      new PostgresAnnotationWriter(client).note(kind, target, note, identifier, this.now()),
    );
  }

  deleteSession({ session }: CommandArgs<'deleteSession'>) {
    return this.run(async (client) => {
      const where = 'rowId' in session ? 'id = $1' : 'session_id = $1';
      const { rows } = await client.query<{ id: number }>(`SELECT id FROM project_sessions WHERE ${where}`, [
        'rowId' in session ? session.rowId : session.key,
      ]);
      if (rows.length === 0) return false;
      await deleteSessions(client, [rows[0]!.id]);
      return true;
    });
  }

  deleteSessions(args: CommandArgs<'deleteSessions'>) {
    return this.run(async (client) => {
      const { rows } =
        'rowIds' in args
          ? await client.query<{ id: number }>(
              'SELECT id FROM project_sessions WHERE id = ANY($1::bigint[])',
              [args.rowIds],
            )
          : await client.query<{ id: number }>(
              'SELECT id FROM project_sessions WHERE session_id = ANY($1::text[])',
              [args.sessionIds],
            );
      return deleteSessions(
        client,
        rows.map((r) => r.id),
      );
    });
  }

  deleteAnnotations(filter: CommandArgs<'deleteAnnotations'>) {
    return this.run(async (client) => {
      const scope = ANNOTATION_DELETE_SCOPES[filter.kind];
      const where = [scope.inProject];
      const params: unknown[] = [filter.projectId];
      const add = (condition: (placeholder: string) => string, value: unknown) => {
        params.push(value);
        where.push(condition(`$${params.length}`));
      };
      if (filter.name !== null) add((p) => `name = ${p}`, filter.name);
      if (filter.identifier !== null) add((p) => `identifier = ${p}`, filter.identifier);
      if (filter.annotatorKind !== null) add((p) => `annotator_kind = ${p}`, filter.annotatorKind);
      if (filter.createdFrom !== null) add((p) => `created_at >= ${p}`, filter.createdFrom);
      if (filter.createdBefore !== null) add((p) => `created_at < ${p}`, filter.createdBefore);
      const result = await client.query(`DELETE FROM ${scope.table} WHERE ${where.join(' AND ')}`, params);
      return result.rowCount ?? 0;
    });
  }

  setRetentionPolicy({ projectId, limits }: CommandArgs<'setRetentionPolicy'>) {
    return this.run((client) => new PostgresRetention(client).setPolicy(projectId, limits, this.now()));
  }

  sweepTraces({ projectId, criterion, limit }: CommandArgs<'sweepTraces'>) {
    return this.run((client) => new PostgresRetention(client).sweep(projectId, criterion, limit));
  }

  modelPrices(command: CommandArgs<'modelPrices'>) {
    return this.run(async (client) => {
      const outcome = await runModelPriceCommand(client, command);
      if (outcome.status === 'ok') await enqueueRecost(client, command.projectId);
      return outcome;
    });
  }

  recostSpans({ limit }: CommandArgs<'recostSpans'>) {
    return this.run((client) => recostBatch(client, limit));
  }

  annotationConfigs(command: CommandArgs<'annotationConfigs'>) {
    return this.run((client) => runAnnotationConfigCommand(client, command));
  }
}

async function findTrace(client: pg.PoolClient, ref: RowRef): Promise<TraceRow | undefined> {
  const where = 'rowId' in ref ? 'id = $1' : 'trace_id = $1';
  const { rows } = await client.query<TraceRow>(
    `SELECT id, project_id, project_session_id FROM traces WHERE ${where} FOR UPDATE`,
    ['rowId' in ref ? ref.rowId : ref.key],
  );
  return rows[0];
}

/**
 * Deletes sessions with their traces (and so spans and annotations): their traces are locked
 * first, in the span writer's order, then the sessions.
 */
async function deleteSessions(client: pg.PoolClient, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  await client.query(
    'SELECT id FROM traces WHERE project_session_id = ANY($1::bigint[]) ORDER BY trace_id FOR UPDATE',
    [ids],
  );
  const result = await client.query('DELETE FROM project_sessions WHERE id = ANY($1::bigint[])', [ids]);
  return result.rowCount ?? 0;
}
