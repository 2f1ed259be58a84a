import { describe, expect, it, vi } from 'vitest';
import { createClient } from '../client.js';
import { MissingDependencyError } from '../errors.js';

// This file runs as if nodejs-polars were not installed.
vi.mock('nodejs-polars', () => {
  throw Object.assign(new Error("Cannot find package 'nodejs-polars'"), { code: 'ERR_MODULE_NOT_FOUND' });
});

describe('without nodejs-polars', () => {
  const requests: string[] = [];
  const client = createClient({
    baseUrl: 'http://127.0.0.1:9',
    fetch: async (input) => {
      requests.push(String(input instanceof Request ? input.url : input));
      return Response.json({ data: [], next_cursor: null });
    },
  });

  it('the DataFrame methods say how to install it, before any request', async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ['getSpansDataframe', () => client.spans.getSpansDataframe()],
      ['getSpanAnnotationsDataframe', () => client.spans.getSpanAnnotationsDataframe({ spanIds: ['a'] })],
      ['getTraceAnnotationsDataframe', () => client.traces.getTraceAnnotationsDataframe({ traceIds: ['a'] })],
      ['getSessionsDataframe', () => client.sessions.getSessionsDataframe()],
      [
        'getSessionAnnotationsDataframe',
        () => client.sessions.getSessionAnnotationsDataframe({ sessionIds: ['a'] }),
      ],
    ];
    for (const [method, call] of calls) {
      const error = (await call().catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(MissingDependencyError);
      expect(error.message).toBe(
        `${method} returns a nodejs-polars DataFrame, and nodejs-polars is not installed: npm install nodejs-polars`,
      );
    }
    expect(requests).toEqual([]);
  });

  it('everything else works, DataFrame logging from plain rows too', async () => {
    await client.projects.list();
    await client.spans.logSpanAnnotationsDataframe({
      dataframe: [{ span_id: 'a', label: 'ok' }],
      annotationName: 'n',
    });
    expect(requests).toHaveLength(2);
  });
});
