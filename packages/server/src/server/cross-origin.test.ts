import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { AuthStore } from '../auth/auth-store.js';
import { hashPassword } from '../auth/password.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (fetch would add or refuse some: Origin, Referer). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const LISTED = 'https://app.example';
const TRUSTED = 'https://notebook.example:8888';
const FOREIGN = 'https://evil.example';

describeEachDialect('CORS and CSRF', (dialect) => {
  let t: DialectTestServer;
  let session: string;
  let memberKey: string;
  beforeAll(async () => {
    t = await startDialectTestServer(
      dialect,
      {},
      { auth: TEST_AUTH, allowedOrigins: [LISTED], csrfTrustedOrigins: [TRUSTED] },
    );
    const store = new AuthStore(t.store.db);
    const member = await store.createUser({
      username: 'mo',
      email: 'mo@example.com',
      role: 'MEMBER',
      passwordHash: await hashPassword('pw-of-mo'),
      resetPassword: false,
    });
    memberKey = (
      await store.createApiKey({
        kind: 'user',
        userId: member!.id,
        name: 'k',
        description: null,
        expiresAt: null,
      })
    ).key;
    const login = await raw(
      `${t.server.url}/auth/login`,
      'POST',
      { 'content-type': 'application/json' },
      JSON.stringify({ email: 'mo@example.com', password: 'pw-of-mo' }),
    );
    expect(login.status).toBe(204);
    session = (login.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]).join('; ');
  });
  afterAll(() => t?.close());

  const projectNames = async () => {
    const listed = await raw(`${t.server.url}/v1/projects`, 'GET', { cookie: session });
    return (JSON.parse(listed.body) as { data: { name: string }[] }).data.map((p) => p.name);
  };
  const createProject = (name: string, headers: Record<string, string>, contentType = 'application/json') =>
    raw(
      `${t.server.url}/v1/projects`,
      'POST',
      { 'content-type': contentType, ...headers },
      JSON.stringify({ name }),
    );

  it('gives CORS headers to a listed origin only, and answers only its preflight', async () => {
    const listed = await raw(`${t.server.url}/healthz`, 'GET', { origin: LISTED });
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(listed.headers.vary).toMatch(/Origin/);
    const other = await raw(`${t.server.url}/healthz`, 'GET', { origin: FOREIGN });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = (origin: string) =>
      raw(`${t.server.url}/v1/projects`, 'OPTIONS', {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      });
    const allowed = await preflight(LISTED);
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    expect(allowed.headers['access-control-allow-headers']).toBe('authorization, content-type');
    const refused = await preflight(FOREIGN);
    expect(refused.status).toBe(400);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers['access-control-allow-methods']).toBeUndefined();
  });

  it.each([
    ['a JSON write with a foreign Origin', { origin: FOREIGN }, 'application/json'],
    ['a text/plain form post with a foreign Origin', { origin: FOREIGN }, 'text/plain'],
    ['a write with no Origin but a foreign Referer', { referer: `${FOREIGN}/page.html` }, 'application/json'],
    ['a write from an opaque origin', { origin: 'null' }, 'application/json'],
    ['a write from a CORS-listed but not CSRF-trusted origin', { origin: LISTED }, 'application/json'],
  ])('refuses %s with a session cookie (403) and changes nothing', async (what, headers, contentType) => {
    const name = `csrf-${what.length}-${contentType.length}`;
    const response = await createProject(name, { cookie: session, ...headers }, contentType);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toMatch(/^Cross-site request refused/);
    expect(await projectNames()).not.toContain(name);
  });

  it("takes a cookie session's write from this server's own origin and from a trusted host", async () => {
    const own = await createProject('from-own-origin', { cookie: session, origin: t.server.url });
    expect(own.status).toBe(200);
    // Phoenix compares host names: another port of a trusted host is trusted too.
    const trusted = await createProject('from-trusted', {
      cookie: session,
      origin: 'https://notebook.example',
    });
    expect(trusted.status).toBe(200);
    const referer = await createProject('from-own-page', {
      cookie: session,
      referer: `${t.server.url}/projects`,
    });
    expect(referer.status).toBe(200);
    expect(await projectNames()).toEqual(
      expect.arrayContaining(['from-own-origin', 'from-trusted', 'from-own-page']),
    );
  });

  it('does not hold bearer or api_key requests to it', async () => {
    const bearer = await createProject('by-bearer', {
      authorization: `Bearer ${memberKey}`,
      origin: FOREIGN,
    });
    expect(bearer.status).toBe(200);
    const apiKey = await createProject('by-api-key', { api_key: memberKey, referer: `${FOREIGN}/x` });
    expect(apiKey.status).toBe(200);
  });
});
