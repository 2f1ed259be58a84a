import { describe, expect, it } from 'vitest';
import { MissingDependencyError } from '../errors.js';
import { dataFrameOf, loadPolars, microsFromIso } from './output.js';

describe('loadPolars', () => {
  it('says how to install nodejs-polars when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'nodejs-polars'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadPolars('getSpansDataframe', () => Promise.reject(missing)).catch((e) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.message).toBe(
      'getSpansDataframe returns a nodejs-polars DataFrame, and nodejs-polars is not installed: npm install nodejs-polars',
    );
    expect(error.cause).toBe(missing);
  });

  it('loads the installed nodejs-polars', async () => {
    const pl = await loadPolars('test');
    expect(typeof pl.DataFrame).toBe('function');
  });
});

describe('microsFromIso', () => {
  it('keeps microseconds and applies offsets', () => {
    expect(microsFromIso('2024-01-01T00:00:00+00:00')).toBe(1_704_067_200_000_000);
    expect(microsFromIso('2024-01-01T00:00:00.123456+00:00')).toBe(1_704_067_200_123_456);
    expect(microsFromIso('2024-01-01T01:00:00.5+01:00')).toBe(1_704_067_200_500_000);
    expect(microsFromIso('2024-01-01T00:00:00Z')).toBe(1_704_067_200_000_000);
    expect(microsFromIso('2024-01-01 00:00:00')).toBe(1_704_067_200_000_000);
    expect(() => microsFromIso('yesterday')).toThrow("Not an ISO 8601 instant: 'yesterday'");
  });
});

describe('dataFrameOf', () => {
  it('types every column as told, nested values as structs and lists', async () => {
    const frame = await dataFrameOf(
      'test',
      [
        { name: 's', type: 'string' },
        { name: 'i', type: 'integer' },
        { name: 'f', type: 'float' },
        { name: 'b', type: 'boolean' },
        { name: 't', type: 'datetime' },
        { name: 'j', type: 'json' },
      ],
      [
        { s: 'a', i: 1, f: 0.5, b: true, t: '2024-01-01T00:00:00.000001+00:00', j: [{ role: 'user' }] },
        { s: null, i: null, f: Number.NaN, b: null, t: null, j: null },
      ],
    );
    expect(frame.dtypes.map(String)).toEqual([
      'DataType(String)',
      'DataType(Int64)',
      'DataType(Float64)',
      'DataType(Bool)',
      'DataType(Datetime(us,UTC))',
      'DataType(List(DataType(Struct(Field("role", DataType(String))))))',
    ]);
    expect(frame.getColumn('f').toArray()).toEqual([0.5, null]);
    expect(
      frame
        .getColumn('t')
        .cast((await loadPolars('test')).Int64)
        .toArray(),
    ).toEqual([1_704_067_200_000_001, null]);
  });

  it('keeps the columns and their types when there are no rows', async () => {
    const frame = await dataFrameOf('test', [{ name: 't', type: 'datetime' }], []);
    expect([frame.height, frame.columns, frame.dtypes.map(String)]).toEqual([
      0,
      ['t'],
      ['DataType(Datetime(us,UTC))'],
    ]);
  });
});
