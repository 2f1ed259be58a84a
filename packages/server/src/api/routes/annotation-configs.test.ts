import { createClient } from '@arizeai/phoenix-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { api } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { encodeGlobalId } from '../global-id.js';

const categorical = (name: string) => ({
  name,
  type: 'CATEGORICAL',
  description: 'Is the answer right?',
  optimization_direction: 'MAXIMIZE',
  values: [
    { label: 'correct', score: 1 },
    { label: 'incorrect', score: 0 },
  ],
});
const continuous = (name: string) => ({
  name,
  type: 'CONTINUOUS',
  optimization_direction: 'MINIMIZE',
  lower_bound: 0,
  upper_bound: 10,
});

const gidType = (id: string) => Buffer.from(id, 'base64').toString().split(':')[0];

describeEachDialect('annotation configs API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
  });
  afterAll(() => t.close());

  const count = (table: string) => Number(t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n);

  describe('configs', () => {
    it('creates the three types, answering every field with a GlobalID of its type', async () => {
      const cat = await http.post('/v1/annotation_configs', categorical('correctness'));
      expect(cat.status).toBe(200);
      expect(cat.json).toEqual({
        data: {
          ...categorical('correctness'),
          id: expect.any(String),
        },
      });
      expect(gidType(cat.json.data.id)).toBe('CategoricalAnnotationConfig');

      const cont = await http.post('/v1/annotation_configs', continuous('latency-feel'));
      expect(cont.json).toEqual({
        data: { ...continuous('latency-feel'), description: null, id: expect.any(String) },
      });
      expect(gidType(cont.json.data.id)).toBe('ContinuousAnnotationConfig');

      const free = await http.post('/v1/annotation_configs', { name: 'remarks', type: 'FREEFORM' });
      expect(free.json).toEqual({
        data: {
          name: 'remarks',
          type: 'FREEFORM',
          description: null,
          optimization_direction: null,
          threshold: null,
          lower_bound: null,
          upper_bound: null,
          id: expect.any(String),
        },
      });
      expect(gidType(free.json.data.id)).toBe('FreeformAnnotationConfig');

      // A value without a score keeps a null score.
      const noScore = await http.post('/v1/annotation_configs', {
        ...categorical('tone'),
        values: [{ label: 'friendly' }, { label: 'rude', score: -1 }],
      });
      expect(noScore.json.data.values).toEqual([
        { label: 'friendly', score: null },
        { label: 'rude', score: -1 },
      ]);
    });

    it('gets by GlobalID or name, updates (type too) and deletes', async () => {
      const created = (await http.post('/v1/annotation_configs', categorical('helpfulness'))).json.data;
      const byId = await http.get(`/v1/annotation_configs/${encodeURIComponent(created.id)}`);
      expect(byId.json).toEqual({ data: created });
      expect((await http.get('/v1/annotation_configs/helpfulness')).json).toEqual({ data: created });

      const updated = await http.put(`/v1/annotation_configs/${created.id}`, continuous('helpfulness-score'));
      expect(updated.status).toBe(200);
      expect(updated.json.data).toEqual({
        ...continuous('helpfulness-score'),
        description: null,
        id: encodeGlobalId('ContinuousAnnotationConfig', Number(gidId(created.id))),
      });
      expect((await http.get('/v1/annotation_configs/helpfulness')).status).toBe(404);

      const deleted = await http.delete(`/v1/annotation_configs/${updated.json.data.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({ data: updated.json.data });
      expect((await http.get(`/v1/annotation_configs/${updated.json.data.id}`)).status).toBe(404);
    });

    it('lists newest first with cursors', async () => {
      for (const name of ['page-a', 'page-b', 'page-c']) {
        await http.post('/v1/annotation_configs', categorical(name));
      }
      const all = (await http.get('/v1/annotation_configs')).json;
      expect(all.next_cursor).toBeNull();
      const names = all.data.map((c: { name: string }) => c.name);
      expect(names.slice(0, 3)).toEqual(['page-c', 'page-b', 'page-a']);

      const first = (await http.get('/v1/annotation_configs?limit=2')).json;
      expect(first.data.map((c: { name: string }) => c.name)).toEqual(['page-c', 'page-b']);
      expect(gidType(first.next_cursor)).toBe('CategoricalAnnotationConfig');
      const second = (await http.get(`/v1/annotation_configs?limit=2&cursor=${first.next_cursor}`)).json;
      expect(second.data[0].name).toBe('page-a');
    });

    it('speaks to Phoenix’s own client', async () => {
      const phoenix = createClient({ options: { baseUrl: t.server.url } });
      const created = await phoenix.POST('/v1/annotation_configs', {
        body: {
          name: 'from-phoenix-client',
          type: 'CONTINUOUS',
          optimization_direction: 'MAXIMIZE',
          lower_bound: -1,
          upper_bound: 1,
        },
      });
      expect(created.response.status).toBe(200);
      const got = await phoenix.GET('/v1/annotation_configs/{config_identifier}', {
        params: { path: { config_identifier: 'from-phoenix-client' } },
      });
      expect(got.data?.data).toEqual(created.data?.data);
      const listed = await phoenix.GET('/v1/annotation_configs', { params: { query: { limit: 1 } } });
      expect(listed.data?.data[0]).toEqual(created.data?.data);
    });
  });

  describe('project assignments', () => {
    it('assigns (idempotently), lists, replaces the set and unassigns, by GlobalID or name', async () => {
      const project = (await http.post('/v1/projects', { name: 'assigned' })).json.data;
      const a = (await http.post('/v1/annotation_configs', categorical('assign-a'))).json.data;
      const b = (await http.post('/v1/annotation_configs', continuous('assign-b'))).json.data;
      const c = (await http.post('/v1/annotation_configs', { name: 'assign-c', type: 'FREEFORM' })).json.data;
      const list = async (p = 'assigned') => (await http.get(`/v1/projects/${p}/annotation_configs`)).json;

      expect(await list()).toEqual({ data: [], next_cursor: null });
      const assigned = await http.put('/v1/projects/assigned/annotation_configs/assign-a', undefined);
      expect(assigned.status).toBe(200);
      expect(assigned.json).toEqual({ data: a });
      expect((await http.put(`/v1/projects/${project.id}/annotation_configs/${b.id}`)).json).toEqual({
        data: b,
      });
      expect((await http.put('/v1/projects/assigned/annotation_configs/assign-a')).status).toBe(200);
      expect(await list(project.id)).toEqual({ data: [b, a], next_cursor: null });
      const page = (await http.get('/v1/projects/assigned/annotation_configs?limit=1')).json;
      expect(page).toEqual({ data: [b], next_cursor: a.id });

      const set = await http.put('/v1/projects/assigned/annotation_configs', {
        annotation_config_ids: [c.id, a.id, c.id],
      });
      expect(set.status).toBe(200);
      expect(set.json).toEqual({ data: [c, a], next_cursor: null });
      expect(await list()).toEqual({ data: [c, a], next_cursor: null });

      const unassigned = await http.delete('/v1/projects/assigned/annotation_configs/assign-a');
      expect(unassigned.status).toBe(204);
      expect(unassigned.text).toBe('');
      expect((await http.delete('/v1/projects/assigned/annotation_configs/assign-a')).status).toBe(204);
      expect(await list()).toEqual({ data: [c], next_cursor: null });
      // Unassigning leaves the config; deleting the config unassigns it.
      expect((await http.get('/v1/annotation_configs/assign-a')).status).toBe(200);
      await http.delete(`/v1/annotation_configs/${c.id}`);
      expect(await list()).toEqual({ data: [], next_cursor: null });

      expect(
        (await http.put('/v1/projects/assigned/annotation_configs', { annotation_config_ids: [b.id] })).json,
      ).toEqual({ data: [b], next_cursor: null });
      expect(
        (await http.put('/v1/projects/assigned/annotation_configs', { annotation_config_ids: [] })).json,
      ).toEqual({ data: [], next_cursor: null });
      expect(await list()).toEqual({ data: [], next_cursor: null });
    });

    it('deleting a project removes its assignments, not the configs', async () => {
      await http.post('/v1/projects', { name: 'short-lived' });
      await http.post('/v1/annotation_configs', categorical('outlives'));
      await http.put('/v1/projects/short-lived/annotation_configs/outlives');
      const before = count('project_annotation_configs');
      expect((await http.delete('/v1/projects/short-lived')).status).toBe(204);
      expect(count('project_annotation_configs')).toBe(before - 1);
      expect((await http.get('/v1/annotation_configs/outlives')).status).toBe(200);
    });

    it('answers 404 and 422 and changes nothing', async () => {
      await http.post('/v1/projects', { name: 'strict' });
      const kept = (await http.post('/v1/annotation_configs', categorical('kept'))).json.data;
      await http.put('/v1/projects/strict/annotation_configs/kept');
      const before = count('project_annotation_configs');

      expect(await http.get('/v1/projects/nope/annotation_configs')).toMatchObject({
        status: 404,
        text: 'Project with name nope not found',
      });
      expect((await http.put('/v1/projects/nope/annotation_configs/kept')).status).toBe(404);
      expect((await http.put('/v1/projects/strict/annotation_configs/nope')).status).toBe(404);
      expect((await http.delete('/v1/projects/strict/annotation_configs/nope')).status).toBe(404);
      expect((await http.delete('/v1/projects/nope/annotation_configs/kept')).status).toBe(404);

      const invalid = await http.put('/v1/projects/strict/annotation_configs', {
        annotation_config_ids: ['not-a-gid'],
      });
      expect(invalid).toMatchObject({ status: 422, text: 'Invalid annotation configuration ID: not-a-gid' });
      const unknown = encodeGlobalId('FreeformAnnotationConfig', 99999);
      const missing = await http.put('/v1/projects/strict/annotation_configs', {
        annotation_config_ids: [unknown],
      });
      expect(missing).toMatchObject({
        status: 422,
        text: 'One or more annotation configurations were not found',
      });
      const noProject = await http.put('/v1/projects/nope/annotation_configs', {
        annotation_config_ids: [kept.id],
      });
      expect(noProject.status).toBe(404);
      const badBody = await http.put('/v1/projects/strict/annotation_configs', {
        annotation_config_ids: 'x',
      });
      expect(badBody.json.detail[0]).toMatchObject({
        loc: ['body', 'annotation_config_ids'],
        type: 'list_type',
      });
      expect(count('project_annotation_configs')).toBe(before);
      expect((await http.get('/v1/projects/strict/annotation_configs')).json.data).toEqual([kept]);
    });
  });

  describe('bad requests change nothing', () => {
    it('answers FastAPI’s 422 for bodies that are not a config, the tag in the location', async () => {
      const before = count('annotation_configs');
      const noType = await http.post('/v1/annotation_configs', { name: 'x' });
      expect(noType.status).toBe(422);
      expect(noType.json.detail).toEqual([
        {
          loc: ['body'],
          msg: "Unable to extract tag using discriminator 'type'",
          type: 'union_tag_not_found',
          input: { name: 'x' },
        },
      ]);
      const badType = await http.post('/v1/annotation_configs', { name: 'x', type: 'BINARY' });
      expect(badType.json.detail[0]).toMatchObject({
        loc: ['body'],
        type: 'union_tag_invalid',
        msg: "Input tag 'BINARY' found using 'type' does not match any of the expected tags: 'CATEGORICAL', 'CONTINUOUS', 'FREEFORM'",
      });
      const noValues = await http.post('/v1/annotation_configs', {
        name: 'x',
        type: 'CATEGORICAL',
        optimization_direction: 'UP',
      });
      expect(noValues.status).toBe(422);
      expect(noValues.json.detail).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ loc: ['body', 'CATEGORICAL', 'values'], type: 'missing' }),
          expect.objectContaining({ loc: ['body', 'CATEGORICAL', 'optimization_direction'], type: 'enum' }),
        ]),
      );
      const badBound = await http.post('/v1/annotation_configs', { ...continuous('x'), upper_bound: 'high' });
      expect(badBound.json.detail).toEqual([
        expect.objectContaining({ loc: ['body', 'CONTINUOUS', 'upper_bound'], type: 'float_type' }),
      ]);
      const empty = await http.post('/v1/annotation_configs', { ...categorical('x'), name: '' });
      expect(empty.json.detail[0]).toMatchObject({ loc: ['body', 'CATEGORICAL', 'name'] });
      const notObject = await http.post('/v1/annotation_configs', [1]);
      expect(notObject.json.detail[0]).toMatchObject({ loc: ['body'], type: 'model_attributes_type' });
      expect(count('annotation_configs')).toBe(before);
    });

    it('answers Phoenix’s 400 and 409 texts', async () => {
      await http.post('/v1/annotation_configs', categorical('taken'));
      const before = count('annotation_configs');
      const duplicate = await http.post('/v1/annotation_configs', categorical('taken'));
      expect(duplicate).toMatchObject({
        status: 409,
        text: 'The name of the annotation configuration is already taken',
      });
      expect(duplicate.contentType).toMatch(/^text\/plain/);
      const note = await http.post('/v1/annotation_configs', categorical('note'));
      expect(note.status).toBe(409);
      expect(note.text).toMatch(/^The name 'note' is reserved/);

      const noValues = await http.post('/v1/annotation_configs', { ...categorical('x'), values: [] });
      expect(noValues.status).toBe(400);
      expect(noValues.text).toContain('Values must be non-empty');
      const twice = await http.post('/v1/annotation_configs', {
        ...categorical('x'),
        values: [{ label: 'a' }, { label: 'a', score: 1 }],
      });
      expect(twice.status).toBe(400);
      expect(twice.text).toContain('duplicate label: "a"');
      const inverted = await http.post('/v1/annotation_configs', {
        ...continuous('x'),
        lower_bound: 2,
        upper_bound: 1,
      });
      expect(inverted.status).toBe(400);
      expect(count('annotation_configs')).toBe(before);

      const other = (await http.post('/v1/annotation_configs', categorical('other'))).json.data;
      const rename = await http.put(`/v1/annotation_configs/${other.id}`, categorical('taken'));
      expect(rename.status).toBe(409);
      expect((await http.get(`/v1/annotation_configs/${other.id}`)).json.data.name).toBe('other');
    });

    it('answers 404 for unknown configs, 422 for GlobalIDs of other types, 400 for bad cursors', async () => {
      const missing = encodeGlobalId('CategoricalAnnotationConfig', 99999);
      expect(await http.get(`/v1/annotation_configs/${missing}`)).toMatchObject({
        status: 404,
        text: `AnnotationConfig with ID ${missing} not found`,
      });
      expect(await http.get('/v1/annotation_configs/nothing-here')).toMatchObject({
        status: 404,
        text: "AnnotationConfig with name 'nothing-here' not found",
      });
      const project = encodeGlobalId('Project', 1);
      expect(await http.get(`/v1/annotation_configs/${project}`)).toMatchObject({
        status: 422,
        text: `Invalid AnnotationConfig identifier: ${project}`,
      });
      expect((await http.put(`/v1/annotation_configs/${missing}`, categorical('y'))).status).toBe(404);
      expect((await http.delete(`/v1/annotation_configs/${missing}`)).status).toBe(404);
      expect(await http.get(`/v1/annotation_configs?cursor=${project}`)).toMatchObject({
        status: 400,
        text: `Invalid cursor: ${project}`,
      });
      for (const limit of ['0', '-1', 'many', '1001']) {
        const response = await http.get(`/v1/annotation_configs?limit=${limit}`);
        expect(response.status).toBe(422);
        expect(response.json.detail[0].loc).toEqual(['query', 'limit']);
      }
    });
  });
});

function gidId(id: string): string {
  return Buffer.from(id, 'base64').toString().split(':')[1]!;
}
