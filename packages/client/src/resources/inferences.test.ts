import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, launchApp } from '../../../server/src/app/launch-app.js';
import { loadFixtureSet } from '../../../server/src/testing/inference-fixtures.js';
import { startTestServer, type TestServer } from '../../../server/src/testing/test-server.js';
import { createClient, type FawkesClient } from '../client.js';
import { NotFoundError } from '../errors.js';

let client: FawkesClient;
beforeAll(async () => {
  const [primary, reference] = await Promise.all([
    loadFixtureSet('tabular', 'primary'),
    loadFixtureSet('tabular', 'reference'),
  ]);
  const session = await launchApp({ primary, reference, port: 0, grpcPort: 0, quiet: true });
  client = createClient({ baseUrl: session.url.replace(/\/$/, '') });
});
afterAll(() => closeApp({ deleteData: true }));

describe('client.inferences', () => {
  it('gets the sets and dimensions', async () => {
    const info = await client.inferences.get();
    expect(info.primary).toMatchObject({ name: 'primary', row_count: 2000 });
    expect(info.reference?.row_count).toBe(3000);
    expect(info.dimensions.find((d) => d.name === 'income')).toEqual({
      name: 'income',
      type: 'feature',
      data_type: 'numeric',
      shape: 'continuous',
    });
  });
});

describe('client.inferences against an app without inference sets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('throws NotFoundError saying how to launch with them', async () => {
    const error = await createClient({ baseUrl: t.server.url })
      .inferences.get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).detail).toMatch(/launched without inference sets/);
  });
});
