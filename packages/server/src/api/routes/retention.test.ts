import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test-support/dialects.js';
import { api, loggedSpan, otelId } from '../../../test-support/rest-client.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

describeEachDialect('retention API', (dialect) => {
  let t: TestServer;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await startTestServer({}, { defaultRetentionDays: 30 }, dialect);
    http = api(t.server.url);
  });
  afterAll(() => t.close());

  async function logTrace(project: string, start: string): Promise<string> {
    const traceId = otelId(16);
    const end = new Date(Date.parse(start) + 1000).toISOString();
    const response = await http.post(`/v1/projects/${project}/spans`, {
      data: [loggedSpan({ traceId, spanId: otelId(8), start, end })],
    });
    expect(response.status).toBe(202);
    return traceId;
  }
  const traceIds = (project: string) =>
    t
      .query<{ trace_id: string }>(
        'SELECT t.trace_id FROM traces t JOIN projects p ON t.project_id = p.id WHERE p.name = ? ORDER BY t.start_time',
        project,
      )
      .map((r) => r.trace_id);

  describe('GET / PUT / DELETE /v1/projects/{project}/retention_policy', () => {
    const policyPath = '/v1/projects/kept/retention_policy';
    beforeAll(async () => {
      await logTrace('kept', '2024-01-01T00:00:00Z');
    });

    it("answers the server's default until the project has its own, and again once it is removed", async () => {
      const byDefault = { max_age_days: 30, max_traces: null, source: 'default' };
      expect(await http.get(policyPath)).toMatchObject({ status: 200, json: { data: byDefault } });
      const own = { max_age_days: null, max_traces: 5, source: 'project' };
      expect(await http.put(policyPath, { max_traces: 5 })).toMatchObject({
        status: 200,
        json: { data: own },
      });
      const gid = (await http.get('/v1/projects/kept')).json.data.id;
      expect((await http.get(`/v1/projects/${gid}/retention_policy`)).json.data).toEqual(own);
      expect((await http.put(policyPath, { max_age_days: 7, max_traces: null })).json.data).toEqual({
        max_age_days: 7,
        max_traces: null,
        source: 'project',
      });
      // No limit at all: the project keeps everything, whatever the default.
      expect((await http.put(policyPath, {})).json.data).toEqual({
        max_age_days: null,
        max_traces: null,
        source: 'project',
      });
      expect(await http.delete(policyPath)).toMatchObject({ status: 200, json: { data: byDefault } });
      expect((await http.get(policyPath)).json.data).toEqual(byDefault);
    });

    it('answers 404 for an unknown project and 422 naming the bad field, changing nothing', async () => {
      await http.put(policyPath, { max_traces: 9 });
      for (const call of [
        () => http.get('/v1/projects/nobody/retention_policy'),
        () => http.put('/v1/projects/nobody/retention_policy', { max_traces: 1 }),
        () => http.delete('/v1/projects/nobody/retention_policy'),
      ]) {
        expect(await call()).toMatchObject({ status: 404, text: 'Project with name nobody not found' });
      }
      for (const [body, field] of [
        [{ max_age_days: 0 }, 'max_age_days'],
        [{ max_age_days: 1.5 }, 'max_age_days'],
        [{ max_age_days: 36_501 }, 'max_age_days'],
        [{ max_traces: '3' }, 'max_traces'],
        [{ max_traces: -1 }, 'max_traces'],
      ] as const) {
        const response = await http.put(policyPath, body);
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(response.json.detail[0].loc).toEqual(['body', field]);
      }
      const unknownKey = await http.put(policyPath, { max_days: 3 });
      expect(unknownKey.status).toBe(422);
      expect(JSON.stringify(unknownKey.json.detail)).toContain('max_days');
      expect((await http.get(policyPath)).json.data).toEqual({
        max_age_days: null,
        max_traces: 9,
        source: 'project',
      });
    });
  });

  describe('POST /v1/projects/{project}/traces/delete_older_than', () => {
    it('deletes exactly the traces of the project that started before the instant', async () => {
      const old1 = await logTrace('manual', '2024-01-01T00:00:00Z');
      const old2 = await logTrace('manual', '2024-01-02T00:00:00Z');
      const fresh = await logTrace('manual', '2024-01-03T00:00:00Z');
      const other = await logTrace('bystander', '2024-01-01T00:00:00Z');
      expect(traceIds('manual')).toEqual([old1, old2, fresh]);
      const response = await http.post('/v1/projects/manual/traces/delete_older_than', {
        before: '2024-01-02T12:00:00+00:00',
      });
      expect(response).toMatchObject({ status: 200, json: { data: { deleted_traces: 2 } } });
      expect(traceIds('manual')).toEqual([fresh]);
      expect(traceIds('bystander')).toEqual([other]);
      const again = await http.post('/v1/projects/manual/traces/delete_older_than', { before: '2024-01-02' });
      expect(again.json.data).toEqual({ deleted_traces: 0 });
    });

    it('answers 404 for an unknown project and 422 for a bad instant, deleting nothing', async () => {
      const kept = await logTrace('manual-bad', '2024-01-01T00:00:00Z');
      const path = '/v1/projects/manual-bad/traces/delete_older_than';
      expect(
        await http.post('/v1/projects/nobody/traces/delete_older_than', { before: '2030-01-01T00:00:00Z' }),
      ).toMatchObject({ status: 404 });
      for (const body of [{ before: 'yesterday' }, {}, { before: 1_700_000_000 }]) {
        const response = await http.post(path, body);
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(response.json.detail[0].loc).toEqual(['body', 'before']);
      }
      expect(traceIds('manual-bad')).toEqual([kept]);
    });
  });
});
