import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../test-support/fixtures.js';
import { Inferences } from '../inferences/inferences.js';
import {
  CLUSTER_ID_COLUMN,
  DATASET_NAME_COLUMN,
  ExportEventIdError,
  type ExportSets,
  exportClusters,
  exportRows,
} from './export-rows.js';

let tabular: ExportSets & { reference: Inferences };
beforeAll(async () => {
  const { sets } = await loadFixture('tabular');
  tabular = { primary: sets.primary!, reference: sets.reference! };
});

const ids = (frame: { getColumn(name: string): { toArray(): unknown[] } }) =>
  frame.getColumn('prediction_id').toArray();

describe('exportRows on the tabular fixture', () => {
  it('has the original columns of the selected rows, once each, in row order, primary first, with the set names', () => {
    const frame = exportRows(tabular, ['5:primary', '2:primary', '5:primary', '7:reference', '0:reference']);
    expect(frame.columns).toEqual([...tabular.primary.dataframe.columns, DATASET_NAME_COLUMN]);
    expect(frame.height).toBe(4);
    const { primary, reference } = tabular;
    expect(ids(frame)).toEqual([
      primary.predictionIds[2],
      primary.predictionIds[5],
      reference.predictionIds[0],
      reference.predictionIds[7],
    ]);
    expect(frame.getColumn(DATASET_NAME_COLUMN).toArray()).toEqual([
      'primary',
      'primary',
      'reference',
      'reference',
    ]);
    // The row's own values, as in the set's time-sorted DataFrame.
    expect(frame.row(1)).toEqual([...primary.dataframe.row(5), 'primary']);
  });

  it('names the set in every export of a model with two non-empty sets, even when the rows are all primary', () => {
    const frame = exportRows(tabular, ['1:primary']);
    expect(frame.getColumn(DATASET_NAME_COLUMN).toArray()).toEqual(['primary']);
  });

  it('adds no set name when the model has one set, and no cluster id for a selection', () => {
    const frame = exportRows({ primary: tabular.primary }, ['3:primary', '1:primary']);
    expect(frame.columns).toEqual(tabular.primary.dataframe.columns);
    expect(ids(frame)).toEqual([tabular.primary.predictionIds[1], tabular.primary.predictionIds[3]]);
  });

  it('gives an empty selection the primary columns and no rows', () => {
    const frame = exportRows({ primary: tabular.primary }, []);
    expect(frame.height).toBe(0);
    expect(frame.columns).toEqual(tabular.primary.dataframe.columns);
  });

  it('refuses the first malformed or unknown event id, naming it and its place', () => {
    const fail = (eventIds: string[], sets: ExportSets = tabular) => {
      try {
        exportRows(sets, eventIds);
      } catch (error) {
        expect(error).toBeInstanceOf(ExportEventIdError);
        return error as ExportEventIdError;
      }
      throw new Error('no error');
    };
    expect(fail(['1:primary', 'x', '2000:primary'])).toMatchObject({ eventId: 'x', index: 1 });
    expect(fail(['1:primary', '01:primary']).message).toContain('"01:primary" is not of the form');
    expect(fail(['-1:primary']).eventId).toBe('-1:primary');
    expect(fail(['2000:primary']).message).toBe(
      'event id "2000:primary" names row 2000 of the primary set, which has 2000 rows',
    );
    expect(fail(['0:reference'], { primary: tabular.primary }).message).toContain(
      'reference set the model does not have',
    );
    expect(fail(['0:corpus']).message).toContain('corpus set the model does not have');
  });
});

describe('exportClusters', () => {
  it('adds each row’s cluster id as text, a row in two clusters exported once with the last', () => {
    const frame = exportClusters(tabular, [
      { id: 3, eventIds: ['4:primary', '1:reference'] },
      { id: 'b', eventIds: ['1:reference', '0:primary'] },
    ]);
    expect(frame.columns.slice(-2)).toEqual([DATASET_NAME_COLUMN, CLUSTER_ID_COLUMN]);
    expect(ids(frame)).toEqual([
      tabular.primary.predictionIds[0],
      tabular.primary.predictionIds[4],
      tabular.reference.predictionIds[1],
    ]);
    expect(frame.getColumn(CLUSTER_ID_COLUMN).toArray()).toEqual(['b', '3', 'b']);
  });

  it('names the cluster of a bad event id', () => {
    expect(() =>
      exportClusters(tabular, [
        { id: 0, eventIds: ['0:primary'] },
        { id: 1, eventIds: ['zz'] },
      ]),
    ).toThrow(expect.objectContaining({ eventId: 'zz', index: 0, clusterIndex: 1 }));
  });
});

describe('sets with different columns and a corpus', () => {
  const schema = { predictionIdColumnName: 'id', timestampColumnName: 'ts' };
  const primary = new Inferences(
    [
      { id: 'p1', ts: 20, a: 1 },
      { id: 'p0', ts: 10, a: 2 },
    ],
    schema,
    'prod',
  );
  const reference = new Inferences([{ id: 'r0', ts: 5, a: 1.5, b: 'x' }], schema);
  const corpus = new Inferences([{ id: 'doc', ts: 1, text: 'hello' }], schema, 'docs');

  it('lines the columns up (missing ones null), shows a generated name as the role, and leaves corpus rows out', () => {
    const frame = exportRows({ primary, reference, corpus }, [
      '0:corpus',
      '0:reference',
      '1:primary',
      '0:primary',
    ]);
    expect(frame.getColumn('id').toArray()).toEqual(['p0', 'p1', 'r0']);
    expect(frame.getColumn('a').toArray()).toEqual([2, 1, 1.5]);
    expect(frame.getColumn('b').toArray()).toEqual([null, null, 'x']);
    expect(frame.getColumn(DATASET_NAME_COLUMN).toArray()).toEqual(['prod', 'prod', 'reference']);
    expect(frame.columns).not.toContain('text');
  });

  it('has only the reference columns when only reference rows are selected', () => {
    const frame = exportRows({ primary, reference }, ['0:reference']);
    expect(frame.getColumn('b').toArray()).toEqual(['x']);
    expect(frame.height).toBe(1);
  });
});
