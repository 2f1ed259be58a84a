import { describe, expect, it } from 'vitest';
import { apiKeyMatches, newApiKey, parseApiKey } from './api-key-secret.js';

describe('API key secrets', () => {
  it('makes keys that parse back to their id and match their stored hash', () => {
    const key = newApiKey();
    expect(key.key).toMatch(/^fawkes_[0-9a-f]{16}_[\w-]{43}$/);
    const parsed = parseApiKey(key.key);
    expect(parsed?.keyId).toBe(key.keyId);
    expect(apiKeyMatches(parsed!.secret, key.salt, key.hash)).toBe(true);
    expect(key.hash).not.toContain(parsed!.secret);
  });

  it('refuses a changed secret, another salt and a stranger', () => {
    const key = newApiKey();
    const other = newApiKey();
    const { secret } = parseApiKey(key.key)!;
    const changed = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(apiKeyMatches(changed, key.salt, key.hash)).toBe(false);
    expect(apiKeyMatches(secret, other.salt, key.hash)).toBe(false);
    expect(apiKeyMatches(secret, key.salt, other.hash)).toBe(false);
  });

  it('reads only strings shaped like its keys', () => {
    expect(parseApiKey('')).toBeNull();
    expect(parseApiKey('Bearer x')).toBeNull();
    expect(parseApiKey(`fawkes_${'0'.repeat(16)}_short`)).toBeNull();
    expect(parseApiKey(`fawkes_${'G'.repeat(16)}_${'a'.repeat(43)}`)).toBeNull();
    expect(parseApiKey(`fawkes_${'0'.repeat(16)}_${'a'.repeat(43)}`)).toEqual({
      keyId: '0'.repeat(16),
      secret: 'a'.repeat(43),
    });
  });
});
