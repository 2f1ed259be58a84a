import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL, parseHeaderList, resolveClientOptions } from './config.js';

describe('resolveClientOptions', () => {
  it('defaults to http://localhost:6006 with no headers', () => {
    const resolved = resolveClientOptions({}, {});
    expect(resolved.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(resolved.headers).toEqual({});
    expect(resolved.fetch).toBe(globalThis.fetch);
  });

  it('reads PHOENIX_COLLECTOR_ENDPOINT, PHOENIX_API_KEY and PHOENIX_CLIENT_HEADERS', () => {
    const resolved = resolveClientOptions(
      {},
      {
        PHOENIX_COLLECTOR_ENDPOINT: 'https://phoenix.example.com/prefix/',
        PHOENIX_API_KEY: 'secret',
        PHOENIX_CLIENT_HEADERS: 'X-Team=ml, x-note=a%20b%2Cc',
      },
    );
    expect(resolved.baseUrl).toBe('https://phoenix.example.com/prefix');
    expect(resolved.headers).toEqual({ authorization: 'Bearer secret', 'x-team': 'ml', 'x-note': 'a b,c' });
  });

  it('lets explicit options win over the environment', () => {
    const resolved = resolveClientOptions(
      { baseUrl: 'http://127.0.0.1:7000', apiKey: 'mine', headers: { 'X-Team': 'web' } },
      {
        PHOENIX_COLLECTOR_ENDPOINT: 'http://elsewhere',
        PHOENIX_API_KEY: 'env',
        PHOENIX_CLIENT_HEADERS: 'x-team=ml',
      },
    );
    expect(resolved.baseUrl).toBe('http://127.0.0.1:7000');
    expect(resolved.headers).toEqual({ authorization: 'Bearer mine', 'x-team': 'web' });
  });

  it('reads process.env when no environment is passed', () => {
    const saved = process.env.PHOENIX_COLLECTOR_ENDPOINT;
    process.env.PHOENIX_COLLECTOR_ENDPOINT = 'http://from-process-env:1234';
    try {
      expect(resolveClientOptions().baseUrl).toBe('http://from-process-env:1234');
    } finally {
      if (saved === undefined) delete process.env.PHOENIX_COLLECTOR_ENDPOINT;
      else process.env.PHOENIX_COLLECTOR_ENDPOINT = saved;
    }
  });

  it('works where there is no process (browsers)', () => {
    const saved = globalThis.process;
    (globalThis as { process?: unknown }).process = undefined;
    try {
      expect(resolveClientOptions().baseUrl).toBe(DEFAULT_BASE_URL);
    } finally {
      globalThis.process = saved;
    }
  });
});

describe('parseHeaderList', () => {
  it('skips items without a name or an equals sign', () => {
    expect(parseHeaderList('a=1,,b,=2, c = 3 ')).toEqual({ a: '1', c: '3' });
  });
});
