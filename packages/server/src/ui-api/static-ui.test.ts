import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { installErrorHandling } from '../api/errors.js';
import { staticUi } from './static-ui.js';

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandling(app);
  app.get('/healthz', async () => 'OK');
  app.get('/v1/projects', async () => ({ data: [] }));
  await app.register(staticUi, { distDir });
  await app.ready();
  return app;
}

describe('serving the built UI', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fawkes-ui-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    app = await appServing(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and at every page of the app (deep links survive a reload)', async () => {
    for (const url of ['/', '/projects', '/projects/chatbot/traces/abc?span=1', '/projects/gpt-4.1/spans']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('<title>app</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves built files, hashed assets cached for good', async () => {
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).not.toContain('immutable');
  });

  it('answers 404 for missing files and never shadows server paths', async () => {
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/missing.png' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/../../etc/passwd' })).statusCode).not.toBe(500);
    expect((await app.inject({ url: '/healthz' })).body).toBe('OK');
    expect((await app.inject({ url: '/v1/projects' })).json()).toEqual({ data: [] });
    for (const url of ['/v1/unknown', '/v1/ui/nothing', '/docs/nothing', '/healthz/x', '/version/x']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not Found' });
    }
  });

  it('explains how to build the UI when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fawkes-ui-none-'));
    const bare = await appServing(empty);
    try {
      const response = await bare.inject({ url: '/projects' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('npm run build');
      expect((await bare.inject({ url: '/healthz' })).body).toBe('OK');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the UI on a real server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('leaves the server routes alone', async () => {
    const base = t.server.url;
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('OK');
    expect(await (await fetch(`${base}/readyz`)).text()).toBe('OK');
    expect(await (await fetch(`${base}/arize_phoenix_version`)).text()).toBe('20.3.0');
    expect(((await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string }).openapi).toBe(
      '3.1.0',
    );
    expect((await fetch(`${base}/v1/does-not-exist`)).status).toBe(404);
    const page = await fetch(`${base}/projects/default/traces`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('streams live changes as server-sent events, and closes the stream when the server closes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.server.url}/v1/ui/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('retry:');
    controller.abort();
  });
});
