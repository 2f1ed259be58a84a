import { useQuery } from '@tanstack/react-query';
import { ApiError, get, request, scheduleRefresh } from './client.js';

export interface LocalUser {
  id: string;
  username: string;
  email: string;
  role: 'SYSTEM' | 'ADMIN' | 'MEMBER' | 'VIEWER';
  auth_method: 'LOCAL';
  password_needs_reset: boolean;
}

/** Who is logged in; `ANONYMOUS` when the server runs without authentication. */
export type Viewer = LocalUser | { auth_method: 'ANONYMOUS' };

export function useViewer() {
  return useQuery({
    queryKey: ['viewer'],
    queryFn: async () => (await get<{ data: Viewer }>('/v1/user')).data,
    staleTime: 60_000,
  });
}

async function authCall(path: string, method: string, body?: unknown): Promise<Response> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) {
    const text = await response.text();
    let detail = text;
    try {
      const parsed = JSON.parse(text) as { detail?: unknown };
      if (typeof parsed.detail === 'string') detail = parsed.detail;
      if (Array.isArray(parsed.detail))
        detail = (parsed.detail as { msg: string }[]).map((d) => d.msg).join('; ');
    } catch {
      // Phoenix's plain-text errors
    }
    throw new ApiError(response.status, detail || response.statusText);
  }
  scheduleRefresh(response);
  return response;
}

export const logIn = (email: string, password: string) =>
  authCall('/auth/login', 'POST', { email, password });

export const logOut = () => authCall('/auth/logout', 'GET');

export const changePassword = (current_password: string, new_password: string) =>
  authCall('/v1/user', 'PATCH', { current_password, new_password });

export const patchUser = (id: string, body: { role?: string; new_password?: string }) =>
  request('PATCH', `/v1/users/${encodeURIComponent(id)}`, { body });
