/**
 * Phoenix's own clients against Fawkes with authentication on (issue #15 D), unchanged from npm:
 * `@arizeai/phoenix-client` with an API key (explicit, and from PHOENIX_API_KEY) and the
 * OpenTelemetry OTLP/HTTP exporter with the bearer header; without a key both are refused and
 * nothing is stored.
 */
import { createClient } from '@arizeai/phoenix-client';
import { getSpans } from '@arizeai/phoenix-client/spans';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { TEST_AUTH } from '../../test-support/test-auth.js';

describeEachDialect("Phoenix's clients with an API key", (dialect) => {
  let t: DialectTestServer;
  let key: string;

  beforeAll(async () => {
    t = await startDialectTestServer(dialect, {}, { auth: TEST_AUTH });
    const response = await fetch(`${t.server.url}/v1/system/api_keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: 'phoenix clients' } }),
    });
    expect(response.status).toBe(201);
    key = ((await response.json()) as { data: { key: string } }).data.key;
  });
  afterAll(() => t?.close());

  const spanCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('spans')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function exportTurn(headers: Record<string, string> | undefined, projectName: string) {
    const exporter = new OTLPTraceExporter({ url: `${t.server.url}/v1/traces`, headers });
    try {
      return await new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(conversationTurn({ projectName }), resolve),
      );
    } finally {
      await exporter.shutdown();
    }
  }

  it('refuses an OTLP exporter without the bearer header and stores nothing', async () => {
    const before = await spanCount();
    const result = await exportTurn(undefined, 'refused');
    expect(result.code).not.toBe(0);
    expect(String(result.error?.message)).toMatch(/401|Unauthorized/i);
    expect(await spanCount()).toBe(before);
  });

  it('stores the spans of an OTLP exporter with the bearer header', async () => {
    const before = await spanCount();
    const result = await exportTurn({ authorization: `Bearer ${key}` }, 'with-key');
    expect(result.code).toBe(0);
    expect(await spanCount()).toBe(before + 3);
  });

  it('reads them with @arizeai/phoenix-client given the key in its headers', async () => {
    const client = createClient({
      options: { baseUrl: t.server.url, headers: { Authorization: `Bearer ${key}` } },
    });
    const { spans } = await getSpans({ client, project: { projectName: 'with-key' }, limit: 10 });
    expect(spans).toHaveLength(3);
  });

  it('reads them with @arizeai/phoenix-client given PHOENIX_API_KEY', async () => {
    const saved = process.env.PHOENIX_API_KEY;
    process.env.PHOENIX_API_KEY = key;
    try {
      const client = createClient({ options: { baseUrl: t.server.url } });
      const { spans } = await getSpans({ client, project: { projectName: 'with-key' }, limit: 10 });
      expect(spans).toHaveLength(3);
    } finally {
      if (saved === undefined) delete process.env.PHOENIX_API_KEY;
      else process.env.PHOENIX_API_KEY = saved;
    }
  });

  it('is refused 401 by the server when @arizeai/phoenix-client has no key', async () => {
    const client = createClient({ options: { baseUrl: t.server.url } });
    await expect(client.GET('/v1/projects')).rejects.toThrow(/401 Unauthorized/);
  });
});
