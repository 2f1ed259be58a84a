import { InferenceModel, type InferenceModelSets } from '@fawkes/inferences';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixtureSet } from '../../test-support/inference-fixtures.js';
import { SummaryPool } from './summary-pool.js';

const pools: SummaryPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

function poolOf(sets: InferenceModelSets, threads?: number) {
  const model = new InferenceModel(sets);
  const pool = new SummaryPool(model, threads);
  pools.push(pool);
  return { model, pool };
}

describe('SummaryPool', () => {
  it('answers exactly the summary the model computes in this thread, its dimensions shared by two threads', async () => {
    const { model, pool } = poolOf(
      {
        primary: await loadFixtureSet('tabular', 'primary'),
        reference: await loadFixtureSet('tabular', 'reference'),
      },
      2,
    );
    expect(await pool.summary()).toEqual(model.summary());
    const { start } = model.timeRange('primary');
    const range = { start, end: start + 2 * 86_400_000 };
    expect(await pool.summary(range)).toEqual(model.summary({ timeRange: range }));
    const empty = { start: 0, end: 1 };
    expect(await pool.summary(empty)).toEqual(model.summary({ timeRange: empty }));
  });

  it('computes embedding drift and query distance as the model does', async () => {
    const nlp = poolOf({
      primary: await loadFixtureSet('nlp', 'primary'),
      reference: await loadFixtureSet('nlp', 'reference'),
    });
    expect(await nlp.pool.summary()).toEqual(nlp.model.summary());
    const rag = poolOf({
      primary: await loadFixtureSet('rag', 'primary'),
      corpus: await loadFixtureSet('rag', 'corpus'),
    });
    const summary = await rag.pool.summary();
    expect(summary).toEqual(rag.model.summary());
    expect(summary.embeddings[0]!.queryDistance).toBeGreaterThan(0);
  });

  it('is ready, its reference sides and baselines made, before any summary is asked for', async () => {
    const { model, pool } = poolOf(
      {
        primary: await loadFixtureSet('nlp', 'primary'),
        reference: await loadFixtureSet('nlp', 'reference'),
      },
      2,
    );
    await expect(pool.ready).resolves.toBeUndefined();
    expect(await pool.summary()).toEqual(model.summary());
  });

  it('computes a range once: asked again, even while it runs, it answers the same result', async () => {
    const { pool } = poolOf({
      primary: await loadFixtureSet('tabular', 'primary'),
      reference: await loadFixtureSet('tabular', 'reference'),
    });
    const first = pool.summary();
    const second = pool.summary();
    expect(second).toBe(first);
    const result = await first;
    expect(await pool.summary()).toBe(result);
  });

  it('refuses a bad range as the model does, and answers nothing once closed', async () => {
    const { pool } = poolOf({ primary: await loadFixtureSet('tabular', 'primary') }, 1);
    expect(() => pool.summary({ start: 10, end: 5 })).toThrow(/end of a time range/);
    const summary = await pool.summary();
    expect(summary.dimensions.every((row) => row.psi === null)).toBe(true);
    await pool.close();
    await expect(pool.summary()).rejects.toThrow(/closed/);
  });
});
