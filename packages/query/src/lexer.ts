import { QueryError } from './errors.js';

/** Keywords with a meaning in filters. */
export const KEYWORDS = ['and', 'or', 'not', 'in', 'is', 'None', 'True', 'False'] as const;

/** Python keywords that have no meaning in filters: lexed as keywords so the parser can explain. */
export const RESERVED_KEYWORDS = [
  'lambda',
  'for',
  'if',
  'else',
  'elif',
  'while',
  'def',
  'class',
  'return',
  'import',
  'from',
  'as',
  'with',
  'yield',
  'await',
  'async',
  'del',
  'global',
  'nonlocal',
  'pass',
  'raise',
  'try',
  'except',
  'finally',
  'assert',
  'break',
  'continue',
] as const;

export type Keyword = (typeof KEYWORDS)[number] | (typeof RESERVED_KEYWORDS)[number];

/**
 * Punctuation and operators. Only some are valid in filters; the others (`**`, `%`, `&&`, `=`...) are
 * still tokens so the parser can say why they are not allowed.
 */
export const PUNCTUATION = [
  // three characters first: the lexer takes the longest match
  '===',
  '!==',
  '**=',
  '//=',
  '<<=',
  '>>=',
  '==',
  '!=',
  '<=',
  '>=',
  '<>',
  '**',
  '//',
  '<<',
  '>>',
  '&&',
  '||',
  ':=',
  '->',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  ';',
  '<',
  '>',
  '=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '@',
  '&',
  '|',
  '^',
  '~',
  '!',
] as const;

export type Punctuation = (typeof PUNCTUATION)[number];

interface TokenBase {
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset just past the last character. */
  readonly end: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column within the line. */
  readonly column: number;
}

export type Token =
  | (TokenBase & { readonly type: 'name'; readonly value: string })
  | (TokenBase & { readonly type: 'keyword'; readonly value: Keyword })
  /** `value` is the decoded string, `raw` the source text with its quotes. */
  | (TokenBase & { readonly type: 'string'; readonly value: string; readonly raw: string })
  | (TokenBase & {
      readonly type: 'number';
      readonly value: number;
      readonly raw: string;
      readonly integer: boolean;
    })
  | (TokenBase & { readonly type: 'punct'; readonly value: Punctuation })
  | (TokenBase & { readonly type: 'eof'; readonly value: '' });

export type TokenType = Token['type'];

const keywordSet: ReadonlySet<string> = new Set<string>([...KEYWORDS, ...RESERVED_KEYWORDS]);
const punctuationByLength: readonly (readonly string[])[] = [3, 2, 1].map((n) =>
  PUNCTUATION.filter((p) => p.length === n),
);

const isIdentifierStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdentifierPart = (c: string) => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Splits a filter into tokens; the last token is always `eof`. Throws {@link QueryError}. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  function fail(reason: string, position: number, length: number, hint?: string): never {
    throw new QueryError(source, { reason, position, length, ...(hint ? { hint } : {}) });
  }
  const base = (start: number) => ({ start, end: pos, line, column: start - lineStart + 1 });

  while (pos < source.length) {
    const c = source[pos]!;
    if (c === '\n') {
      pos++;
      line++;
      lineStart = pos;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      pos++;
      continue;
    }
    if (c === '#') {
      fail('Comments are not supported', pos, 1);
    }
    const start = pos;

    if (isIdentifierStart(c)) {
      while (pos < source.length && isIdentifierPart(source[pos]!)) pos++;
      const word = source.slice(start, pos);
      const next = source[pos];
      if ((next === "'" || next === '"') && /^[rRuUbBfF]{1,2}$/.test(word)) {
        const prefix = word.toLowerCase();
        if (prefix === 'u' || prefix === 'r') {
          tokens.push(readString(start, pos, prefix === 'r'));
          continue;
        }
        fail(`String prefix '${word}' is not supported`, start, word.length, 'Use a plain string literal');
      }
      tokens.push(
        keywordSet.has(word)
          ? { type: 'keyword', value: word as Keyword, ...base(start) }
          : { type: 'name', value: word, ...base(start) },
      );
      continue;
    }

    if (isDigit(c) || (c === '.' && isDigit(source[pos + 1]) && !followsOperand(tokens))) {
      tokens.push(readNumber(start));
      continue;
    }

    if (c === "'" || c === '"') {
      tokens.push(readString(start, start, false));
      continue;
    }

    let matched: string | undefined;
    for (const group of punctuationByLength) {
      matched = group.find((p) => source.startsWith(p, pos));
      if (matched) break;
    }
    if (matched) {
      pos += matched.length;
      tokens.push({ type: 'punct', value: matched as Punctuation, ...base(start) });
      continue;
    }
    fail(`Unexpected character '${c}'`, start, 1);
  }
  tokens.push({ type: 'eof', value: '', start: pos, end: pos, line, column: pos - lineStart + 1 });
  return tokens;

  function readNumber(start: number): Token {
    const digits = () => {
      const from = pos;
      // Python allows single underscores between digits: 1_000_000
      while (
        isDigit(source[pos]) ||
        (source[pos] === '_' && isDigit(source[pos - 1]) && isDigit(source[pos + 1]))
      ) {
        pos++;
      }
      return pos > from;
    };
    let integer = true;
    digits();
    if (source[pos] === '.') {
      integer = false;
      pos++;
      digits();
    }
    if (source[pos] === 'e' || source[pos] === 'E') {
      const save = pos;
      pos++;
      if (source[pos] === '+' || source[pos] === '-') pos++;
      if (!digits()) pos = save;
      else integer = false;
    }
    if (pos < source.length && (isIdentifierPart(source[pos]!) || source[pos] === '.')) {
      let end = pos;
      while (end < source.length && (isIdentifierPart(source[end]!) || source[end] === '.')) end++;
      fail(`Invalid number '${source.slice(start, end)}'`, start, end - start);
    }
    const raw = source.slice(start, pos);
    return { type: 'number', value: Number(raw.replaceAll('_', '')), raw, integer, ...base(start) };
  }

  function readString(start: number, quoteAt: number, raw: boolean): Token {
    const quote = source[quoteAt]!;
    if (source.startsWith(quote.repeat(3), quoteAt)) {
      fail('Triple-quoted strings are not supported', start, quoteAt + 3 - start);
    }
    pos = quoteAt + 1;
    let value = '';
    for (;;) {
      const ch = source[pos];
      if (ch === undefined || ch === '\n') {
        fail('Unterminated string', start, pos - start, `Close it with ${quote}`);
      }
      if (ch === quote) {
        pos++;
        break;
      }
      if (ch === '\\') {
        const next = source[pos + 1];
        if (next === undefined) fail('Unterminated string', start, pos + 1 - start, `Close it with ${quote}`);
        if (raw) {
          // raw strings keep backslashes, but a backslash still protects the quote after it
          value += ch + next;
          pos += 2;
          continue;
        }
        value += readEscape();
        continue;
      }
      value += ch;
      pos++;
    }
    return { type: 'string', value, raw: source.slice(start, pos), ...base(start) };
  }

  function readEscape(): string {
    const at = pos;
    const letter = source[pos + 1]!;
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      pos += 2;
      return simple;
    }
    if (letter === '\n') {
      pos += 2;
      line++;
      lineStart = pos;
      return '';
    }
    const width = letter === 'x' ? 2 : letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
    if (width > 0) {
      const hex = source.slice(pos + 2, pos + 2 + width);
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) {
        fail(`Invalid escape sequence '\\${letter}${hex}'`, at, 2 + hex.length);
      }
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) fail(`Invalid escape sequence '\\${letter}${hex}'`, at, 2 + width);
      pos += 2 + width;
      return String.fromCodePoint(code);
    }
    return fail(`Invalid escape sequence '\\${letter}'`, at, 2, "Write '\\\\' for a backslash");
  }
}

/** After a name, `)` or `]`, a `.` is attribute access (`llm.1` is not `llm` then `0.1`). */
function followsOperand(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return false;
  return last.type === 'name' || (last.type === 'punct' && (last.value === ')' || last.value === ']'));
}

/** How a token is named in messages: `'and'`, `')'`, `number 12`, `end of input`. */
export function describeToken(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'end of input';
    case 'string':
      return `string ${token.raw}`;
    case 'number':
      return `number ${token.raw}`;
    case 'name':
      return `name '${token.value}'`;
    default:
      return `'${token.value}'`;
  }
}
