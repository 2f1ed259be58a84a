import { decodeGlobalId } from '../api/global-id.js';
import { isoFromMicros } from '../ingest/normalize.js';
import type { ApiKeyRow, UserRow } from './auth-store.js';

/** Users and keys as Phoenix writes them; ids are GlobalIDs (`User:1`, `UserApiKey:2`, `SystemApiKey:3`). */
export type KeyNodeType = 'UserApiKey' | 'SystemApiKey';

export function globalId(type: 'User' | KeyNodeType, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`, 'utf8').toString('base64');
}

/** The row id of a GlobalID of `type`, else null. */
export function rowIdOf(value: string, type: 'User' | KeyNodeType): number | null {
  const decoded = decodeGlobalId(value);
  if (decoded?.type !== type || !/^\d+$/.test(decoded.nodeId)) return null;
  const id = Number(decoded.nodeId);
  return Number.isSafeInteger(id) ? id : null;
}

export function userData(user: UserRow) {
  return {
    id: globalId('User', user.id),
    created_at: isoFromMicros(user.created_at),
    updated_at: isoFromMicros(user.updated_at),
    email: user.email,
    username: user.username,
    role: user.role,
    auth_method: 'LOCAL' as const,
    password_needs_reset: user.reset_password === 1,
  };
}

export function apiKeyData(key: ApiKeyRow) {
  return {
    id: globalId(key.kind === 'system' ? 'SystemApiKey' : 'UserApiKey', key.id),
    name: key.name,
    description: key.description,
    created_at: isoFromMicros(key.created_at),
    expires_at: key.expires_at === null ? null : isoFromMicros(key.expires_at),
  };
}
