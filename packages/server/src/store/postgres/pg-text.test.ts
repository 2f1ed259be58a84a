import { describe, expect, it } from 'vitest';
import { pgJson, pgText } from './pg-text.js';

describe('pgText / pgJson', () => {
  it('replaces NUL characters in text', () => {
    expect(pgText('a\0b\0')).toBe('a\uFFFDb\uFFFD');
    expect(pgText('plain')).toBe('plain');
    expect(pgText(null)).toBeNull();
  });

  it('replaces \\u0000 and unpaired surrogates in JSON, and nothing else', () => {
    const value = {
      nul: 'a\0b',
      high: 'x\uD800y',
      low: '\uDC00',
      pair: '😀',
      backslash: '\\u0000',
      ctl: '\u0001',
    };
    const json = pgJson(JSON.stringify(value));
    expect(JSON.parse(json)).toEqual({
      nul: 'a\uFFFDb',
      high: 'x\uFFFDy',
      low: '\uFFFD',
      pair: '😀',
      backslash: '\\u0000',
      ctl: '\u0001',
    });
    expect(pgJson('{"a":"b"}')).toBe('{"a":"b"}');
  });
});
