import { afterEach, beforeEach, expect, it } from 'vitest';
import { type CommandsUnderTest, openCommands } from '../../test-support/commands-under-test.js';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../test-support/dialects.js';
import { hexId, spanRecord } from '../../test-support/span-records.js';
import type { SpanRecord } from '../model/span-record.js';
import { MICROS_PER_DAY } from '../retention/policy.js';
import type { StoreCommands } from './commands.js';

const NOW = 1_800_000_000_000_000;
const daysAgo = (days: number) => NOW - days * MICROS_PER_DAY;

/** A trace of a root and a child, `days` ago, in a session or not. */
function trace(projectName: string, days: number, sessionId: string | null = null) {
  const traceId = hexId(16);
  const t0 = daysAgo(days);
  const root = spanRecord({
    projectName,
    traceId,
    spanId: hexId(8),
    sessionId,
    startTime: t0,
    endTime: t0 + 50,
  });
  const child = spanRecord({
    projectName,
    traceId,
    spanId: hexId(8),
    parentId: root.spanId,
    sessionId,
    startTime: t0 + 10,
    endTime: t0 + 40,
  });
  return { traceId, root, child, spans: [root, child] as SpanRecord[] };
}

describeEachDialect('retention commands', (dialect) => {
  let store: TestDatabase;
  let under: CommandsUnderTest;
  let c: StoreCommands;

  beforeEach(async () => {
    store = await openTestDatabase(dialect);
    under = openCommands(store);
    c = under.commands;
  });
  afterEach(async () => {
    await under.close();
    await store.close();
  });

  const projectId = async (name: string) =>
    (await store.db.selectFrom('projects').select('id').where('name', '=', name).executeTakeFirstOrThrow())
      .id;
  const traceIds = async () =>
    (await store.db.selectFrom('traces').select('trace_id').orderBy('trace_id').execute()).map(
      (r) => r.trace_id,
    );
  const spanIds = async () =>
    (await store.db.selectFrom('spans').select('span_id').orderBy('span_id').execute()).map((r) => r.span_id);
  const annotated = async (table: 'span_annotations' | 'trace_annotations' | 'project_session_annotations') =>
    (await store.db.selectFrom(table).select(['name', 'explanation']).orderBy('id').execute()).map(
      (r) => `${r.name}:${r.explanation ?? ''}`,
    );
  const sessions = async () =>
    (
      await store.db
        .selectFrom('project_sessions')
        .select(['session_id', 'num_traces'])
        .orderBy('session_id')
        .execute()
    ).map((r) => `${r.session_id}:${r.num_traces}`);

  it('deletes exactly the traces that started before the cutoff, with everything that hangs on them', async () => {
    const old1 = trace('p', 40);
    const old2 = trace('p', 31, 's-mixed');
    const old3 = trace('p', 35, 's-old');
    const fresh = trace('p', 10, 's-mixed');
    const elsewhere = trace('other', 90);
    await c.logSpans({ spans: [old1, old2, old3, fresh, elsewhere].flatMap((t) => t.spans) });
    const note = (kind: 'span' | 'trace' | 'session', target: string, text: string) =>
      c.createNote({ kind, target, note: text, identifier: '' });
    for (const [t, label] of [
      [old1, 'old1'],
      [old2, 'old2'],
      [fresh, 'fresh'],
      [elsewhere, 'elsewhere'],
    ] as const) {
      await note('span', t.child.spanId, label);
      await note('trace', t.traceId, label);
    }
    await note('session', 's-old', 's-old');
    await note('session', 's-mixed', 's-mixed');

    const p = await projectId('p');
    const criterion = { startedBefore: daysAgo(30) };
    expect(await c.sweepTraces({ projectId: p, criterion, limit: 2 })).toBe(2);
    expect(await c.sweepTraces({ projectId: p, criterion, limit: 2 })).toBe(1);
    expect(await c.sweepTraces({ projectId: p, criterion, limit: 2 })).toBe(0);

    expect(await traceIds()).toEqual([fresh.traceId, elsewhere.traceId].sort());
    expect(await spanIds()).toEqual([...fresh.spans, ...elsewhere.spans].map((s) => s.spanId).sort());
    expect(await annotated('span_annotations')).toEqual(['note:fresh', 'note:elsewhere']);
    expect(await annotated('trace_annotations')).toEqual(['note:fresh', 'note:elsewhere']);
    // The session left empty goes with its annotations; the other keeps its last trace.
    expect(await sessions()).toEqual(['s-mixed:1']);
    expect(await annotated('project_session_annotations')).toEqual(['note:s-mixed']);
  });

  it('keeps the newest traces of a project, deleting the oldest beyond the count', async () => {
    const ordered = [50, 40, 30, 20, 10].map((days) => trace('p', days));
    const other = trace('other', 60);
    await c.logSpans({ spans: [...ordered, other].flatMap((t) => t.spans) });
    const p = await projectId('p');
    expect(await c.sweepTraces({ projectId: p, criterion: { keepNewest: 2 }, limit: 2 })).toBe(2);
    expect(await c.sweepTraces({ projectId: p, criterion: { keepNewest: 2 }, limit: 2 })).toBe(1);
    expect(await c.sweepTraces({ projectId: p, criterion: { keepNewest: 2 }, limit: 2 })).toBe(0);
    expect(await traceIds()).toEqual([ordered[3]!.traceId, ordered[4]!.traceId, other.traceId].sort());
  });

  it("stores a project's own policy, and forgets it", async () => {
    await c.logSpans({ spans: trace('p', 1).spans });
    const p = await projectId('p');
    const policy = () =>
      store.db.selectFrom('retention_policies').select(['max_age_days', 'max_traces']).execute();
    expect(await c.setRetentionPolicy({ projectId: p, limits: { maxAgeDays: 7, maxTraces: null } })).toBe(
      true,
    );
    expect(await c.setRetentionPolicy({ projectId: p, limits: { maxAgeDays: null, maxTraces: 100 } })).toBe(
      true,
    );
    expect(await policy()).toEqual([{ max_age_days: null, max_traces: 100 }]);
    expect(await c.setRetentionPolicy({ projectId: p, limits: null })).toBe(true);
    expect(await policy()).toEqual([]);
    expect(
      await c.setRetentionPolicy({ projectId: 999_999, limits: { maxAgeDays: 1, maxTraces: null } }),
    ).toBe(false);
    expect(await c.setRetentionPolicy({ projectId: 999_999, limits: null })).toBe(false);
    expect(await policy()).toEqual([]);
  });
});
