import { expect } from 'vitest';
import { TEST_AUTH } from './test-auth.js';

export type Headers = Record<string, string>;

export interface AuthCallResponse {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  json: any;
  headers: globalThis.Headers;
  setCookies: string[];
}

/**
 * The auth route tests' way of calling a server (TEST_AUTH on): JSON in and out, the headers and
 * cookies each answer sets, the admin secret's header, and a login that returns its cookies.
 */
export function authCalls(baseUrl: () => string) {
  const call = async (
    method: string,
    path: string,
    headers: Headers = {},
    body?: unknown,
  ): Promise<AuthCallResponse> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      text,
      json,
      headers: response.headers,
      setCookies: response.headers.getSetCookie(),
    };
  };
  /** The cookie header that sends back what an answer set. */
  const cookiesOf = (response: { setCookies: string[] }) => ({
    cookie: response.setCookies.map((c) => c.split(';')[0]).join('; '),
  });
  const login = async (email: string, password: string) => {
    const response = await call('POST', '/auth/login', {}, { email, password });
    expect(response.status).toBe(204);
    return cookiesOf(response);
  };
  const admin: Headers = { authorization: `Bearer ${TEST_AUTH.adminSecret}` };
  return { call, cookiesOf, login, admin };
}
