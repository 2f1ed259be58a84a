/**
 * The HTTP surface's bounds (README "Bounds"): headers and URL (431, 414), body per route (413
 * naming the limit, small for the session and user routes, large for annotations and OTLP), and slow
 * or idle clients (408, keep-alive), each answered with a detail and changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { openRawConnection as open } from '../../test-support/raw-connection.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { resolveConfig } from '../server/config.js';
import { DEFAULT_CONNECTION_LIMITS } from '../server/connection-limits.js';
import { bodyLimitFor } from './limits.js';

/** The JSON body of a raw HTTP/1.1 answer. */
const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('bounds configuration', () => {
  it('reads every variable, and refuses what cannot work', () => {
    const config = resolveConfig(
      {},
      {
        FAWKES_MAX_BODY_BYTES: '1048576',
        FAWKES_MAX_AUTH_BODY_BYTES: '4096',
        FAWKES_HEADERS_TIMEOUT_SECONDS: '5',
        FAWKES_REQUEST_TIMEOUT_SECONDS: '60',
        FAWKES_KEEP_ALIVE_TIMEOUT_SECONDS: '10',
        FAWKES_MAX_HEADER_BYTES: '32768',
        FAWKES_MAX_URL_BYTES: '4096',
      },
    );
    expect(config.maxBodyBytes).toBe(1_048_576);
    expect(config.maxAuthBodyBytes).toBe(4096);
    expect(config.connectionLimits).toMatchObject({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 10_000,
      maxHeaderBytes: 32_768,
      maxUrlBytes: 4096,
    });
    expect(() => resolveConfig({}, { FAWKES_MAX_HEADER_BYTES: 'lots' })).toThrow(/FAWKES_MAX_HEADER_BYTES/);
    expect(() => resolveConfig({}, { FAWKES_MAX_URL_BYTES: '20000' })).toThrow(
      /below FAWKES_MAX_HEADER_BYTES/,
    );
    expect(() => resolveConfig({}, { FAWKES_HEADERS_TIMEOUT_SECONDS: '400' })).toThrow(
      /must not exceed FAWKES_REQUEST_TIMEOUT_SECONDS/,
    );
    expect(() => resolveConfig({}, { FAWKES_KEEP_ALIVE_TIMEOUT_SECONDS: '0' })).toThrow(
      /FAWKES_KEEP_ALIVE_TIMEOUT_SECONDS/,
    );
  });

  it('gives the session and user routes the small bound, the rest the large one', () => {
    const limits = { authBytes: 1, defaultBytes: 2 };
    for (const path of [
      '/auth/login',
      '/v1/user',
      '/v1/user/api_keys',
      '/v1/users/:user_id',
      '/v1/system/api_keys',
    ]) {
      expect(bodyLimitFor(path, limits), path).toBe(1);
    }
    for (const path of [
      '/v1/traces',
      '/v1/span_annotations',
      '/v1/projects/:project_identifier/spans',
      '/v1/usersx',
    ]) {
      expect(bodyLimitFor(path, limits), path).toBe(2);
    }
  });
});

describeEachDialect('body bounds per route', (dialect) => {
  let t: DialectTestServer;
  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: TEST_AUTH });
  });
  afterAll(() => t?.close());
  const admin = { authorization: `Bearer ${TEST_AUTH.adminSecret}`, 'content-type': 'application/json' };
  const post = (path: string, body: string, headers: Record<string, string> = admin) =>
    fetch(`${t.server.url}${path}`, { method: 'POST', headers, body });

  it('a login body past 64 KiB is 413 naming the limit, before the password is checked', async () => {
    const body = JSON.stringify({ email: 'admin@localhost', password: `admin${' '.repeat(70_000)}` });
    const response = await post('/auth/login', body, { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe("The request body is larger than this route's limit of 65536 bytes");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('a user created with a body past the bound is 413, and no user is made', async () => {
    const users = async () => (await t.store.db.selectFrom('users').select('id').execute()).length;
    const before = await users();
    const user = {
      email: 'big@example.com',
      username: 'x'.repeat(70_000),
      role: 'MEMBER',
      auth_method: 'LOCAL',
      password: 'a-password-1',
    };
    const response = await post('/v1/users', JSON.stringify({ user, send_welcome_email: false }));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('65536 bytes');
    expect(await users()).toBe(before);
  });

  it('annotations take a body far past the small bound (1 MiB of them)', async () => {
    const data = Array.from({ length: 5000 }, (_, i) => ({
      span_id: `${i}`.padStart(16, '0'),
      name: 'correctness',
      annotator_kind: 'HUMAN',
      result: { label: 'x'.repeat(150), score: 1 },
    }));
    const body = JSON.stringify({ data });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const response = await post('/v1/span_annotations', body);
    // Not stored (no such spans), but read and answered: the body was taken.
    expect(response.status, await response.clone().text()).not.toBe(413);
    expect(response.status).toBeLessThan(500);
  });
});

describe('header, URL and slow-client bounds', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(
      {},
      {
        connectionLimits: {
          ...DEFAULT_CONNECTION_LIMITS,
          headersTimeoutMs: 1000,
          requestTimeoutMs: 2000,
          keepAliveTimeoutMs: 1000,
          checkIntervalMs: 50,
        },
      },
    );
  });
  afterAll(() => t.close());

  it('headers past 16 KiB are 431 with a detail naming the bound and its variable', async () => {
    const { socket, closed } = await open(t.server.url);
    socket.write(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(bodyOf(answer)).toEqual({
      detail: 'The request line and headers are larger than 16384 bytes (FAWKES_MAX_HEADER_BYTES)',
    });
  });

  it('a URL past 8 KiB is 414 with a detail; one just under is routed', async () => {
    const long = await fetch(`${t.server.url}/v1/projects?x=${'a'.repeat(8200)}`);
    expect(long.status).toBe(414);
    expect(await long.json()).toEqual({ detail: 'The URL is longer than 8192 bytes (FAWKES_MAX_URL_BYTES)' });
    const path = '/healthz?x=';
    const fits = await fetch(`${t.server.url}${path}${'a'.repeat(8192 - path.length)}`);
    expect(fits.status).toBe(200);
  });

  it('a client sending its headers one byte at a time is cut off (408) while the server answers others', async () => {
    const slow = await open(t.server.url);
    let gone = false;
    void slow.closed.then(() => {
      gone = true;
    });
    const request = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'s'.repeat(16_000)}\r\n\r\n`;
    let sent = 0;
    let answered = 0;
    // Paced by the others' answers, not by a timer: a byte, then a whole request of someone else.
    while (!gone && sent < request.length) {
      slow.socket.write(request[sent++]!);
      const other = await fetch(`${t.server.url}/healthz`);
      expect(other.status).toBe(200);
      answered++;
    }
    const answer = await slow.closed;
    expect(sent).toBeLessThan(request.length);
    expect(answered).toBeGreaterThan(0);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(bodyOf(answer).detail).toBe(
      'The request did not arrive in time: headers within 1 s (FAWKES_HEADERS_TIMEOUT_SECONDS), the whole request within 2 s (FAWKES_REQUEST_TIMEOUT_SECONDS)',
    );
  });

  it('300 slow connections at once do not stop the server from answering, and each is cut off', async () => {
    const slow = await Promise.all(Array.from({ length: 300 }, () => open(t.server.url)));
    for (const { socket } of slow) socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    const other = await fetch(`${t.server.url}/healthz`);
    expect(other.status).toBe(200);
    const answers = await Promise.all(slow.map((s) => s.closed));
    expect(answers.filter((a) => !a.startsWith('HTTP/1.1 408 '))).toEqual([]);
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
  });

  it('an idle keep-alive connection is closed after keepAliveTimeout', async () => {
    const { socket, closed } = await open(t.server.url);
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const answer = await closed; // the server hangs up, the client never does
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/keep-alive: timeout=1/i);
  });
});
