/** Line and column (both 1-based) of a 0-based offset; columns count UTF-16 code units. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

export function locate(source: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The plain, serializable form of a {@link QueryError} (what `validateFilter` returns). */
export interface QueryErrorInfo {
  /** Full message, e.g. `Unknown name 'spam_kind' at column 1. Did you mean 'span_kind'?` */
  readonly message: string;
  /** The message without location and hint, e.g. `Unknown name 'spam_kind'`. */
  readonly reason: string;
  /** 0-based offset (UTF-16 code units) of the offending text. */
  readonly position: number;
  /** 1-based line of `position`. */
  readonly line: number;
  /** 1-based column of `position` within its line. */
  readonly column: number;
  /** Length of the offending text (0 at the end of the input). */
  readonly length: number;
  /** What the parser expected instead, e.g. `["')'"]` or `['expression']`. */
  readonly expected?: readonly string[];
  /** A suggestion, e.g. `Did you mean 'span_kind'?`. */
  readonly hint?: string;
}

export interface QueryErrorInit {
  readonly reason: string;
  readonly position: number;
  readonly length: number;
  readonly expected?: readonly string[];
  readonly hint?: string;
}

/** The one error type of this package: every syntax or semantic problem in a filter. */
export class QueryError extends Error implements QueryErrorInfo {
  override readonly name = 'QueryError';
  readonly reason: string;
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly length: number;
  readonly expected?: readonly string[];
  readonly hint?: string;

  constructor(source: string, init: QueryErrorInit) {
    const { line, column } = locate(source, init.position);
    const where = source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
    super(`${init.reason} at ${where}${init.hint ? `. ${init.hint}` : ''}`);
    this.reason = init.reason;
    this.position = init.position;
    this.line = line;
    this.column = column;
    this.length = init.length;
    if (init.expected) this.expected = init.expected;
    if (init.hint) this.hint = init.hint;
  }

  toJSON(): QueryErrorInfo {
    return {
      message: this.message,
      reason: this.reason,
      position: this.position,
      line: this.line,
      column: this.column,
      length: this.length,
      ...(this.expected ? { expected: this.expected } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}
