import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { api } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

describeEachDialect('model prices API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
    http = api(t.server.url);
    expect((await http.post('/v1/projects', { name: 'priced' })).status).toBe(200);
  });
  afterAll(() => t.close());
  const path = '/v1/projects/priced/model_prices';
  const count = () => Number(t.query<{ n: number }>('SELECT count(*) AS n FROM model_prices')[0]!.n);

  describe('GET / POST / DELETE /v1/projects/{project}/model_prices', () => {
    it('stores a price, answers it, lists it and deletes it', async () => {
      expect(await http.get(path)).toMatchObject({ status: 200, json: { data: [] } });
      const created = await http.post(path, {
        model_name_pattern: '^my-model$',
        provider: 'acme',
        prompt_cost_per_token: 0.000001,
        completion_cost_per_token: 0.000002,
        cache_read_cost_per_token: 0.0000005,
      });
      expect(created.status).toBe(200);
      const price = created.json.data;
      expect(price).toMatchObject({
        model_name_pattern: '^my-model$',
        provider: 'acme',
        prompt_cost_per_token: 0.000001,
        completion_cost_per_token: 0.000002,
        cache_read_cost_per_token: 0.0000005,
        cache_write_cost_per_token: null,
        reasoning_cost_per_token: null,
      });
      expect(Buffer.from(price.id, 'base64').toString()).toMatch(/^GenerativeModel:\d+$/);
      expect(Date.parse(price.created_at)).not.toBeNaN();
      const gid = (await http.get('/v1/projects/priced')).json.data.id;
      expect((await http.get(`/v1/projects/${gid}/model_prices`)).json.data).toEqual([price]);

      expect((await http.delete(`${path}/${price.id}`)).status).toBe(204);
      expect((await http.get(path)).json.data).toEqual([]);
      expect(await http.delete(`${path}/${price.id}`)).toMatchObject({
        status: 404,
        text: `Model price with ID ${price.id} not found`,
      });
    });

    it('404 for an unknown project or a price of another project, and nothing changes', async () => {
      expect((await http.get('/v1/projects/nowhere/model_prices')).status).toBe(404);
      const body = { model_name_pattern: 'x', prompt_cost_per_token: 0, completion_cost_per_token: 0 };
      expect((await http.post('/v1/projects/nowhere/model_prices', body)).status).toBe(404);
      const price = (await http.post(path, body)).json.data;
      expect((await http.post('/v1/projects', { name: 'other' })).status).toBe(200);
      expect((await http.delete(`/v1/projects/other/model_prices/${price.id}`)).status).toBe(404);
      expect((await http.delete(`${path}/not-an-id`)).status).toBe(404);
      expect((await http.get(path)).json.data).toEqual([price]);
      expect((await http.delete(`${path}/${price.id}`)).status).toBe(204);
    });

    it.each([
      [{ prompt_cost_per_token: 0, completion_cost_per_token: 0 }, 'model_name_pattern'],
      [
        { model_name_pattern: '', prompt_cost_per_token: 0, completion_cost_per_token: 0 },
        'model_name_pattern',
      ],
      [
        { model_name_pattern: '(', prompt_cost_per_token: 0, completion_cost_per_token: 0 },
        'model_name_pattern',
      ],
      [
        { model_name_pattern: '(?=a)', prompt_cost_per_token: 0, completion_cost_per_token: 0 },
        'model_name_pattern',
      ],
      [
        { model_name_pattern: 'a', prompt_cost_per_token: -1, completion_cost_per_token: 0 },
        'prompt_cost_per_token',
      ],
      [
        { model_name_pattern: 'a', prompt_cost_per_token: 0, completion_cost_per_token: '1' },
        'completion_cost_per_token',
      ],
      [
        {
          model_name_pattern: 'a',
          prompt_cost_per_token: 0,
          completion_cost_per_token: 0,
          reasoning_cost_per_token: -2,
        },
        'reasoning_cost_per_token',
      ],
    ])('422 naming the field for %j, nothing stored', async (body, field) => {
      const before = count();
      const response = await http.post(path, body);
      expect(response.status).toBe(422);
      expect(response.json.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toContain(`body.${field}`);
      expect(count()).toBe(before);
    });

    it('422 for an unknown key', async () => {
      const response = await http.post(path, {
        model_name_pattern: 'a',
        prompt_cost_per_token: 0,
        completion_cost_per_token: 0,
        input_cost: 1,
      });
      expect(response.status).toBe(422);
    });
  });
});
