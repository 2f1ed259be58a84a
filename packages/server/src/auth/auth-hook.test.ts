import { status } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { otlpGrpcClient } from '../../test-support/otlp-grpc-client.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { AuthStore } from './auth-store.js';
import { SessionTokens } from './tokens.js';

const protobufSpans = () => ProtobufTraceSerializer.serializeRequest(conversationTurn())!;

describeEachDialect('authentication on every route', (dialect) => {
  let t: DialectTestServer;
  let store: AuthStore;
  let memberKey: string;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: TEST_AUTH });
    store = new AuthStore(t.store.db);
    const member = await t.store.db
      .insertInto('users')
      .values({
        username: 'mia',
        email: 'mia@example.com',
        role: 'MEMBER',
        password_hash: null,
        reset_password: 0,
        created_at: 1,
        updated_at: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    memberKey = (
      await store.createApiKey({
        kind: 'user',
        userId: member.id,
        name: 'k',
        description: null,
        expiresAt: null,
      })
    ).key;
  });
  afterAll(() => t?.close());

  const url = (path: string) => `${t.server.url}${path}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(url(path), { headers });
  const exportSpans = (headers: Record<string, string> = {}) =>
    fetch(url('/v1/traces'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...headers },
      body: protobufSpans(),
    });
  const spanCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('spans')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates the system user, the default admin (reset forced) and PHOENIX_ADMINS at start', async () => {
    const users = await t.store.db
      .selectFrom('users')
      .select(['username', 'email', 'role', 'reset_password'])
      .where('username', '!=', 'mia')
      .orderBy('id')
      .execute();
    expect(users).toEqual([
      { username: 'system', email: 'system@localhost', role: 'SYSTEM', reset_password: 0 },
      { username: 'admin', email: 'admin@localhost', role: 'ADMIN', reset_password: 1 },
      { username: 'Ann Lee', email: 'ann@example.com', role: 'ADMIN', reset_password: 1 },
    ]);
  });

  it('leaves health and the UI files open', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/')).status).toBe(200);
    expect((await get('/projects/abc')).status).toBe(200);
  });

  it.each([
    '/v1/projects',
    '/v1/ui/projects',
    '/arize_phoenix_version',
    '/openapi.json',
    '/v1/no-such-route',
  ])('answers GET %s without a credential 401 with a JSON error', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ detail: 'Not authenticated' });
  });

  it.each([
    ['a made-up key', { authorization: `Bearer fawkes_${'0'.repeat(16)}_${'a'.repeat(43)}` }],
    ['a key with one character changed', () => ({ authorization: `Bearer ${memberKey.slice(0, -1)}x` })],
    ['another scheme', () => ({ authorization: `Basic ${memberKey}` })],
    ['an empty api_key header', { api_key: ' ' }],
    ['a forged access-token cookie', { cookie: 'phoenix-access-token=eyJhbGciOiJIUzI1NiJ9.e30.x' }],
    ['the session secret itself', { authorization: `Bearer ${TEST_AUTH.secret}` }],
  ])('refuses %s with 401', async (_what, headers) => {
    const h = typeof headers === 'function' ? headers() : headers;
    const response = await get('/v1/projects', h);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: 'Invalid credentials' });
  });

  it('accepts an API key as a bearer token and as the api_key header, and the admin secret', async () => {
    expect((await get('/v1/projects', { authorization: `Bearer ${memberKey}` })).status).toBe(200);
    expect((await get('/v1/projects', { authorization: `bearer ${memberKey}` })).status).toBe(200);
    expect((await get('/v1/projects', { api_key: memberKey })).status).toBe(200);
    expect((await get('/v1/projects', { authorization: `Bearer ${TEST_AUTH.adminSecret}` })).status).toBe(
      200,
    );
  });

  it('accepts a login session: its access-token cookie while the session lasts', async () => {
    const admin = (await store.findUserByUsername('mia'))!;
    const tokens = new SessionTokens(TEST_AUTH.secret);
    const sessionId = await store.createSession(admin.id, (Date.now() + 60_000) * 1000);
    const token = await tokens.sign(
      'access',
      { userId: admin.id, sessionId },
      Math.floor(Date.now() / 1000) + 60,
    );
    const cookie = `other=1; phoenix-access-token=${token}`;
    expect((await get('/v1/projects', { cookie })).status).toBe(200);
    // A refresh token is not an access token.
    const refresh = await tokens.sign(
      'refresh',
      { userId: admin.id, sessionId },
      Math.floor(Date.now() / 1000) + 60,
    );
    expect((await get('/v1/projects', { cookie: `phoenix-access-token=${refresh}` })).status).toBe(401);
    // Signed with another secret.
    const forged = await new SessionTokens('x'.repeat(40)).sign(
      'access',
      { userId: admin.id, sessionId },
      2e9,
    );
    expect((await get('/v1/projects', { cookie: `phoenix-access-token=${forged}` })).status).toBe(401);
  });

  it("holds a session whose user must choose a new password (the default admin's first login) with 403", async () => {
    const admin = (await store.findUserByUsername('admin'))!;
    const sessionId = await store.createSession(admin.id, (Date.now() + 60_000) * 1000);
    const token = await new SessionTokens(TEST_AUTH.secret).sign(
      'access',
      { userId: admin.id, sessionId },
      Math.floor(Date.now() / 1000) + 60,
    );
    const cookie = `phoenix-access-token=${token}`;
    const held = await get('/v1/projects', { cookie });
    expect(held.status).toBe(403);
    expect(((await held.json()) as { detail: string }).detail).toMatch(/^Password reset required/);
    expect((await get('/v1/user', { cookie })).status).toBe(200);
  });

  it('stores nothing from an OTLP/HTTP export without a valid credential, and stores it with one', async () => {
    const before = await spanCount();
    const refused = await exportSpans();
    expect(refused.status).toBe(401);
    expect((await exportSpans({ authorization: 'Bearer nope' })).status).toBe(401);
    expect(await spanCount()).toBe(before);
    const accepted = await exportSpans({ authorization: `Bearer ${memberKey}` });
    expect(accepted.status).toBe(200);
    expect(await spanCount()).toBe(before + 3);
  });

  it('answers a gRPC export without a valid credential UNAUTHENTICATED and stores nothing', async () => {
    const before = await spanCount();
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: memberKey },
    ];
    for (const metadata of refused) {
      const client = otlpGrpcClient(t.server.grpcPort, metadata);
      try {
        const error = await client.exportRequest(protobufSpans());
        expect(error?.code).toBe(status.UNAUTHENTICATED);
      } finally {
        client.close();
      }
    }
    expect(await spanCount()).toBe(before);
    const accepted: Record<string, string>[] = [
      { authorization: `Bearer ${memberKey}` },
      { api_key: memberKey },
    ];
    for (const metadata of accepted) {
      const client = otlpGrpcClient(t.server.grpcPort, metadata);
      try {
        expect(await client.exportRequest(protobufSpans())).toBeNull();
      } finally {
        client.close();
      }
    }
    expect(await spanCount()).toBe(before + 6);
  });

  it('refuses an expired key', async () => {
    const admin = (await store.findUserByUsername('admin'))!;
    const { key } = await store.createApiKey({
      kind: 'user',
      userId: admin.id,
      name: 'old',
      description: null,
      expiresAt: (Date.now() - 1000) * 1000,
    });
    expect((await get('/v1/projects', { authorization: `Bearer ${key}` })).status).toBe(401);
  });

  it('refuses a deleted key within a second', async () => {
    const admin = (await store.findUserByUsername('admin'))!;
    const { row, key } = await store.createApiKey({
      kind: 'user',
      userId: admin.id,
      name: 'soon revoked',
      description: null,
      expiresAt: null,
    });
    expect((await get('/v1/projects', { authorization: `Bearer ${key}` })).status).toBe(200);
    await store.deleteApiKey(row.id);
    const deleted = Date.now();
    while ((await get('/v1/projects', { authorization: `Bearer ${key}` })).status !== 401) {
      expect(Date.now() - deleted).toBeLessThan(1000);
    }
  });
});

describeEachDialect('authentication off', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
  });
  afterAll(() => t?.close());

  it('answers every route as before, with no credential', async () => {
    expect((await fetch(`${t.server.url}/v1/projects`)).status).toBe(200);
    const client = otlpGrpcClient(t.server.grpcPort);
    try {
      expect(await client.exportRequest(protobufSpans())).toBeNull();
    } finally {
      client.close();
    }
  });
});
