import { useQuery } from '@tanstack/react-query';
import { del, enc, get, post, request } from './client.js';

/** An API key as the REST routes list it; `key` only in the answer that creates it. */
export interface ApiKey {
  id: string;
  name: string;
  description?: string | null;
  created_at: string;
  expires_at: string | null;
}

export type KeyKind = 'user' | 'system';

export type UserRole = 'ADMIN' | 'MEMBER' | 'VIEWER';

export interface UserRecord {
  id: string;
  username: string;
  email: string;
  role: 'SYSTEM' | UserRole;
  auth_method: 'LOCAL';
  password_needs_reset: boolean;
  created_at: string;
}

const keysPath = (kind: KeyKind) => (kind === 'user' ? '/v1/user/api_keys' : '/v1/system/api_keys');

export const apiKeysKey = (kind: KeyKind) => ['api-keys', kind] as const;

/** GET /v1/user/api_keys (one's own) or /v1/system/api_keys (admins). */
export function useApiKeys(kind: KeyKind, enabled = true) {
  return useQuery({
    queryKey: apiKeysKey(kind),
    queryFn: async ({ signal }) => (await get<{ data: ApiKey[] }>(keysPath(kind), undefined, signal)).data,
    enabled,
  });
}

export async function createApiKey(
  kind: KeyKind,
  data: { name: string; description?: string | null; expires_at?: string | null },
): Promise<ApiKey & { key: string }> {
  return (await post<{ data: ApiKey & { key: string } }>(keysPath(kind), { data })).data;
}

export async function deleteApiKey(kind: KeyKind, id: string): Promise<void> {
  await del(`${keysPath(kind)}/${enc(id)}`);
}

export const usersKey = ['users'] as const;

/** GET /v1/users, every page (users are few). */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: usersKey,
    enabled,
    queryFn: async ({ signal }) => {
      const users: UserRecord[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: UserRecord[]; next_cursor: string | null } = await get(
          '/v1/users',
          { limit: 100, cursor },
          signal,
        );
        users.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      return users;
    },
  });
}

export async function createUser(user: {
  username: string;
  email: string;
  role: UserRole;
  password: string;
}): Promise<UserRecord> {
  const body = { user: { ...user, auth_method: 'LOCAL' as const }, send_welcome_email: false };
  return (await post<{ data: UserRecord }>('/v1/users', body)).data;
}

export async function setUserRole(id: string, role: UserRole): Promise<void> {
  await request('PATCH', `/v1/users/${enc(id)}`, { body: { role } });
}

export async function deleteUser(id: string): Promise<void> {
  await del(`/v1/users/${enc(id)}`);
}
