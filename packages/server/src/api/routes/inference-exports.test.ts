import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportClusters, exportRows, type Inferences } from '@fawkes/inferences';
import type pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureSet } from '../../../test-support/inference-fixtures.js';
import { type ApiResponse, api } from '../../../test-support/rest-client.js';
import { closeApp, launchApp } from '../../app/launch-app.js';
import type { Session } from '../../app/session.js';

const free = { port: 0, grpcPort: 0, quiet: true };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-exports-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const detail422 = (response: ApiResponse) => {
  expect(response.status).toBe(422);
  return response.json.detail[0] as { loc: (string | number)[]; msg: string };
};

/** The frames' rows as plain values (Datetime columns compare as Dates). */
const rowsOf = (frame: pl.DataFrame) => ({ columns: frame.columns, rows: frame.rows() });

let primary: Inferences;
let reference: Inferences;
beforeAll(async () => {
  [primary, reference] = await Promise.all([
    loadFixtureSet('tabular', 'primary'),
    loadFixtureSet('tabular', 'reference'),
  ]);
});

describe('POST /v1/inferences/exports, in the launched app (primary and reference)', () => {
  let session: Session;
  let http: ReturnType<typeof api>;
  let exportsDir: string;
  beforeAll(async () => {
    const workingDir = tempDir();
    exportsDir = join(workingDir, 'exports');
    session = await launchApp({ primary, reference, ...free, workingDir });
    http = api(session.url.replace(/\/$/, ''));
  });
  afterAll(() => closeApp());

  it('writes the selected rows under a default name; session.exports.at(-1) has exactly them', async () => {
    const eventIds = ['10:primary', '3:reference', '10:primary', '0:primary'];
    const response = await http.post('/v1/inferences/exports', { event_ids: eventIds });
    expect(response.status).toBe(200);
    const { data } = response.json;
    expect(data.file_name).toMatch(/^\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d(_\d+)?$/);
    expect(data).toMatchObject({ row_count: 3, url: `/exports?filename=${data.file_name}` });
    expect(existsSync(join(exportsDir, `${data.file_name}.parquet`))).toBe(true);
    expect(rowsOf(session.exports.at(-1)!)).toEqual(rowsOf(exportRows({ primary, reference }, eventIds)));
    // Nothing else is left in the folder (the temporary file is gone).
    expect(readdirSync(exportsDir)).toEqual([`${data.file_name}.parquet`]);
  });

  it('writes clusters with their ids, under the name given (a trailing .parquet dropped)', async () => {
    const clusters = [
      { id: 7, event_ids: ['1:primary', '2:reference'] },
      { id: 'x', event_ids: ['5:reference'] },
    ];
    const response = await http.post('/v1/inferences/exports', { clusters, file_name: 'drifted.parquet' });
    expect(response.status).toBe(200);
    expect(response.json.data).toMatchObject({ file_name: 'drifted', row_count: 3 });
    const last = session.exports.at(-1)!;
    expect(last.getColumn('__phoenix_cluster_id__').toArray()).toEqual(['7', '7', 'x']);
    expect(rowsOf(last)).toEqual(
      rowsOf(
        exportClusters(
          { primary, reference },
          clusters.map((c) => ({ id: c.id, eventIds: c.event_ids })),
        ),
      ),
    );
  });

  it('never overwrites an export: the same name again is a 409 and the file is unchanged', async () => {
    const first = await http.post('/v1/inferences/exports', { event_ids: ['0:primary'], file_name: 'once' });
    expect(first.status).toBe(200);
    const path = join(exportsDir, 'once.parquet');
    const before = readFileSync(path);
    const again = await http.post('/v1/inferences/exports', {
      event_ids: ['1:primary', '2:primary'],
      file_name: 'once',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('"once" already exists');
    expect(readFileSync(path)).toEqual(before);
  });

  it('refuses names that would leave the folder, naming file_name, and writes nothing', async () => {
    const before = readdirSync(exportsDir).sort();
    for (const name of [
      '',
      '../up',
      'a/b',
      'a\\b',
      '..',
      '.',
      '.hidden',
      'nul\0byte',
      '/etc/passwd',
      '.parquet',
    ]) {
      const response = await http.post('/v1/inferences/exports', {
        event_ids: ['0:primary'],
        file_name: name,
      });
      expect(detail422(response).loc, name).toEqual(['body', 'file_name']);
    }
    expect(readdirSync(exportsDir).sort()).toEqual(before);
  });

  it('refuses unknown and malformed event ids, naming the first, and writes nothing', async () => {
    const before = readdirSync(exportsDir).sort();
    const unknown = await http.post('/v1/inferences/exports', { event_ids: ['0:primary', '3000:reference'] });
    expect(detail422(unknown)).toMatchObject({ loc: ['body', 'event_ids', 1] });
    expect(detail422(unknown).msg).toContain(
      '"3000:reference" names row 3000 of the reference set, which has 3000 rows',
    );
    const corpus = await http.post('/v1/inferences/exports', { event_ids: ['0:corpus'] });
    expect(detail422(corpus).msg).toContain('corpus set the model does not have');
    const inCluster = await http.post('/v1/inferences/exports', {
      clusters: [
        { id: 1, event_ids: ['0:primary'] },
        { id: 2, event_ids: ['0:primary', 'oops'] },
      ],
    });
    expect(detail422(inCluster).loc).toEqual(['body', 'clusters', 1, 'event_ids', 1]);
    expect(detail422(await http.post('/v1/inferences/exports', { event_ids: [1] })).loc).toEqual([
      'body',
      'event_ids',
      0,
    ]);
    expect(detail422(await http.post('/v1/inferences/exports', {})).loc).toEqual(['body']);
    expect(
      detail422(await http.post('/v1/inferences/exports', { event_ids: [], clusters: [] })).msg,
    ).toContain('exactly one');
    expect(readdirSync(exportsDir).sort()).toEqual(before);
  });

  it('lists the exports newest first and downloads one', async () => {
    const list = await http.get('/v1/inferences/exports');
    expect(list.status).toBe(200);
    const files = list.json.data as {
      file_name: string;
      created_at: string;
      row_count: number;
      url: string;
    }[];
    const onDisk = readdirSync(exportsDir).map((n) => ({
      name: n.replace(/\.parquet$/, ''),
      mtime: statSync(join(exportsDir, n)).mtimeMs,
    }));
    expect(files.map((f) => f.file_name).sort()).toEqual(onDisk.map((f) => f.name).sort());
    const times = files.map((f) => Date.parse(f.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(files.find((f) => f.file_name === 'drifted')).toMatchObject({
      row_count: 3,
      url: '/exports?filename=drifted',
    });

    const download = await fetch(new URL('exports?filename=drifted', session.url));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="drifted.parquet"');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(
      readFileSync(join(exportsDir, 'drifted.parquet')),
    );

    const named = await http.post('/v1/inferences/exports', {
      event_ids: ['0:primary'],
      file_name: 'café 1',
    });
    expect(named.json.data.url).toBe('/exports?filename=caf%C3%A9%201');
    const accented = await fetch(new URL(named.json.data.url.slice(1), session.url));
    expect(accented.status).toBe(200);
    expect(accented.headers.get('content-disposition')).toBe(
      `attachment; filename="caf_ 1.parquet"; filename*=UTF-8''caf%C3%A9%201.parquet`,
    );
    await accented.arrayBuffer();

    expect((await http.get('/exports?filename=missing')).status).toBe(404);
    expect(detail422(await http.get('/exports?filename=..%2Fsecret')).loc).toEqual(['query', 'filename']);
    expect(detail422(await http.get('/exports')).loc).toEqual(['query', 'filename']);
  });
});

describe('exports without inference sets, and with runInThread: false', () => {
  it('answers 404 to an export when the app has no sets, and lists none', async () => {
    const session = await launchApp({ ...free, workingDir: tempDir() });
    try {
      const http = api(session.url.replace(/\/$/, ''));
      const response = await http.post('/v1/inferences/exports', { event_ids: ['0:primary'] });
      expect(response.status).toBe(404);
      expect(response.text).toContain('launched without inference sets');
      expect((await http.get('/v1/inferences/exports')).json).toEqual({ data: [] });
      expect(session.exports).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('writes where session.exports reads when the server runs in a child process', async () => {
    const session = await launchApp({
      primary,
      reference,
      ...free,
      workingDir: tempDir(),
      runInThread: false,
    });
    try {
      const http = api(session.url.replace(/\/$/, ''));
      const eventIds = ['4:reference', '9:primary'];
      const response = await http.post('/v1/inferences/exports', { event_ids: eventIds, file_name: 'child' });
      expect(response.status).toBe(200);
      expect(rowsOf(session.exports.at(-1)!)).toEqual(rowsOf(exportRows({ primary, reference }, eventIds)));
      expect(session.exports).toHaveLength(1);
    } finally {
      await session.close();
    }
  });
});
