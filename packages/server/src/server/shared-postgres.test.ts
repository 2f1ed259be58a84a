import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, expect, it } from 'vitest';
import { describePostgres } from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../test-support/postgres.js';
import { api } from '../../test-support/rest-client.js';
import { type CliProcess, spawnCli, waitForListening } from '../../test-support/spawn-cli.js';

const send = async (url: string, spans: ReadableSpan[]) => {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: ProtobufTraceSerializer.serializeRequest(spans)!,
  });
  return response.status;
};

const SESSIONS = 12;
const TURNS = 4;

describePostgres('several `fawkes serve` processes on one database', () => {
  let database: TestPostgresDatabase;
  const servers: CliProcess[] = [];

  afterEach(async () => {
    for (const cli of servers.splice(0)) {
      if (cli.child.exitCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
    }
    await database.drop();
  });

  it('stores spans sent to either and answers the same sessions, traces and annotations from both', async () => {
    database = await createTestPostgresDatabase({ migrated: false });
    const env = {
      PHOENIX_SQL_DATABASE_URL: database.url,
      PHOENIX_SQL_DATABASE_SCHEMA: 'shared',
      PHOENIX_PORT: '0',
      PHOENIX_GRPC_PORT: '0',
    };
    // Both start at once on an empty database: one migrates, the other waits for it.
    servers.push(spawnCli(['serve'], env), spawnCli(['serve'], env));
    const [urlA, urlB] = await Promise.all(servers.map((cli) => waitForListening(cli)));
    for (const cli of servers) expect(cli.output()).toContain(`(schema shared)`);
    const [a, b] = [api(urlA!), api(urlB!)];

    // Every turn's spans split between the servers (the LLM span to A, the rest to B, at once);
    // every third turn also re-sent whole to the other server, as an exporter's retry would.
    const turns = Array.from({ length: SESSIONS * TURNS }, (_, i) =>
      conversationTurn({
        projectName: 'shared-app',
        sessionId: `conversation-${i % SESSIONS}`,
        question: `question ${i}`,
        tokens: [10 + (i % 7), 20 + (i % 5)],
        toolFails: i % 4 === 0,
      }),
    );
    const statuses = await Promise.all(
      turns.flatMap((spans, i) => {
        const llm = spans.filter((s) => s.name === 'llm');
        const rest = spans.filter((s) => s.name !== 'llm');
        const sends = [send(urlA!, llm), send(urlB!, rest)];
        if (i % 3 === 0) sends.push(send(i % 2 ? urlA! : urlB!, spans));
        return sends;
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);

    // An annotation written through A, read through B.
    const llmSpanId = turns[0]!.find((s) => s.name === 'llm')!.spanContext().spanId;
    const annotated = await a.post('/v1/span_annotations?sync=true', {
      data: [
        {
          span_id: llmSpanId,
          name: 'helpfulness',
          annotator_kind: 'HUMAN',
          result: { label: 'good', score: 1 },
        },
      ],
    });
    expect(annotated.status).toBe(200);

    for (const server of [a, b]) {
      const traces = await server.get('/v1/projects/shared-app/traces?limit=1000');
      expect(traces.status).toBe(200);
      expect(traces.json.data).toHaveLength(SESSIONS * TURNS);
      const spans = await server.get('/v1/projects/shared-app/spans?limit=1000');
      expect(spans.json.data).toHaveLength(SESSIONS * TURNS * 3);

      const sessions = await server.get('/v1/projects/shared-app/sessions?limit=100');
      expect(sessions.status).toBe(200);
      expect(sessions.json.data).toHaveLength(SESSIONS);
      for (let s = 0; s < SESSIONS; s++) {
        const mine = turns.filter((_, i) => i % SESSIONS === s);
        const session = await server.get(`/v1/sessions/conversation-${s}`);
        expect(session.status).toBe(200);
        expect(session.json.data.traces).toHaveLength(TURNS);
        const prompt = mine.reduce((n, _, k) => n + 10 + ((s + k * SESSIONS) % 7), 0);
        const completion = mine.reduce((n, _, k) => n + 20 + ((s + k * SESSIONS) % 5), 0);
        expect(session.json.data).toMatchObject({
          session_id: `conversation-${s}`,
          token_count_prompt: prompt,
          token_count_completion: completion,
          token_count_total: prompt + completion,
        });
      }

      const annotations = await server.get(`/v1/projects/shared-app/span_annotations?span_ids=${llmSpanId}`);
      expect(annotations.json.data).toMatchObject([
        { name: 'helpfulness', result: { label: 'good', score: 1 } },
      ]);
    }
    // Identical answers from both, field for field.
    expect((await a.get('/v1/projects/shared-app/sessions?limit=100')).json).toEqual(
      (await b.get('/v1/projects/shared-app/sessions?limit=100')).json,
    );
    expect((await a.get('/v1/projects/shared-app/traces?limit=1000')).json).toEqual(
      (await b.get('/v1/projects/shared-app/traces?limit=1000')).json,
    );

    for (const cli of servers) cli.child.kill('SIGTERM');
    expect(await Promise.all(servers.map((cli) => cli.exited))).toEqual([0, 0]);
  }, 120_000);
});
