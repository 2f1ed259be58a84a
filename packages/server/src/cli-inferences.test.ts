import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureExpected, fixturePath, fixtureSchemas } from '../test-support/inference-fixtures.js';
import { type CliProcess, spawnCli, waitForListening } from '../test-support/spawn-cli.js';

const dirs: string[] = [];
const running: CliProcess[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-cli-inferences-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.child.kill('SIGTERM');
    await cli.exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tabular = (file: string) => fixturePath('tabular', file);
const ports = ['--port', '0', '--grpc-port', '0'];

function serve(args: string[]): CliProcess {
  const cli = spawnCli(['serve', ...ports, '--working-dir', tempDir(), ...args]);
  running.push(cli);
  return cli;
}

/** `fawkes serve …` fails: exit code 1 and its one `fawkes:` line. */
async function failure(args: string[]): Promise<string> {
  const cli = spawnCli(['serve', ...ports, '--working-dir', tempDir(), ...args]);
  expect(await cli.exited).toBe(1);
  const lines = cli.output().trim().split('\n');
  expect(lines[0]).toMatch(/^fawkes: /);
  return cli.output().trim();
}

describe('fawkes serve with inference files', () => {
  it('loads primary and reference with one schema file, says so, and serves them', async () => {
    const cli = serve([
      '--primary',
      tabular('primary.parquet'),
      '--reference',
      tabular('reference.parquet'),
      '--schema',
      tabular('schema.json'),
    ]);
    const url = await waitForListening(cli);
    expect(cli.output()).toMatch(
      /Inferences\s+primary "primary" \(2,000 rows\), reference "reference" \(3,000 rows\)/,
    );
    const response = await fetch(`${url}/v1/inferences`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { primary: { start_time: string }; reference: { row_count: number }; dimensions: unknown[] };
    };
    expect(data.primary.start_time).toBe(fixtureExpected('tabular').time_ranges.primary.start);
    expect(data.reference.row_count).toBe(3000);
    expect(data.dimensions).toHaveLength(10);
  }, 60_000);

  it('takes one schema file per set and CSV or JSON lines data, named with --primary-name', async () => {
    const dir = tempDir();
    const schemas = fixtureSchemas('tabular');
    writeFileSync(join(dir, 'primary-schema.json'), JSON.stringify(schemas.primary));
    writeFileSync(join(dir, 'reference-schema.json'), JSON.stringify(schemas.reference));
    const frame = pl.readParquet(tabular('primary.parquet'));
    frame
      .withColumn(pl.col('timestamp').cast(pl.Int64).div(1_000_000).alias('timestamp'))
      .writeCSV(join(dir, 'primary.csv'));
    pl.readParquet(tabular('reference.parquet'))
      .withColumn(pl.col('timestamp').cast(pl.Int64).div(1_000_000).alias('timestamp'))
      .writeJSON(join(dir, 'reference.ndjson'), { format: 'lines' });
    const cli = serve([
      '--primary',
      join(dir, 'primary.csv'),
      '--primary-schema',
      join(dir, 'primary-schema.json'),
      '--primary-name',
      'this week',
      '--reference',
      join(dir, 'reference.ndjson'),
      '--reference-schema',
      join(dir, 'reference-schema.json'),
    ]);
    const url = await waitForListening(cli);
    expect(cli.output()).toMatch(/primary "this week" \(2,000 rows\), reference "reference" \(3,000 rows\)/);
    const { data } = (await (await fetch(`${url}/v1/inferences`)).json()) as {
      data: { primary: { name: string }; reference: { row_count: number } };
    };
    expect(data.primary.name).toBe('this week');
    expect(data.reference.row_count).toBe(3000);
  }, 60_000);

  it('says that traces only are served without --primary', async () => {
    const cli = serve([]);
    const url = await waitForListening(cli);
    expect(cli.output()).toMatch(/Inferences\s+none/);
    expect((await fetch(`${url}/v1/inferences`)).status).toBe(404);
  });

  it('documents the inference flags in --help', async () => {
    const cli = spawnCli(['serve', '--help']);
    expect(await cli.exited).toBe(0);
    for (const flag of [
      '--primary',
      '--reference',
      '--corpus',
      '--schema',
      '--primary-schema',
      '--umap-parameters',
    ]) {
      expect(cli.output()).toContain(flag);
    }
  });

  it('fails in one clear line for a missing schema, a set without primary, a bad file or format', async () => {
    const dir = tempDir();
    const schemas = fixtureSchemas('tabular');
    writeFileSync(join(dir, 'primary-only.json'), JSON.stringify({ primary: schemas.primary }));
    expect(
      await failure([
        '--primary',
        tabular('primary.parquet'),
        '--reference',
        tabular('reference.parquet'),
        '--schema',
        join(dir, 'primary-only.json'),
      ]),
    ).toBe(
      'fawkes: no schema for the reference set: give --reference-schema FILE, or --schema FILE with a "reference" key',
    );
    expect(
      await failure(['--reference', tabular('reference.parquet'), '--schema', tabular('schema.json')]),
    ).toBe('fawkes: --reference needs --primary FILE: it is compared with a primary set');
    expect(
      await failure(['--primary', join(dir, 'nope.parquet'), '--schema', tabular('schema.json')]),
    ).toMatch(/^fawkes: --primary \S+nope\.parquet: cannot read the parquet file/);
    expect(await failure(['--primary', join(dir, 'data.xlsx'), '--schema', tabular('schema.json')])).toMatch(
      /^fawkes: --primary \S+data\.xlsx: unknown file format "\.xlsx" \(expected \.parquet, \.csv, \.jsonl or \.ndjson\)$/,
    );
    writeFileSync(join(dir, 'broken.json'), '{"primary": ');
    expect(
      await failure(['--primary', tabular('primary.parquet'), '--schema', join(dir, 'broken.json')]),
    ).toMatch(/^fawkes: --schema \S+broken\.json: not JSON/);
    expect(
      await failure([
        '--primary',
        tabular('primary.parquet'),
        '--schema',
        tabular('schema.json'),
        '--umap-parameters',
        '0,2,10',
      ]),
    ).toBe('fawkes: --umap-parameters: nNeighbors must be a whole number from 5 to 100, got 2');
  }, 60_000);

  it('lists every validation problem of a set', async () => {
    const dir = tempDir();
    const schema = {
      ...fixtureSchemas('tabular').primary,
      feature_column_names: ['age', 'salary'],
      tag_column_names: ['zone'],
    };
    writeFileSync(join(dir, 'schema.json'), JSON.stringify({ primary: schema }));
    const output = await failure([
      '--primary',
      tabular('primary.parquet'),
      '--schema',
      join(dir, 'schema.json'),
    ]);
    expect(output).toMatch(/^fawkes: --primary \S+primary\.parquet: invalid inferences \(2 problems\):/);
    expect(output).toContain('salary');
    expect(output).toContain('zone');
  }, 60_000);
});
