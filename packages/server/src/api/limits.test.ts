/**
 * Every `limit` has a bound: a value past it (or one no database integer holds) is FastAPI's 422
 * naming the parameter, never a 500. The routes are taken from /openapi.json, so a new route with a
 * `limit` is walked too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { api, sendSpans } from '../../test-support/rest-client.js';

interface Parameter {
  name: string;
  in: string;
  schema?: { maximum?: number; type?: string; pattern?: string };
}
type Operation = { parameters?: Parameter[] };

/** A path with its parameters filled in by values that pass their schemas. */
function concretePath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, (_all, name: string) =>
    name === 'project_identifier' || name === 'project_name' ? 'default' : 'UHJvamVjdDox',
  );
}

describeEachDialect('limits', (dialect) => {
  let t: DialectTestServer;
  let routes: { method: string; path: string; maximum: number | undefined }[];
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
    await sendSpans(t.server.url, conversationTurn());
    const doc = (await api(t.server.url).get('/openapi.json')).json as {
      paths: Record<string, Record<string, Operation>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const limit = operation.parameters?.find((p) => p.name === 'limit' && p.in === 'query');
        return limit ? [{ method: method.toUpperCase(), path, maximum: limit.schema?.maximum }] : [];
      }),
    );
  });
  afterAll(() => t.close());

  it('finds the list routes', () => {
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/v1/projects',
        '/v1/projects/{project_identifier}/sessions',
        '/v1/projects/{project_identifier}/spans',
        '/v1/projects/{project_identifier}/traces',
      ]),
    );
  });

  it('every limit declares a maximum', () => {
    expect(routes.filter((r) => r.maximum === undefined)).toEqual([]);
  });

  it('every limit past its maximum is a 422 naming it', async () => {
    for (const { method, path, maximum } of routes) {
      for (const limit of [String(maximum! + 1), '9223372036854775807', '1e23', '-1', '0']) {
        const response = await fetch(`${t.server.url}${concretePath(path)}?limit=${limit}`, { method });
        const body = await response.text();
        expect(response.status, `${method} ${path}?limit=${limit}: ${body}`).toBe(422);
        // The UI's own routes (/v1/ui) answer their 422s in plain text naming the parameter.
        if (path.startsWith('/v1/ui/')) {
          expect(body, `${method} ${path}?limit=${limit}`).toMatch(/^limit must /);
          continue;
        }
        expect(JSON.parse(body).detail[0].loc, `${method} ${path}?limit=${limit}`).toEqual([
          'query',
          'limit',
        ]);
      }
    }
  });

  it('a limit at the maximum is answered', async () => {
    for (const { method, path, maximum } of routes) {
      if (method !== 'GET') continue;
      const response = await fetch(`${t.server.url}${concretePath(path)}?limit=${maximum}`);
      expect(response.status, `${path}?limit=${maximum}: ${await response.clone().text()}`).toBeLessThan(500);
    }
  });

  it("POST /v1/spans bounds the body's limit too", async () => {
    const answer = await api(t.server.url).post('/v1/spans', { queries: [{}], limit: 1e23 });
    expect(answer.status).toBe(422);
    expect(answer.json.detail[0].loc).toEqual(['body', 'limit']);
  });
});
