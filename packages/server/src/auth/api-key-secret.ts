import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `fawkes_<key id>_<secret>`, 16 hex characters of public id (the row's lookup) and 32
 * random bytes. The database keeps only a salt and SHA-256(salt ‖ secret): the secret is
 * high-entropy random, so a fast hash cannot be brute-forced and no KDF is needed per request.
 */
export interface NewApiKey {
  key: string;
  keyId: string;
  salt: string;
  hash: string;
}

const KEY_PATTERN = /^fawkes_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function saltedHash(salt: string, secret: string): string {
  return createHash('sha256').update(salt).update(secret).digest('base64url');
}

export function newApiKey(): NewApiKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  return { key: `fawkes_${keyId}_${secret}`, keyId, salt, hash: saltedHash(salt, secret) };
}

/** The key id and secret of something shaped like one of our keys, else null. */
export function parseApiKey(key: string): { keyId: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : null;
}

export function apiKeyMatches(secret: string, salt: string, hash: string): boolean {
  const actual = Buffer.from(saltedHash(salt, secret));
  const expected = Buffer.from(hash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
