/**
 * The client against a server with authentication on (issue #15 D): its API key goes as a bearer
 * token, from `apiKey` or PHOENIX_API_KEY; PHOENIX_CLIENT_HEADERS can carry Phoenix's `api_key`
 * header instead; without a credential every call fails with the server's 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH } from '../../server/test-support/test-auth.js';
import { startTestServer, type TestServer } from '../../server/test-support/test-server.js';
import { createClient } from './client.js';
import { ApiError } from './errors.js';

describe('a client of a server with authentication on', () => {
  let t: TestServer;
  let key: string;

  beforeAll(async () => {
    t = await startTestServer({}, { auth: TEST_AUTH });
    // A system key, made with the admin secret as an operator would.
    const response = await fetch(`${t.server.url}/v1/system/api_keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: 'client tests' } }),
    });
    expect(response.status).toBe(201);
    key = ((await response.json()) as { data: { key: string } }).data.key;
  });
  afterAll(() => t?.close());

  async function withEnvironment<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    try {
      return await run();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  it('is refused with the server 401 when it has no key', async () => {
    const client = createClient({ baseUrl: t.server.url });
    const error = await client.projects.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
  });

  it('is refused with a wrong key', async () => {
    const client = createClient({ baseUrl: t.server.url, apiKey: 'not-a-key' });
    await expect(client.projects.list()).rejects.toMatchObject({ status: 401 });
  });

  it('writes and reads with apiKey', async () => {
    const client = createClient({ baseUrl: t.server.url, apiKey: key });
    await client.projects.create({ name: 'with-a-key' });
    expect((await client.projects.list()).map((p) => p.name)).toContain('with-a-key');
  });

  it('reads PHOENIX_API_KEY when no apiKey is given', async () => {
    const projects = await withEnvironment({ PHOENIX_API_KEY: key }, () =>
      createClient({ baseUrl: t.server.url }).projects.list(),
    );
    expect(projects.map((p) => p.name)).toContain('with-a-key');
  });

  it("sends Phoenix's api_key header from PHOENIX_CLIENT_HEADERS", async () => {
    const projects = await withEnvironment(
      { PHOENIX_CLIENT_HEADERS: `api_key=${encodeURIComponent(key)}` },
      () => createClient({ baseUrl: t.server.url }).projects.list(),
    );
    expect(projects.map((p) => p.name)).toContain('with-a-key');
  });
});
