/**
 * Run-time typing, JSON paths and annotations beyond the shared table: SQL must still agree with
 * evaluateFilter on what is stored, on both dialects.
 */
import { evaluateFilter, type FilterSpan, parseFilter } from '@fawkes/query';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase, type TestDatabase } from '../../test-support/dialects.js';
import { readStoredFilterSpans, writeSpanRecords } from '../../test-support/fixture-store.js';
import { spanRecord } from '../../test-support/span-records.js';
import type { JsonObject } from '../model/span-record.js';
import { compileSpanFilter } from './compile-filter.js';
import { queryDialect } from './index.js';

const ATTRIBUTES: Record<string, JsonObject> = {
  e1: {
    a: 'x',
    b: 'x',
    c: 'xx',
    n: 1,
    m: 1.0,
    t: true,
    f: false,
    s: '1',
    arr: [1, 'x', true, { o: 1 }],
    nums: [1, 2, 3],
    'we"ird': 'q',
    'back\\slash': 'b',
    'dotted.key': 'd',
    obj: { k: 'v' },
    uni: 'é',
    zero: 0,
    empty: '',
  },
  e2: { a: 'y', b: 'x', c: 'yx', n: 2, m: 'two', t: 1, arr: 'text with x', nums: [], obj: 'v', uni: 'z' },
  e3: {},
  e4: { a: null, n: null, arr: null, obj: null },
};

const EXPRESSIONS: [string, string[]][] = [
  ["attributes['a'] == attributes['b']", ['e1']],
  ["attributes['a'] != attributes['b']", ['e2']],
  ["attributes['n'] == attributes['m']", ['e1']],
  ["attributes['n'] <= attributes['m']", ['e1']],
  ["attributes['t'] == attributes['t']", ['e1', 'e2']],
  ["attributes['a'] < attributes['b']", []],
  ["attributes['t'] == True", ['e1']],
  ["attributes['t'] == 1", ['e2']],
  ["attributes['s'] == 1", []],
  ["attributes['s'] == '1'", ['e1']],
  ["attributes['a'] + attributes['b'] == attributes['c']", ['e1', 'e2']],
  ["attributes['n'] + attributes['n'] == 2", ['e1']],
  ["attributes['a'] + attributes['n'] is None", ['e1', 'e2', 'e3', 'e4']],
  ["attributes['a'] + 'z' == 'xz'", ['e1']],
  ["'x' in attributes['arr']", ['e1', 'e2']],
  ["'x' not in attributes['arr']", []],
  ["1 in attributes['arr']", ['e1']],
  ["True in attributes['arr']", ['e1']],
  ["False in attributes['arr']", []],
  ["2 in attributes['nums']", ['e1']],
  ["2 not in attributes['nums']", ['e2']],
  ["attributes['a'] in attributes['arr']", ['e1']],
  ["attributes['a'] not in attributes['arr']", ['e2']],
  ["'o' in attributes['obj']", []],
  ["'v' in attributes['obj']", ['e2']],
  ["attributes['a'] in ['x', 'z']", ['e1']],
  ["attributes['n'] in [2, 3]", ['e2']],
  ["attributes['t'] in [True]", ['e1']],
  ["attributes['we\"ird'] == 'q'", ['e1']],
  ["attributes['back\\\\slash'] == 'b'", ['e1']],
  ["attributes['dotted.key'] == 'd'", []],
  ["attributes['obj'] == 'v'", ['e2']],
  ["attributes['obj']['k'] == 'v'", ['e1']],
  ["attributes['obj'] is None", ['e3', 'e4']],
  ["attributes['a'] is None", ['e3', 'e4']],
  ["attributes['a'] is not None", ['e1', 'e2']],
  ["attributes['uni'] > 'z'", ['e1']],
  ["attributes['zero'] == 0 and attributes['empty'] == ''", ['e1']],
  ["attributes['n'] / attributes['zero'] is None", ['e1', 'e2', 'e3', 'e4']],
  ["attributes['n'] / 4 == 0.25", ['e1']],
  ["-attributes['n'] < -1", ['e2']],
  ["attributes['m'] * 2 == 2", ['e1']],
  ["attributes['t']", ['e1']],
  ["not attributes['f']", ['e1']],
  ["not attributes['t']", []],
  ["attributes['missing'] != 'x'", []],
  ["attributes['arr'][3]['o'] == 1", ['e1']],
  ["attributes['arr']['0'] is None", ['e1', 'e2', 'e3', 'e4']],
  ["attributes['nums'][1] == 2", ['e1']],
  ["attributes['nums'][5] is None", ['e1', 'e2', 'e3', 'e4']],
  ['cumulative_token_count.prompt / 3 > 0.3', ['e1']],
  ['latency_ms / 1000 == 0.001', ['e1', 'e2', 'e3', 'e4']],
];

describeEachDialect('filters compiled to SQL: typing, paths and annotations', (dialect) => {
  let store: TestDatabase;
  let stored: (FilterSpan & { span_id: string })[];

  beforeAll(async () => {
    store = await openTestDatabase(dialect);
    await writeSpanRecords(
      store.location,
      Object.entries(ATTRIBUTES).map(([spanId, attributes], i) =>
        spanRecord({
          projectName: 'edges',
          traceId: `trace-${spanId}`,
          spanId,
          attributes,
          startTime: 1_700_000_000_000_000 + i,
          llmTokenCountPrompt: spanId === 'e1' ? 1 : 0,
        }),
      ),
    );
    // e1 has two annotations named correctness (two annotators); e2 has one.
    const rowId = async (spanId: string) =>
      (
        await store.db
          .selectFrom('spans')
          .select('id')
          .where('span_id', '=', spanId)
          .executeTakeFirstOrThrow()
      ).id;
    const annotation = (span_rowid: number, label: string, identifier: string) => ({
      span_rowid,
      name: 'correctness',
      label,
      score: label === 'correct' ? 1 : 0,
      explanation: null,
      metadata: '{}',
      annotator_kind: 'HUMAN' as const,
      identifier,
      source: 'API' as const,
      user_id: null,
      created_at: 0,
      updated_at: 0,
    });
    await store.db
      .insertInto('span_annotations')
      .values([
        annotation(await rowId('e1'), 'correct', ''),
        annotation(await rowId('e1'), 'incorrect', 'second-annotator'),
        annotation(await rowId('e2'), 'incorrect', ''),
      ])
      .execute();
    stored = await readStoredFilterSpans(store.db);
  });
  afterAll(() => store?.close());

  const matching = async (expression: string) => {
    const rows = await store.db
      .selectFrom('spans')
      .innerJoin('traces', 'traces.id', 'spans.trace_rowid')
      .select('spans.span_id')
      .where(compileSpanFilter(parseFilter(expression).condition, queryDialect(dialect)))
      .orderBy('spans.id')
      .execute();
    return rows.map((r) => r.span_id);
  };

  it.each(EXPRESSIONS)('%s', async (expression, expected) => {
    const evaluated = stored
      .filter((s) => s.span_id !== 'e1' || !expression.includes('annotations'))
      .filter((span) => evaluateFilter(expression, span))
      .map((s) => s.span_id);
    expect(evaluated).toEqual(expected);
    expect(await matching(expression)).toEqual(expected);
  });

  // Several annotations of one name: Phoenix's outer join, one annotation row per referenced name.
  it.each([
    ["annotations['correctness'].label == 'correct'", ['e1']],
    ["annotations['correctness'].label == 'incorrect'", ['e1', 'e2']],
    ["annotations['correctness'].label == 'correct' and annotations['correctness'].label == 'incorrect'", []],
    ["annotations['correctness'].label == 'correct' and annotations['correctness'].score == 1", ['e1']],
    ["annotations['correctness'].label == 'correct' and annotations['correctness'].score == 0", []],
    ["not (annotations['correctness'].label == 'correct')", ['e1', 'e2']],
    ["annotations['correctness'].label != 'correct'", ['e1', 'e2']],
    ["annotations['correctness'] is None", ['e3', 'e4']],
    ["annotations['correctness'] is None or attributes['a'] == 'x'", ['e1', 'e3', 'e4']],
    ["evals['correctness'].score + 1 > 1.5", ['e1']],
    ["annotations['correctness'].label in ['correct'] and name == 'span'", ['e1']],
  ])('%s', async (expression, expected) => {
    expect(await matching(expression)).toEqual(expected);
  });
});
