import { QueryError, type QueryErrorInfo, type Token, tokenize, validateFilter } from '@fawkes/query';

/** How a stretch of the filter is drawn: one class per kind of token of the query language. */
export type TokenClass = 'name' | 'keyword' | 'string' | 'number' | 'operator' | 'invalid';

export interface ClassedRange {
  from: number;
  to: number;
  cls: TokenClass;
}

/** The keywords with a meaning in filters (the others are Python's, refused by the parser). */
const KEYWORDS: readonly string[] = ['and', 'or', 'not', 'in', 'is', 'None', 'True', 'False'];
const OPERATOR_KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'is']);

function classOf(token: Token): TokenClass | null {
  switch (token.type) {
    case 'name':
      return 'name';
    case 'keyword':
      return KEYWORDS.includes(token.value)
        ? OPERATOR_KEYWORDS.has(token.value)
          ? 'keyword'
          : 'number'
        : 'invalid';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'punct':
      return 'operator';
    case 'eof':
      return null;
  }
}

/**
 * The filter cut into highlighted ranges by the query package's own tokenizer (the grammar the
 * server checks with, so the colours never disagree with it). Text the tokenizer refuses (an
 * unterminated string, a stray character) is drawn as invalid from there to the end.
 */
export function highlightRanges(text: string): ClassedRange[] {
  let tokens: Token[];
  let invalidFrom: number | null = null;
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    invalidFrom = error.toJSON().position;
    try {
      tokens = tokenize(text.slice(0, invalidFrom));
    } catch {
      tokens = [];
    }
  }
  const ranges: ClassedRange[] = [];
  for (const token of tokens) {
    const cls = classOf(token);
    if (cls !== null && token.end > token.start) ranges.push({ from: token.start, to: token.end, cls });
  }
  if (invalidFrom !== null && invalidFrom < text.length) {
    ranges.push({ from: invalidFrom, to: text.length, cls: 'invalid' });
  }
  return ranges;
}

/** The problem with a filter as typed, or null when it is empty or valid. */
export function filterProblem(text: string): QueryErrorInfo | null {
  if (text.trim() === '') return null;
  const result = validateFilter(text);
  return result.ok ? null : result.error;
}

/**
 * Where the checker's error is underlined: exactly the characters it names; an error at the end
 * of the text (length 0) marks the last character, so that there is something to underline.
 */
export function problemRange(text: string, problem: QueryErrorInfo): { from: number; to: number } {
  const from = Math.min(problem.position, text.length);
  const to = Math.min(from + problem.length, text.length);
  if (to > from) return { from, to };
  let start = from;
  while (start > 0 && /\s/.test(text[start - 1]!)) start--;
  return start > 0 ? { from: start - 1, to: start } : { from, to };
}

/** Whether the offset lies inside a string literal (as the tokenizer reads the text before it). */
export function insideString(text: string, offset: number): boolean {
  try {
    tokenize(text.slice(0, offset));
    return false;
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    const at = error.toJSON().position;
    return text[at] === "'" || text[at] === '"';
  }
}
