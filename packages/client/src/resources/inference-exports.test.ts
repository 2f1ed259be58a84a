import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, launchApp } from '../../../server/src/app/launch-app.js';
import type { Session } from '../../../server/src/app/session.js';
import { loadFixtureSet } from '../../../server/test-support/inference-fixtures.js';
import { createClient, type FawkesClient } from '../client.js';
import { ApiError, InvalidArgumentError } from '../errors.js';

async function thrown(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('expected the call to throw'),
    (error: unknown) => error,
  );
}

describe('client.inferences.export and listExports (tabular fixture)', () => {
  let client: FawkesClient;
  let session: Session;
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-client-exports-'));
  beforeAll(async () => {
    const [primary, reference] = await Promise.all([
      loadFixtureSet('tabular', 'primary'),
      loadFixtureSet('tabular', 'reference'),
    ]);
    session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true, workingDir });
    client = createClient({ baseUrl: session.url.replace(/\/$/, '') });
  });
  afterAll(async () => {
    await closeApp();
    rmSync(workingDir, { recursive: true, force: true });
  });

  it('exports a selection and clusters, which session.exports and listExports then show', async () => {
    const selection = await client.inferences.export({
      eventIds: ['2:primary', '1:reference'],
      fileName: 'picked',
    });
    expect(selection).toMatchObject({ file_name: 'picked', row_count: 2, url: '/exports?filename=picked' });
    expect(session.exports.at(-1)!.getColumn('__phoenix_dataset_name__').toArray()).toEqual([
      'primary',
      'reference',
    ]);

    const clusters = await client.inferences.export({
      clusters: [{ id: 4, eventIds: ['0:primary', '3:primary'] }],
    });
    expect(clusters.row_count).toBe(2);
    expect(session.exports.at(-1)!.getColumn('__phoenix_cluster_id__').toArray()).toEqual(['4', '4']);

    const listing = await client.inferences.listExports();
    expect(listing.map((f) => f.file_name).sort()).toEqual([clusters.file_name, 'picked'].sort());
    expect(listing.find((f) => f.file_name === 'picked')).toMatchObject({ row_count: 2 });
  });

  it('answers refusals as ApiErrors naming the field, and checks the selection before sending', async () => {
    const exists = await thrown(client.inferences.export({ eventIds: ['0:primary'], fileName: 'picked' }));
    expect(exists).toBeInstanceOf(ApiError);
    expect((exists as ApiError).status).toBe(409);

    const badName = (await thrown(
      client.inferences.export({ eventIds: ['0:primary'], fileName: '../x' }),
    )) as ApiError;
    expect(badName.status).toBe(422);
    expect(badName.validationErrors[0]?.loc).toEqual(['body', 'file_name']);

    const badId = (await thrown(
      client.inferences.export({ eventIds: ['0:primary', '9:nowhere'] }),
    )) as ApiError;
    expect(badId.validationErrors[0]?.loc).toEqual(['body', 'event_ids', 1]);

    expect(await thrown(client.inferences.export({} as never))).toBeInstanceOf(InvalidArgumentError);
  });
});
