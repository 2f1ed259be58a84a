/**
 * launchApp with authentication on (PHOENIX_ENABLE_AUTH in the environment, as Phoenix's
 * launch_app reads it): the app is closed to callers without a credential, and what launchApp
 * loads itself (a trace dataset and its evaluations) still arrives, in this process (straight into
 * the writer) and in a child process (over HTTP with the admin secret, one of its own when none is
 * configured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pl from 'nodejs-polars';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { phoenixRows } from '../../test-support/launch-span-rows.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { closeApp, launchApp } from './launch-app.js';
import { SpanEvaluations } from './span-evaluations.js';
import { spansDataframe } from './spans-dataframe.js';
import { TraceDataset } from './trace-dataset.js';

const free = { port: 0, grpcPort: 0, quiet: true } as const;
const environment = { PHOENIX_ENABLE_AUTH: 'true', PHOENIX_SECRET: TEST_AUTH.secret };
const directories: string[] = [];
const workingDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-launch-auth-'));
  directories.push(dir);
  return dir;
};

function dataset(): { trace: TraceDataset; spans: number } {
  const spans = spansDataframe(phoenixRows(conversationTurn()));
  const correctness = new SpanEvaluations({
    evalName: 'correctness',
    dataframe: pl.DataFrame({
      span_id: [spans.getColumn('context.span_id').toArray()[0]],
      label: ['correct'],
      score: [1],
    }),
  });
  return { trace: new TraceDataset({ dataframe: spans, evaluations: [correctness] }), spans: spans.height };
}

function annotationNames(databaseFile: string): string[] {
  const db = new BetterSqlite3(databaseFile, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM span_annotations').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('launchApp with authentication on', () => {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [name, value] of Object.entries(environment)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    saved.PHOENIX_ADMIN_SECRET = process.env.PHOENIX_ADMIN_SECRET;
    delete process.env.PHOENIX_ADMIN_SECRET;
  });
  afterEach(() => closeApp());
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });

  it('loads its trace dataset and evaluations in this process, and refuses callers without a key', async () => {
    const { trace, spans } = dataset();
    const session = await launchApp({ ...free, trace, workingDir: workingDir() });
    expect((await session.getSpansDataframe()).height).toBe(spans);
    expect(annotationNames(session.databaseLocation)).toEqual(['correctness']);
    const refused = await fetch(new URL('v1/projects', session.url));
    expect(refused.status).toBe(401);
  });

  it('loads its trace dataset into a child process with an admin secret of its own', async () => {
    const { trace, spans } = dataset();
    const session = await launchApp({ ...free, trace, runInThread: false, workingDir: workingDir() });
    expect((await session.getSpansDataframe()).height).toBe(spans);
    expect(annotationNames(session.databaseLocation)).toEqual(['correctness']);
    expect((await fetch(new URL('v1/projects', session.url))).status).toBe(401);
  });
});
