import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { hostIsAllowed, hostName, hostPolicy } from './allowed-hosts.js';

/** A raw HTTP request with the Host header given (fetch does not let a caller set it). */
function send(
  url: string,
  method: string,
  path: string,
  host: string,
): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? JSON.stringify({ name: 'rebound' }) : undefined;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { host, ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('host names', () => {
  it('reads the name of a Host header', () => {
    expect(hostName('localhost:6006')).toBe('localhost');
    expect(hostName('[::1]:6006')).toBe('[::1]');
    expect(hostName('Example.COM')).toBe('example.com');
    expect(hostName('a b')).toBeNull();
    expect(hostName('user@host')).toBeNull();
    expect(hostName('host/path')).toBeNull();
  });

  it('bound to loopback, answers loopback names and the listed ones only', () => {
    const policy = hostPolicy('127.0.0.1', ['notebook.internal']);
    for (const host of [
      'localhost:6006',
      '127.0.0.1:6006',
      '127.1.2.3',
      '[::1]:6006',
      'app.localhost',
      'notebook.internal:80',
    ])
      expect(hostIsAllowed(host, policy), host).toBe(true);
    for (const host of ['attacker.example', 'localhost.attacker.example', '127.0.0.1.nip.io', '', 'a b'])
      expect(hostIsAllowed(host, policy), host).toBe(false);
  });

  it('bound to every address, answers any Host unless names are listed; * answers any', () => {
    expect(hostIsAllowed('attacker.example', hostPolicy('0.0.0.0', []))).toBe(true);
    expect(hostIsAllowed('attacker.example', hostPolicy('0.0.0.0', ['fawkes.corp']))).toBe(false);
    expect(hostIsAllowed('fawkes.corp:6006', hostPolicy('0.0.0.0', ['fawkes.corp']))).toBe(true);
    expect(hostIsAllowed('attacker.example', hostPolicy('127.0.0.1', ['*']))).toBe(true);
  });
});

describe('a loopback server and a rebound name', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('refuses reads and writes with 403, and stores nothing', async () => {
    const write = await send(t.server.url, 'POST', '/v1/projects', 'attacker.example');
    expect(write.status).toBe(403);
    expect(JSON.parse(write.body).detail).toMatch(/FAWKES_ALLOWED_HOSTS/);
    expect((await send(t.server.url, 'GET', '/v1/projects', 'attacker.example:6006')).status).toBe(403);
    expect(t.query("SELECT name FROM projects WHERE name = 'rebound'")).toEqual([]);
  });

  it('answers its own names', async () => {
    const { port } = new URL(t.server.url);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`])
      expect((await send(t.server.url, 'GET', '/v1/projects', host)).status).toBe(200);
  });
});

describe('a listed name', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { allowedHosts: ['fawkes.lan'] });
  });
  afterAll(() => t.close());

  it('is answered, others still refused', async () => {
    expect((await send(t.server.url, 'GET', '/v1/projects', 'fawkes.lan:6006')).status).toBe(200);
    expect((await send(t.server.url, 'GET', '/v1/projects', 'other.lan')).status).toBe(403);
  });
});
