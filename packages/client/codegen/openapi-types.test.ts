import { describe, expect, it } from 'vitest';
import { GENERATED_TYPES_FILE, generatedTypesFreshness } from './openapi-types.js';

describe('src/generated/openapi.ts', () => {
  it("matches the server's OpenAPI document (else: npm run generate:client)", async () => {
    const { current, expected, changes } = await generatedTypesFreshness();
    expect(expected).toContain("'/v1/projects/{project_identifier}'");
    expect(current, `${GENERATED_TYPES_FILE} is stale (${changes}): run npm run generate:client`).toBe(true);
  }, 120_000);
});
