import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultExportName,
  ExportExistsError,
  ExportFolder,
  ExportNameError,
  exportName,
} from './export-files.js';

describe('exportName', () => {
  it('keeps plain names, dropping a trailing .parquet', () => {
    expect(exportName('drifted cluster 2')).toBe('drifted cluster 2');
    expect(exportName('x.parquet')).toBe('x');
    expect(exportName('a..b')).toBe('a..b');
  });

  it('refuses names that would leave the folder or are no file name', () => {
    for (const name of [
      '',
      '.parquet',
      '/abs',
      'a/b',
      'a\\b',
      '..',
      '.',
      '.x',
      '..parquet',
      'a\0',
      'x'.repeat(201),
    ]) {
      expect(() => exportName(name), JSON.stringify(name)).toThrow(ExportNameError);
    }
  });
});

it('defaultExportName is the time in UTC, YYYY-MM-DD_HH-MM-SS', () => {
  expect(defaultExportName(new Date('2026-12-07T04:05:06.789Z'))).toBe('2026-12-07_04-05-06');
});

describe('ExportFolder', () => {
  let dir: string;
  let folder: ExportFolder;
  const frame = (n: number) => pl.DataFrame({ id: Array.from({ length: n }, (_, i) => `r${i}`) });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fawkes-export-folder-'));
    folder = new ExportFolder(join(dir, 'exports'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives exports written at once under the default name each a name of its own', async () => {
    const written = await Promise.all([folder.write(frame(1), undefined), folder.write(frame(2), undefined)]);
    expect(new Set(written.map((w) => w.fileName)).size).toBe(2);
    for (const { fileName, rowCount } of written) {
      expect(pl.readParquet(folder.pathOf(fileName)).height).toBe(rowCount);
    }
    expect(readdirSync(folder.directory)).toHaveLength(2);
  });

  it('lets one of two exports of the same name win, the other refused, and leaves no temporary file', async () => {
    const results = await Promise.allSettled([
      folder.write(frame(1), 'same'),
      folder.write(frame(2), 'same'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ExportExistsError);
    const { rowCount } = (won[0] as PromiseFulfilledResult<{ rowCount: number }>).value;
    expect(pl.readParquet(folder.pathOf('same')).height).toBe(rowCount);
    expect(readdirSync(folder.directory)).toEqual(['same.parquet']);
  });

  it('lists nothing before the folder exists, then the files newest first with their row counts', async () => {
    expect(await folder.list()).toEqual([]);
    // Within one tick of the file system's clock, yet the later one is newer (and by name it is not).
    await folder.write(frame(3), 'older');
    await folder.write(frame(1), 'newer');
    const listed = await folder.list();
    expect(listed.map((f) => [f.fileName, f.rowCount])).toEqual([
      ['newer', 1],
      ['older', 3],
    ]);
    expect(await folder.find('older')).toBe(folder.pathOf('older'));
    expect(await folder.find('none')).toBeUndefined();
  });
});
