import { describe, expect, it } from 'vitest';
import { QueryError } from './errors.js';
import { describeToken, type Token, tokenize } from './lexer.js';

const kinds = (source: string) => tokenize(source).map((t) => [t.type, t.value]);

function lexError(source: string): QueryError {
  try {
    tokenize(source);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe('tokenize', () => {
  it('splits a filter into typed tokens ending with eof', () => {
    expect(kinds("span_kind == 'LLM' and latency_ms >= 1.5")).toEqual([
      ['name', 'span_kind'],
      ['punct', '=='],
      ['string', 'LLM'],
      ['keyword', 'and'],
      ['name', 'latency_ms'],
      ['punct', '>='],
      ['number', 1.5],
      ['eof', ''],
    ]);
  });

  it('records offsets and 1-based columns', () => {
    const tokens = tokenize("name  != 'x'");
    expect(tokens.map((t) => [t.start, t.end, t.column])).toEqual([
      [0, 4, 1],
      [6, 8, 7],
      [9, 12, 10],
      [12, 12, 13],
    ]);
  });

  it('tracks lines and resets columns after a newline', () => {
    const tokens = tokenize('a\n  and b');
    const and = tokens[1]!;
    expect([and.value, and.line, and.column, and.start]).toEqual(['and', 2, 3, 4]);
    expect(tokens[3]).toMatchObject({ type: 'eof', line: 2, column: 8 });
  });

  it('recognizes keywords, including reserved Python keywords', () => {
    expect(kinds('not in is None True False lambda for x')).toEqual([
      ['keyword', 'not'],
      ['keyword', 'in'],
      ['keyword', 'is'],
      ['keyword', 'None'],
      ['keyword', 'True'],
      ['keyword', 'False'],
      ['keyword', 'lambda'],
      ['keyword', 'for'],
      ['name', 'x'],
      ['eof', ''],
    ]);
    // keywords are case-sensitive, like Python
    expect(tokenize('none')[0]).toMatchObject({ type: 'name', value: 'none' });
  });

  it('reads numbers: integers, floats, exponents, underscores, leading dot', () => {
    const numbers = tokenize('12 3.25 1e3 2.5E-2 1_000 .5 7.').filter((t) => t.type === 'number');
    expect(numbers.map((t) => t.value)).toEqual([12, 3.25, 1000, 0.025, 1000, 0.5, 7]);
    expect(numbers.map((t) => (t.type === 'number' ? t.integer : undefined))).toEqual([
      true,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
  });

  it('reads a dot after a name, ] or ) as attribute access, not as a number', () => {
    expect(kinds('a.b[0].c')).toEqual([
      ['name', 'a'],
      ['punct', '.'],
      ['name', 'b'],
      ['punct', '['],
      ['number', 0],
      ['punct', ']'],
      ['punct', '.'],
      ['name', 'c'],
      ['eof', ''],
    ]);
  });

  it('decodes strings in both quotes with escapes', () => {
    const strings = tokenize(
      `'it\\'s' "say \\"hi\\"" 'tab\\there' '\\x41\\u00e9\\n' "single ' inside"`,
    ).filter((t): t is Extract<Token, { type: 'string' }> => t.type === 'string');
    expect(strings.map((t) => t.value)).toEqual([
      "it's",
      'say "hi"',
      'tab\there',
      'A\u00e9\n',
      "single ' inside",
    ]);
    expect(strings[0]!.raw).toBe("'it\\'s'");
  });

  it('accepts u and r prefixes (r keeps backslashes)', () => {
    expect(tokenize("u'x'")[0]).toMatchObject({ type: 'string', value: 'x', start: 0, end: 4 });
    expect(tokenize("r'a\\d'")[0]).toMatchObject({ type: 'string', value: 'a\\d' });
  });

  it('takes the longest operator', () => {
    expect(kinds('a<=b<c>=d!=e==f<>g**h')).toEqual([
      ['name', 'a'],
      ['punct', '<='],
      ['name', 'b'],
      ['punct', '<'],
      ['name', 'c'],
      ['punct', '>='],
      ['name', 'd'],
      ['punct', '!='],
      ['name', 'e'],
      ['punct', '=='],
      ['name', 'f'],
      ['punct', '<>'],
      ['name', 'g'],
      ['punct', '**'],
      ['name', 'h'],
      ['eof', ''],
    ]);
  });

  it('rejects unterminated strings at the opening quote', () => {
    const error = lexError("name == 'abc");
    expect(error.reason).toBe('Unterminated string');
    expect([error.position, error.column, error.length]).toEqual([8, 9, 4]);
    expect(lexError("'a\nb'").reason).toBe('Unterminated string');
  });

  it('rejects bad escapes, characters, numbers, prefixes and comments', () => {
    expect(lexError("'\\q'")).toMatchObject({
      reason: "Invalid escape sequence '\\q'",
      column: 2,
      length: 2,
    });
    expect(lexError("'\\xZZ'")).toMatchObject({ reason: "Invalid escape sequence '\\xZZ'" });
    expect(lexError('a $ b')).toMatchObject({ reason: "Unexpected character '$'", column: 3 });
    expect(lexError('12abc')).toMatchObject({ reason: "Invalid number '12abc'", column: 1, length: 5 });
    expect(lexError("b'x'")).toMatchObject({ reason: "String prefix 'b' is not supported" });
    expect(lexError('a # note')).toMatchObject({ reason: 'Comments are not supported', column: 3 });
    expect(lexError("'''x'''")).toMatchObject({ reason: 'Triple-quoted strings are not supported' });
  });

  it('describes tokens for messages', () => {
    const [name, op, str, num, eof] = tokenize("a == 'x' 3");
    expect([name, op, str, num, eof].map((t) => describeToken(t!))).toEqual([
      "name 'a'",
      "'=='",
      "string 'x'",
      'number 3',
      'end of input',
    ]);
  });
});
