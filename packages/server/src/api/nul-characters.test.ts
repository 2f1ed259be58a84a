/**
 * NUL characters (`%00`, `\u0000`) in ids, filters, query parameters and JSON bodies: FastAPI's 422
 * naming where, the same on both databases (PostgreSQL cannot store or even compare one), and
 * nothing changed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { api, sendSpans } from '../../test-support/rest-client.js';

describeEachDialect('NUL characters in requests', (dialect) => {
  let t: DialectTestServer;
  const projectNames = async () =>
    (await t.store.db.selectFrom('projects').select('name').execute()).map((p) => p.name);
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
    await sendSpans(t.server.url, conversationTurn({ sessionId: 's1' }));
  });
  afterAll(() => t.close());

  it('every route with a path parameter refuses one holding %00 (422 naming it)', async () => {
    const doc = (await api(t.server.url).get('/openapi.json')).json as {
      paths: Record<string, Record<string, unknown>>;
    };
    const templated = Object.entries(doc.paths).filter(([path]) => path.includes('{'));
    expect(templated.length).toBeGreaterThan(5);
    for (const [template, operations] of templated) {
      const name = /\{([^}]+)\}/.exec(template)![1]!;
      const path = template.replace(/\{[^}]+\}/g, 'a%00b');
      for (const method of Object.keys(operations)) {
        const response = await fetch(`${t.server.url}${path}`, { method: method.toUpperCase() });
        const body = await response.text();
        expect(response.status, `${method} ${path}: ${body}`).toBe(422);
        expect(JSON.parse(body).detail[0]).toMatchObject({ loc: ['path', name], input: 'a\u0000b' });
      }
    }
    expect(await projectNames()).toEqual(['default']);
  });

  it.each([
    '/v1/sessions/a%00b',
    '/v1/projects/a%00b',
    '/v1/projects/default/spans?span_id=a%00b',
    `/v1/projects/default/spans?filter=${encodeURIComponent("name == 'a\u0000b'")}`,
    '/v1/projects/default/traces?session_identifier=a%00b',
    '/v1/span_annotations?span_ids=a%00b',
    '/v1/ui/projects/a%00b/spans',
    '/v1/ui/projects/default/spans?filter=a%00b',
    '/v1/ui/traces/a%00b',
  ])('GET %s → 422, never 500', async (path) => {
    const response = await fetch(`${t.server.url}${path}`);
    expect(response.status, await response.clone().text()).toBe(422);
    const body = (await response.json()) as { detail: { msg: string }[] };
    expect(body.detail[0]!.msg).toMatch(/NUL/);
  });

  it('a project named "a\\u0000b" is refused, not stored under another name', async () => {
    const answer = await api(t.server.url).post('/v1/projects', { name: 'a\u0000b' });
    expect(answer.status).toBe(422);
    expect(answer.json.detail).toEqual([
      {
        loc: ['body', 'name'],
        msg: 'Value error, must not contain NUL characters (\\u0000)',
        type: 'value_error',
        input: 'a\u0000b',
      },
    ]);
    expect(await projectNames()).toEqual(['default']);
  });

  it('a NUL in a nested key or value of a body is named where it is', async () => {
    const answer = await api(t.server.url).post('/v1/span_annotations', {
      data: [
        { span_id: 'x', name: 'n', annotator_kind: 'HUMAN', result: { label: 'ok', explanation: 'a\u0000' } },
      ],
    });
    expect(answer.status).toBe(422);
    expect(answer.json.detail[0].loc).toEqual(['body', 'data', 0, 'result', 'explanation']);
    const key = await api(t.server.url).post('/v1/span_annotations', {
      data: [{ span_id: 'x', name: 'n', annotator_kind: 'HUMAN', metadata: { 'k\u0000': 1 } }],
    });
    expect(key.json.detail[0].loc).toEqual(['body', 'data', 0, 'metadata', 'k\u0000']);
  });

  it('a body nested 100,000 deep is walked without overflowing the stack', async () => {
    const body = `{"name":${'['.repeat(100_000)}"a\\u0000"${']'.repeat(100_000)}}`;
    const response = await fetch(`${t.server.url}/v1/projects`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBeLessThan(500);
  });
});
