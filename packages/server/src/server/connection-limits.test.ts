/**
 * Slow and idle clients cannot take the server's connections: past the cap a new connection reads
 * a 503, half-sent headers are answered 408 and closed, and the server keeps answering others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawConnection as open } from '../../test-support/raw-connection.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { DEFAULT_CONNECTION_LIMITS } from './connection-limits.js';

/** A request on a connection of its own (`Connection: close`), answered or refused. */
async function get(url: string): Promise<string> {
  const { socket, closed } = await open(url);
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  return closed;
}

describe('connection limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(
      {},
      {
        connectionLimits: {
          ...DEFAULT_CONNECTION_LIMITS,
          maxConnections: 3,
          headersTimeoutMs: 300,
          checkIntervalMs: 50,
        },
      },
    );
  });
  afterAll(() => t.close());

  it('past the cap, a connection reads a 503 with Retry-After; once one closes, requests are answered again', async () => {
    const held = await Promise.all([open(t.server.url), open(t.server.url), open(t.server.url)]);
    const refused = await get(t.server.url);
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/Retry-After: 1/i);
    expect(refused).toContain('too many open connections');
    held[0]!.socket.destroy();
    await held[0]!.closed;
    // The server counts the close when it sees it: ask until the freed slot is ours.
    let answer = await get(t.server.url);
    while (!answer.startsWith('HTTP/1.1 200')) answer = await get(t.server.url);
    for (const { socket } of held.slice(1)) socket.destroy();
  });

  it('reads FAWKES_MAX_CONNECTIONS', async () => {
    const { resolveConfig } = await import('./config.js');
    expect(resolveConfig({}, { FAWKES_MAX_CONNECTIONS: '100' }).connectionLimits.maxConnections).toBe(100);
    expect(() => resolveConfig({}, { FAWKES_MAX_CONNECTIONS: '0' })).toThrow(/FAWKES_MAX_CONNECTIONS/);
  });
});

// A server of its own: the first one may still count the connections closed a moment ago.
describe('header timeout', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(
      {},
      { connectionLimits: { ...DEFAULT_CONNECTION_LIMITS, headersTimeoutMs: 300, checkIntervalMs: 50 } },
    );
  });
  afterAll(() => t.close());

  it('half-sent headers are answered 408 and the connection closed', async () => {
    const { socket, closed } = await open(t.server.url);
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });
});
