import { parse as parseCookies } from 'cookie';

/** Phoenix's cookie names for the UI's session. */
export const ACCESS_TOKEN_COOKIE = 'phoenix-access-token';
export const REFRESH_TOKEN_COOKIE = 'phoenix-refresh-token';

export type Credential =
  /** `Authorization: Bearer …` or Phoenix's `api_key` header: an API key, the admin secret or an access token. */
  | { source: 'header'; token: string }
  /** The UI's access-token cookie. */
  | { source: 'cookie'; token: string };

type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The token of `Authorization: Bearer <token>` (the scheme in any case), else null. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? (match[1] as string) : null;
}

/**
 * What a request presents, in Phoenix's order: the Authorization header, the `api_key` header, then
 * the access-token cookie. `invalid` when a header is there but unreadable (it is never skipped
 * over for a weaker credential); null when there is none at all.
 */
export function requestCredential(headers: Headers): Credential | 'invalid' | null {
  const authorization = first(headers.authorization);
  if (authorization !== undefined) {
    const token = bearerToken(authorization);
    return token === null ? 'invalid' : { source: 'header', token };
  }
  const apiKey = first(headers.api_key)?.trim();
  if (apiKey !== undefined) return apiKey ? { source: 'header', token: apiKey } : 'invalid';
  const cookieHeader = first(headers.cookie);
  if (cookieHeader) {
    const token = parseCookies(cookieHeader)[ACCESS_TOKEN_COOKIE];
    if (token) return { source: 'cookie', token };
  }
  return null;
}

/** A named cookie of the request, if present. */
export function requestCookie(headers: Headers, name: string): string | undefined {
  const cookieHeader = first(headers.cookie);
  return cookieHeader ? parseCookies(cookieHeader)[name] : undefined;
}
