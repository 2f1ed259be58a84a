/**
 * Project names have a length limit (model/project-name.ts) wherever a project can be made: the REST
 * API answers 422 naming the field, spans naming such a project are rejected (OTLP partial success,
 * or the log-spans route's per-span errors), and nothing is stored.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { api, loggedSpan, otelId } from '../../test-support/rest-client.js';
import { decodeExportResponse } from '../ingest/index.js';
import { PROJECT_NAME_MAX_LENGTH } from '../model/project-name.js';

describeEachDialect('project name length', (dialect) => {
  let t: DialectTestServer;
  const longest = 'p'.repeat(PROJECT_NAME_MAX_LENGTH);
  const tooLong = 'p'.repeat(PROJECT_NAME_MAX_LENGTH + 1);
  const projects = async () =>
    (await t.store.db.selectFrom('projects').select('name').execute()).map((row) => row.name);
  beforeAll(async () => {
    t = await startDialectTestServer(dialect);
  });
  afterAll(() => t.close());

  it('POST /v1/projects: the longest name is created, one character more is a 422 naming name', async () => {
    expect((await api(t.server.url).post('/v1/projects', { name: longest })).status).toBe(200);
    for (const name of [tooLong, 'x'.repeat(1024 * 1024)]) {
      const response = await api(t.server.url).post('/v1/projects', { name });
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.json)).toContain('name');
    }
    expect(await projects()).not.toContain(tooLong);
  });

  it('OTLP: spans of a project named too long are rejected in partial_success, the others stored', async () => {
    const spans = [
      ...conversationTurn({ projectName: tooLong }),
      ...conversationTurn({ projectName: 'fine' }),
    ];
    const response = await fetch(`${t.server.url}/v1/traces`, {
      method: 'POST',
      body: ProtobufTraceSerializer.serializeRequest(spans)!,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(response.status).toBe(200);
    const answer = decodeExportResponse(new Uint8Array(await response.arrayBuffer()), 'protobuf');
    expect(answer.partialSuccess?.rejectedSpans).toBe(3);
    expect(answer.partialSuccess?.errorMessage).toContain(`at most ${PROJECT_NAME_MAX_LENGTH}`);
    const names = await projects();
    expect(names).toContain('fine');
    expect(names).not.toContain(tooLong);
  });

  it('the log-spans route refuses a project path named too long', async () => {
    const span = loggedSpan({ traceId: otelId(16), start: '2025-01-01T00:00:00Z' });
    const response = await api(t.server.url).post(`/v1/projects/${tooLong}/spans`, { data: [span] });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await projects()).not.toContain(tooLong);
  });
});
