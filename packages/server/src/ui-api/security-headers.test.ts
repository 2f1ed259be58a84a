import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { resolveConfig } from '../server/config.js';
import { frameAncestors, UI_FRAME_ANCESTORS } from './security-headers.js';

/** The frame-ancestors directive of a CSP header. */
function frameAncestorsOf(csp: string | null): string[] {
  const directive = (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '));
  return (directive ?? '').split(' ').slice(1);
}

describe('frame-ancestors from PHOENIX_ALLOWED_ORIGINS (#15 C.2)', () => {
  it('adds the listed origins, normalized and once each, to this machine’s notebooks', () => {
    expect(frameAncestors([])).toEqual(UI_FRAME_ANCESTORS);
    expect(
      frameAncestors([
        'https://Notebooks.Example.com:443/',
        'http://lab.example:8888',
        'http://lab.example:8888',
      ]),
    ).toEqual([...UI_FRAME_ANCESTORS, 'https://notebooks.example.com', 'http://lab.example:8888']);
    expect(frameAncestors(['*'])).toEqual([...UI_FRAME_ANCESTORS, '*']);
  });

  describe.each([
    ['unset', undefined, []],
    [
      'two origins',
      'https://notebooks.example.com, http://lab.example:8888',
      ['https://notebooks.example.com', 'http://lab.example:8888'],
    ],
    ['*', '*', ['*']],
  ])('PHOENIX_ALLOWED_ORIGINS %s', (_what, value, extra) => {
    let t: TestServer;
    beforeAll(async () => {
      // The variable as the server reads it at start (config.ts), then the server's real answers.
      const { allowedOrigins } = resolveConfig(
        {},
        value === undefined ? {} : { PHOENIX_ALLOWED_ORIGINS: value },
      );
      t = await startTestServer({}, { allowedOrigins });
    });
    afterAll(() => t?.close());

    it('sends the UI pages a frame-ancestors that admits exactly those besides the defaults', async () => {
      for (const path of ['/', '/projects/default/traces']) {
        const response = await fetch(`${t.server.url}${path}`);
        expect(response.status).toBe(200);
        expect(frameAncestorsOf(response.headers.get('content-security-policy'))).toEqual([
          ...UI_FRAME_ANCESTORS,
          ...extra,
        ]);
      }
    });
  });
});
