import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { conversationTurn } from '../../../test-support/otel-spans.js';
import { api, sendSpans } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { encodeGlobalId } from '../global-id.js';

describeEachDialect('projects API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
  });
  afterAll(() => t.close());

  const count = (table: string) => t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;

  describe('projects', () => {
    it('creates, gets by name and GlobalID, updates and lists', async () => {
      const created = await http.post('/v1/projects', { name: 'alpha', description: 'first' });
      expect(created.status).toBe(200);
      const id = created.json.data.id as string;
      expect(created.json).toEqual({ data: { name: 'alpha', description: 'first', id } });
      expect(Buffer.from(id, 'base64').toString()).toMatch(/^Project:\d+$/);

      expect((await http.get('/v1/projects/alpha')).json.data).toEqual(created.json.data);
      expect((await http.get(`/v1/projects/${encodeURIComponent(id)}`)).json.data).toEqual(created.json.data);

      const updated = await http.put('/v1/projects/alpha', { description: 'changed', name: 'ignored' });
      expect(updated.json.data).toEqual({ name: 'alpha', description: 'changed', id });
      const unchanged = await http.put(`/v1/projects/${id}`, {});
      expect(unchanged.json.data.description).toBe('changed');

      const list = await http.get('/v1/projects');
      expect(list.json.data.map((p: { name: string }) => p.name)).toContain('alpha');
      expect(list.json.next_cursor).toBeNull();
    });

    it('pages newest first with cursors, and filters by name', async () => {
      for (const name of ['page-1', 'page-2', 'page-3']) await http.post('/v1/projects', { name });
      const first = await http.get('/v1/projects?limit=2&name_contains=PAGE');
      expect(first.json.data.map((p: { name: string }) => p.name)).toEqual(['page-3', 'page-2']);
      expect(first.json.next_cursor).toEqual(expect.any(String));
      const second = await http.get(
        `/v1/projects?limit=2&name_contains=page&cursor=${first.json.next_cursor}`,
      );
      expect(second.json.data.map((p: { name: string }) => p.name)).toEqual(['page-1']);
      expect(second.json.next_cursor).toBeNull();
      expect((await http.get('/v1/projects?name_contains=%25')).json.data).toEqual([]);
    });

    it('deletes a project with everything beneath it', async () => {
      await sendSpans(t.server.url, conversationTurn({ projectName: 'doomed', sessionId: 'doomed-session' }));
      expect(count('spans')).toBeGreaterThan(0);
      const before = { spans: count('spans'), traces: count('traces'), sessions: count('project_sessions') };
      const response = await http.delete('/v1/projects/doomed');
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect(count('spans')).toBe(before.spans - 3);
      expect(count('traces')).toBe(before.traces - 1);
      expect(count('project_sessions')).toBe(before.sessions - 1);
      expect((await http.get('/v1/projects/doomed')).status).toBe(404);
    });
  });

  describe('project errors change nothing', () => {
    it('answers 404 with Phoenix texts', async () => {
      const byName = await http.get('/v1/projects/nope');
      expect(byName).toMatchObject({ status: 404, text: 'Project with name nope not found' });
      expect(byName.contentType).toMatch(/^text\/plain/);
      const gid = encodeGlobalId('Project', 999);
      expect((await http.get(`/v1/projects/${gid}`)).text).toBe(`Project with ID ${gid} not found`);
      expect((await http.put('/v1/projects/nope', { description: 'x' })).status).toBe(404);
      expect((await http.delete('/v1/projects/nope')).status).toBe(404);
    });

    it('refuses to delete the default project (403)', async () => {
      await http.post('/v1/projects', { name: 'default' });
      const response = await http.delete('/v1/projects/default');
      expect(response).toMatchObject({ status: 403, text: 'The default project cannot be deleted' });
      expect((await http.get('/v1/projects/default')).status).toBe(200);
    });

    it('refuses a duplicate name (409)', async () => {
      await http.post('/v1/projects', { name: 'twice' });
      const again = await http.post('/v1/projects', { name: 'twice', description: 'other' });
      expect(again).toMatchObject({ status: 409, text: 'Project with name twice already exists' });
      expect((await http.get('/v1/projects/twice')).json.data.description).toBeNull();
    });

    it('answers invalid bodies and parameters with FastAPI 422s', async () => {
      const projects = count('projects');
      expect((await http.post('/v1/projects', {})).json).toEqual({
        detail: [{ loc: ['body', 'name'], msg: 'Field required', type: 'missing', input: {} }],
      });
      expect((await http.post('/v1/projects', { name: 7 })).json.detail).toEqual([
        { loc: ['body', 'name'], msg: 'Input should be a valid string', type: 'string_type', input: 7 },
      ]);
      expect((await http.post('/v1/projects', { name: '' })).json.detail[0]).toMatchObject({
        loc: ['body', 'name'],
        type: 'string_too_short',
      });
      expect((await http.post('/v1/projects', { name: 'x', description: 5 })).json.detail[0]).toMatchObject({
        loc: ['body', 'description'],
        type: 'string_type',
      });
      const badJson = await http.postRaw('/v1/projects', '{"name": ');
      expect(badJson.status).toBe(422);
      expect(badJson.json.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
      const noBody = await http.post('/v1/projects');
      expect(noBody.json.detail).toEqual([
        { loc: ['body'], msg: 'Field required', type: 'missing', input: null },
      ]);
      expect((await http.get('/v1/projects?limit=0')).json.detail[0]).toMatchObject({
        loc: ['query', 'limit'],
        type: 'greater_than',
      });
      expect((await http.get('/v1/projects?limit=ten')).json.detail[0]).toMatchObject({
        loc: ['query', 'limit'],
        type: 'int_parsing',
        input: 'ten',
      });
      expect(await http.get('/v1/projects?cursor=!!!')).toMatchObject({
        status: 422,
        text: 'Invalid cursor format: !!!',
      });
      expect(count('projects')).toBe(projects);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document and the docs page', async () => {
      const doc = await http.get('/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.json.openapi).toMatch(/^3\./);
      expect(doc.json.paths['/v1/projects'].get.operationId).toBe('getProjects');
      expect(doc.json.paths['/v1/projects/{project_identifier}'].delete.responses).toHaveProperty('403');
      const docs = await fetch(`${t.server.url}/docs`, { redirect: 'follow' });
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/swagger/i);
    });
  });
});
