import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describePostgres,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { createServer, type FawkesServer } from '../server/create-server.js';
import { AuthStore } from './auth-store.js';

describePostgres('a revoked key on two servers sharing one database', () => {
  let a: DialectTestServer;
  let b: FawkesServer;
  beforeAll(async () => {
    a = await startDialectTestServer('postgresql', {}, { auth: TEST_AUTH });
    b = await createServer({ ...a.server.config, port: 0, grpcPort: 0 });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('is refused by both within a second', async () => {
    const store = new AuthStore(a.store.db);
    const admin = (await store.findUserByUsername('admin'))!;
    const { row, key } = await store.createApiKey({
      kind: 'user',
      userId: admin.id,
      name: 'shared',
      description: null,
      expiresAt: null,
    });
    const status = async (server: FawkesServer) =>
      (await fetch(`${server.url}/v1/projects`, { headers: { authorization: `Bearer ${key}` } })).status;
    // Both servers hold a fresh "accepted" verdict.
    expect(await status(a.server)).toBe(200);
    expect(await status(b)).toBe(200);
    await store.deleteApiKey(row.id);
    const deleted = Date.now();
    const refusedAfter = async (server: FawkesServer) => {
      while ((await status(server)) !== 401) expect(Date.now() - deleted).toBeLessThan(1000);
      return Date.now() - deleted;
    };
    const [onA, onB] = await Promise.all([refusedAfter(a.server), refusedAfter(b)]);
    expect(onA).toBeLessThan(1000);
    expect(onB).toBeLessThan(1000);
  });
});
