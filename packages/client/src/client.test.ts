import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fawkes, startFawkes } from '../test-support/fixtures.js';
import { createClient } from './client.js';
import { ApiError, InvalidArgumentError, NetworkError, NotFoundError } from './errors.js';

let fawkes: Fawkes;
beforeAll(async () => {
  fawkes = await startFawkes();
});
afterAll(() => fawkes.close());

describe('createClient', () => {
  it('sends the API key as a bearer token and the configured headers on every request', async () => {
    const seen: Headers[] = [];
    const client = createClient({
      baseUrl: fawkes.url,
      apiKey: 'key-1',
      headers: { 'x-team': 'ml' },
      fetch: async (input, init) => {
        seen.push(input instanceof Request ? input.headers : new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    await client.projects.create({ name: 'headers' });
    await client.projects.get({ projectName: 'headers' });
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(headers.get('authorization')).toBe('Bearer key-1');
      expect(headers.get('x-team')).toBe('ml');
    }
  });

  it('keeps a path prefix of the base URL', async () => {
    const urls: string[] = [];
    const client = createClient({
      baseUrl: 'http://fawkes.internal/observability/',
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return Response.json({ data: [], next_cursor: null });
      },
    });
    await client.projects.list();
    expect(urls[0]).toMatch(/^http:\/\/fawkes\.internal\/observability\/v1\/projects\?/);
  });
});

describe('errors', () => {
  it('throws NotFoundError with the status and the server detail on 404', async () => {
    const error = await fawkes.client.projects.get({ projectName: 'no-such-project' }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
    expect(error.detail).toBe('Project with name no-such-project not found');
    expect(error.url).toBe(`${fawkes.url}/v1/projects/no-such-project`);
    expect(error.message).toBe(
      `GET ${fawkes.url}/v1/projects/no-such-project failed with 404: Project with name no-such-project not found`,
    );
  });

  it('throws ApiError carrying FastAPI validation details on 422', async () => {
    const error = await fawkes.client.api
      .POST('/v1/projects', { body: { name: 42 } as never })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(422);
    expect(error.validationErrors[0]).toMatchObject({ loc: ['body', 'name'], type: 'string_type' });
    expect(error.message).toContain('body.name: Input should be a valid string');
  });

  it('throws ApiError with the plain-text detail on 409', async () => {
    await fawkes.client.projects.create({ name: 'taken' });
    const error = await fawkes.client.projects.create({ name: 'taken' }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.detail]).toEqual([409, 'Project with name taken already exists']);
  });

  it('throws NetworkError naming the URL when nothing answers', async () => {
    const client = createClient({ baseUrl: 'http://127.0.0.1:9' });
    const error = await client.projects.list().catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.url).toMatch(/^http:\/\/127\.0\.0\.1:9\/v1\/projects/);
    expect(error.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:9\/v1\/projects\S* failed: could not reach the server/,
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses names with /, ? or # before sending anything', async () => {
    let requests = 0;
    const client = createClient({
      baseUrl: fawkes.url,
      fetch: async (input, init) => {
        requests++;
        return fetch(input, init);
      },
    });
    for (const name of ['a/b', 'a?b', 'a#b']) {
      await expect(client.projects.get({ projectName: name })).rejects.toThrow(InvalidArgumentError);
    }
    expect(requests).toBe(0);
  });
});
