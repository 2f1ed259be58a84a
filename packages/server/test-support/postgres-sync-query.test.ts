import { describe, expect, it } from 'vitest';
import { inlineParameters } from './postgres-sync-query.js';

describe('inlineParameters', () => {
  it('inlines ? placeholders as literals, leaving quoted question marks alone', () => {
    expect(
      inlineParameters("SELECT * FROM t WHERE a = ? AND b = '?' AND c IN (?, ?, ?)", ["it's", 2, null, true]),
    ).toBe("SELECT * FROM t WHERE a = 'it''s' AND b = '?' AND c IN (2, NULL, true)");
  });

  it('refuses a parameter count that does not match', () => {
    expect(() => inlineParameters('SELECT ?', [])).toThrow(/Too few/);
    expect(() => inlineParameters('SELECT ?', [1, 2])).toThrow(/2 parameters for 1/);
  });
});
