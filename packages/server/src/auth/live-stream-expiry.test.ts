import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentTurn } from '../../e2e/sample-traces.js';
import { authCalls } from '../../test-support/auth-calls.js';
import { describeEachDialect } from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

/** The UI's live feed (GET /v1/ui/live) opened with `headers`: read it with `until`. */
async function openStream(url: string, headers: Record<string, string>) {
  const response = await fetch(`${url}/v1/ui/live`, { headers });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    /** Reads until `seen(text so far)` holds (true) or the stream ends (false). */
    async until(seen: (text: string) => boolean): Promise<boolean> {
      while (!seen(text)) {
        const { value, done } = await reader.read();
        if (done) return false;
        text += decoder.decode(value, { stream: true });
      }
      return true;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** The `exp` claim (seconds) of a JWT. */
function expiryOf(jwt: string): number {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()).exp;
}

/**
 * A live stream ends when the credential that opened it expires (#15): the access token of a login
 * session (here 3 s), an API key with an expiry; one opened with a credential that does not expire
 * stays open and keeps delivering changes.
 */
describeEachDialect('live streams end when their credential expires', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { auth: { ...TEST_AUTH, accessTokenExpiryMinutes: 0.05 } }, dialect);
  });
  afterAll(() => t?.close());
  const { call, login, admin } = authCalls(() => t.server.url);

  it('closes a session stream at its access token expiry and a key stream at the key expiry, not the others', async () => {
    // The default admin chooses its password, then logs in for a session that may read the UI.
    const first = await login('admin@localhost', 'admin');
    const changed = await call('PATCH', '/v1/user', first, {
      current_password: 'admin',
      new_password: 'the-admins-own-password',
    });
    expect(changed.status).toBe(200);
    const session = await login('admin@localhost', 'the-admins-own-password');
    const accessToken = /phoenix-access-token=([^;]+)/.exec(session.cookie)?.[1] as string;
    const tokenExpiresAtMs = expiryOf(accessToken) * 1000;

    const keyExpiresAtMs = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    const created = await call('POST', '/v1/system/api_keys', admin, {
      data: { name: 'short-lived', expires_at: new Date(keyExpiresAtMs).toISOString() },
    });
    expect(created.status).toBe(201);

    const bySession = await openStream(t.server.url, session);
    const byKey = await openStream(t.server.url, { authorization: `Bearer ${created.json.data.key}` });
    const bySecret = await openStream(t.server.url, admin);
    const connected = (text: string) => text.includes(': connected');
    for (const stream of [bySession, byKey, bySecret]) expect(await stream.until(connected)).toBe(true);

    // Each expiring stream ends (the server ends the response), and not before its credential expired.
    expect(await bySession.until(() => false)).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(tokenExpiresAtMs);
    const again = await call('GET', '/v1/user', session);
    expect(again.status).toBe(401);
    expect(await byKey.until(() => false)).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(keyExpiresAtMs);

    // The admin secret's stream is still open, and still told about new spans.
    const exporter = new OTLPTraceExporter({ url: `${t.server.url}/v1/traces`, headers: admin });
    const spans = agentTurn({
      project: 'after-expiry',
      sessionId: 's-1',
      question: 'q',
      answer: 'a',
      startMs: Date.now(),
    });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(await bySecret.until((text) => text.includes('"after-expiry"'))).toBe(true);
    await bySecret.cancel();
  }, 60_000);
});
