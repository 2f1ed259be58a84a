import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCalls } from '../../test-support/auth-calls.js';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';
import { LoginRateLimiter, PHOENIX_LOGIN_RATE_LIMIT } from './login-rate-limit.js';

/** A clock the test moves by hand. */
function steppedClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('LoginRateLimiter', () => {
  it("holds Phoenix's 12 tokens, refills one every 5 s, and forgets idle addresses", () => {
    const clock = steppedClock();
    const limiter = new LoginRateLimiter({ ...PHOENIX_LOGIN_RATE_LIMIT, now: clock.now });
    for (let i = 0; i < 12; i++) expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(5);
    expect(limiter.take('b')).toBeNull(); // another address has its own bucket
    clock.advance(4_999);
    expect(limiter.take('a')).toBe(1);
    clock.advance(1);
    expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(5);
    clock.advance(60_000);
    expect(limiter.take('c')).toBeNull(); // sweeps: a and b are full again, so dropped
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 12; i++) expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).not.toBeNull();
  });
});

/** POST /auth/login from another loopback address (Linux routes all of 127/8 to lo). */
function loginFrom(url: string, localAddress: string, email: string, password: string): Promise<number> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/auth/login`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describeEachDialect('login rate limit', (dialect) => {
  let t: DialectTestServer;
  const clock = steppedClock();
  beforeAll(async () => {
    t = await startDialectTestServer(
      dialect,
      {},
      { auth: { ...TEST_AUTH, loginRateLimit: { ...PHOENIX_LOGIN_RATE_LIMIT, now: clock.now } } },
    );
  });
  afterAll(() => t?.close());
  const { call } = authCalls(() => t.server.url);
  const userRow = () =>
    t.store.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'ann@example.com')
      .executeTakeFirstOrThrow();

  it('refuses the 13th attempt from one address with 429, changes nothing about the user, and lets time reset it', async () => {
    const before = await userRow();
    const guesses = [];
    for (let i = 0; i < 12; i++) {
      guesses.push(
        (await call('POST', '/auth/login', {}, { email: 'ann@example.com', password: `guess-${i}` })).status,
      );
    }
    expect(guesses).toEqual(Array(12).fill(401));
    const refused = await call('POST', '/auth/login', {}, { email: 'ann@example.com', password: 'guess-12' });
    expect(refused.status).toBe(429);
    expect(refused.text).toBe('Too Many Requests');
    expect(refused.headers.get('retry-after')).toBe('5');
    // The other session routes share the bucket, and a body is not even read (no 422 for a bad one).
    expect((await call('POST', '/auth/refresh')).status).toBe(429);
    expect((await call('GET', '/auth/logout')).status).toBe(429);
    expect((await call('POST', '/auth/login', {}, { nonsense: true })).status).toBe(429);
    // The right password too: the limit is the address's, not a guess's.
    expect(
      (await call('POST', '/auth/login', {}, { email: 'admin@localhost', password: 'admin' })).status,
    ).toBe(429);
    expect(await userRow()).toEqual(before);

    // Another address is not held back.
    const url = t.server.url;
    expect(await loginFrom(url, '127.0.0.2', 'admin@localhost', 'admin')).toBe(204);

    // One token every 5 s, the whole bucket after a minute: the real user logs in again.
    clock.advance(5_000);
    expect(
      (await call('POST', '/auth/login', {}, { email: 'admin@localhost', password: 'admin' })).status,
    ).toBe(204);
    expect(
      (await call('POST', '/auth/login', {}, { email: 'admin@localhost', password: 'admin' })).status,
    ).toBe(429);
    clock.advance(60_000);
    const after = [];
    for (let i = 0; i < 12; i++) {
      after.push(
        (await call('POST', '/auth/login', {}, { email: 'admin@localhost', password: 'admin' })).status,
      );
    }
    expect(after).toEqual(Array(12).fill(204));
    expect(await userRow()).toEqual(before);
  });

  it('leaves the other routes alone', async () => {
    // The bucket is empty from the test above; reads are not limited.
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/v1/user', { authorization: `Bearer ${TEST_AUTH.adminSecret}` })).status).toBe(
      200,
    );
  });
});
