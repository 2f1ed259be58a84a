import { sql } from 'kysely';
import type { ReadStore } from '../store/repositories/read-store.js';
import { globalId } from './ids.js';
import type { UiLiveChange } from './wire.js';

interface Marks {
  span: number;
  trace: number;
  session: number;
  projects: number;
  annotations: number;
}

export type LiveListener = (change: UiLiveChange) => void;

/**
 * Watches the store for new spans, traces, sessions, projects and annotations, and tells listeners.
 * It polls, once per interval and only while someone listens, with reads that cost nothing at any
 * size (row-id maxima); reading the store rather than hooking the writer means it also sees what
 * other servers write to a shared PostgreSQL database.
 */
export class LiveFeed {
  private readonly listeners = new Set<LiveListener>();
  private timer: NodeJS.Timeout | undefined;
  private marks: Marks | undefined;
  private polling = false;

  constructor(
    private readonly store: ReadStore,
    private readonly intervalMs = 1000,
  ) {}

  /**
   * Listens from now on: resolves once the feed knows where the store stands, so that whatever
   * arrives after this resolves is reported (a client that reads its data first may miss nothing
   * but what arrived in between).
   */
  async subscribe(listener: LiveListener): Promise<() => void> {
    this.marks ??= await this.readMarks();
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.marks = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const marks = await this.readMarks();
      const previous = this.marks;
      this.marks = marks;
      if (!previous) return;
      const changed =
        marks.span !== previous.span ||
        marks.projects !== previous.projects ||
        marks.annotations !== previous.annotations ||
        marks.session !== previous.session;
      if (!changed) return;
      const projects =
        marks.span > previous.span
          ? await this.store.db
              .selectFrom('spans')
              .innerJoin('traces', 'traces.id', 'spans.trace_rowid')
              .innerJoin('projects', 'projects.id', 'traces.project_id')
              .where('spans.id', '>', previous.span)
              .select(['projects.id', 'projects.name'])
              .distinct()
              .execute()
          : [];
      const change: UiLiveChange = {
        projects: projects.map((p) => ({ id: globalId('Project', p.id), name: p.name })),
        new_traces: Math.max(0, marks.trace - previous.trace),
        new_sessions: Math.max(0, marks.session - previous.session),
        new_spans: Math.max(0, marks.span - previous.span),
        structure_changed: marks.projects !== previous.projects || marks.annotations !== previous.annotations,
      };
      for (const listener of this.listeners) listener(change);
    } catch {
      // The store is closing or briefly unavailable: try again on the next tick.
    } finally {
      this.polling = false;
    }
  }

  private async readMarks(): Promise<Marks> {
    const row = await this.store.db
      .selectNoFrom([
        sql<number | null>`(select max(id) from spans)`.as('span'),
        sql<number | null>`(select max(id) from traces)`.as('trace'),
        sql<number | null>`(select max(id) from project_sessions)`.as('session'),
        sql<number>`(select count(*) from projects)`.as('projects'),
        // Row-id maxima: new annotations show; edits in place are seen by whoever made them.
        sql<number | null>`(select max(id) from span_annotations)`.as('span_annotations'),
        sql<number | null>`(select max(id) from trace_annotations)`.as('trace_annotations'),
        sql<number | null>`(select max(id) from project_session_annotations)`.as('session_annotations'),
      ])
      .executeTakeFirstOrThrow();
    return {
      span: Number(row.span ?? 0),
      trace: Number(row.trace ?? 0),
      session: Number(row.session ?? 0),
      projects: Number(row.projects),
      annotations:
        Number(row.span_annotations ?? 0) +
        Number(row.trace_annotations ?? 0) +
        Number(row.session_annotations ?? 0),
    };
  }
}

/** The longest delay setTimeout takes (about 24.8 days); a later deadline is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `end` at `atMs` (epoch ms; on the next turn when past, never synchronously): a live stream
 * ends when the credential that opened it expires (an access token, an API key with an expiry), so
 * the stream never outlives what let it in; the UI then refreshes its session and opens a new one.
 * Returns the cancel.
 */
export function endAt(atMs: number | undefined, end: () => void, clock: () => number = Date.now): () => void {
  if (atMs === undefined) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = atMs - clock();
    timer = left <= 0 ? undefined : setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    if (left <= 0) end();
  };
  timer = setTimeout(arm, Math.min(Math.max(0, atMs - clock()), MAX_TIMER_MS));
  return () => clearTimeout(timer);
}
