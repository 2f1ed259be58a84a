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
import type { UserRole } from '../store/schema.js';
import { AuthStore } from './auth-store.js';
import { rolesFor } from './roles.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describeEachDialect('the role table against the real routes', (dialect) => {
  let t: DialectTestServer;
  const keys: Partial<Record<UserRole, string>> = {};
  let routes: { method: string; route: string }[];
  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: TEST_AUTH });
    const store = new AuthStore(t.store.db);
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const user = await store.createUser({
        username: role.toLowerCase(),
        email: `${role.toLowerCase()}@example.com`,
        role,
        passwordHash: null,
        resetPassword: false,
      });
      keys[role] = (
        await store.createApiKey({
          kind: 'user',
          userId: user!.id,
          name: role,
          description: null,
          expiresAt: null,
        })
      ).key;
    }
    const document = (await (
      await fetch(`${t.server.url}/openapi.json`, {
        headers: { authorization: `Bearer ${TEST_AUTH.adminSecret}` },
      })
    ).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      METHODS.filter((m) => m in operations).map((m) => ({
        method: m.toUpperCase(),
        route: path.replace(/\{(\w+)\}/g, ':$1'),
      })),
    );
    // OTLP/HTTP is not in the OpenAPI document.
    routes.push({ method: 'POST', route: '/v1/traces' });
  });
  afterAll(() => t?.close());

  it('gives VIEWER no write and MEMBER no user or system-key management', () => {
    const writes = routes.filter(
      (r) => r.method !== 'GET' && r.route !== '/v1/spans' && !r.route.startsWith('/auth/'),
    );
    // One's own keys and password (PATCH /v1/user).
    const own = (r: { route: string }) => r.route === '/v1/user' || r.route.startsWith('/v1/user/api_keys');
    expect(writes.length).toBeGreaterThan(10);
    for (const r of writes.filter((w) => !own(w)))
      expect(rolesFor(r.method, r.route)).not.toContain('VIEWER');
    for (const r of routes.filter((w) => /^\/v1\/(users|system)\b/.test(w.route))) {
      expect(rolesFor(r.method, r.route)).not.toContain('MEMBER');
    }
  });

  // Reads are open to every role (and some stream: the live feed), so the walk is over the rest.
  it('is what every write and admin route answers, for VIEWER and MEMBER', async () => {
    const walked = routes.filter((r) => r.method !== 'GET' || /^\/v1\/(users|system)\b/.test(r.route));
    expect(walked.length).toBeGreaterThan(10);
    for (const role of ['VIEWER', 'MEMBER'] as const) {
      for (const { method, route } of walked) {
        const path = route.replace(/:\w+/g, 'no-such-id');
        const response = await fetch(`${t.server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${keys[role]}`, 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        const text = await response.text();
        const refusedByRole = response.status === 403 && text.includes(`Forbidden: ${role} may not`);
        expect({ role, method, route, refusedByRole }).toEqual({
          role,
          method,
          route,
          refusedByRole: !rolesFor(method, route).includes(role),
        });
      }
    }
  }, 120_000);

  it("refuses a VIEWER's gRPC export and takes a MEMBER's", async () => {
    const body = ProtobufTraceSerializer.serializeRequest(conversationTurn())!;
    for (const [role, expected] of [
      ['VIEWER', status.PERMISSION_DENIED],
      ['MEMBER', undefined],
    ] as const) {
      const client = otlpGrpcClient(t.server.grpcPort, { authorization: `Bearer ${keys[role]}` });
      try {
        expect((await client.exportRequest(body))?.code).toBe(expected);
      } finally {
        client.close();
      }
    }
  });
});
