/**
 * Model-name patterns: regular expressions matched case-insensitively against `llm.model_name`,
 * written in the subset that JavaScript (SQLite's REGEXP function, the TypeScript matcher) and
 * PostgreSQL (`~*`) read alike, so that a pattern selects the same spans everywhere.
 */

/** How a provider's model name may be wrapped: `openai/`, `models/`, `us.anthropic.` ... */
const NAME_PREFIX = '(?:[a-z0-9_-]+[/.])*';

/**
 * How a family's releases are suffixed: dates (`-2024-08-06`, `-20241022`, `@20241022`), short
 * versions and dates (`-0613`, `-002`, `-04-17`), `-latest`, `-preview`, `-exp`, Bedrock's `-v2:0`.
 */
const RELEASE_SUFFIX =
  '(?:-[0-9]{4}-[0-9]{2}-[0-9]{2}|-[0-9]{8}|@[0-9]{8}|-[0-9]{2,4}|-latest|-preview|-exp|-v[0-9]+(?::[0-9]+)?)*';

/** The pattern of a model family: its name, wrapped and suffixed as releases are. */
export function familyPattern(family: string): string {
  return `^${NAME_PREFIX}${escapeRegex(family.toLowerCase())}${RELEASE_SUFFIX}$`;
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/**
 * How specific a pattern is: its literal characters (escaped ones included), plus one for each
 * anchor. Classes, wildcards and escapes such as \d count nothing, so `^gpt-4o-mini$` outranks
 * `^gpt-4o` and both outrank `gpt`.
 */
export function patternSpecificity(pattern: string): number {
  let score = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!/[dDwWsSbB]/.test(next)) score++;
      i++;
    } else if (c === '[') inClass = true;
    else if (c === '^' || c === '$') score++;
    else if (c === '{') {
      const close = pattern.indexOf('}', i);
      i = close === -1 ? i : close;
    } else if (!'.*+?()|'.includes(c)) score++;
  }
  // A group's optional contents ((?:...)? or (...)*) are not required: do not count their literals.
  return score - optionalLiterals(pattern);
}

/** Literal characters inside groups followed by ? or * (counted once, outermost group). */
function optionalLiterals(pattern: string): number {
  let total = 0;
  const stack: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      i = close === -1 ? i : close;
      continue;
    }
    if (c === '(') stack.push(i);
    else if (c === ')') {
      const open = stack.pop();
      const quantifier = pattern[i + 1];
      if (open !== undefined && stack.length === 0 && (quantifier === '?' || quantifier === '*')) {
        total += patternSpecificityOfGroup(pattern.slice(open + 1, i));
      }
    }
  }
  return total;
}

function patternSpecificityOfGroup(body: string): number {
  return patternSpecificity(body.replace(/^\?:/, ''));
}

/** Constructs one of JavaScript or PostgreSQL reads differently or not at all. */
const UNPORTABLE: readonly [RegExp, string][] = [
  [/\(\?[=!<]/, 'lookahead and lookbehind'],
  [/\(\?[a-zA-Z]/, 'inline flags (patterns always ignore case)'],
  [/\\[1-9kpPuxcu]/, 'backreferences and \\k, \\p, \\u, \\x, \\c escapes'],
];

/** Why a pattern cannot be used (it does not compile, or reads differently in PostgreSQL), or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'The pattern is empty';
  for (const [construct, name] of UNPORTABLE) {
    if (construct.test(pattern)) return `The pattern uses ${name}, which are not supported`;
  }
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    return `The pattern is not a valid regular expression: ${(error as Error).message}`;
  }
  return null;
}

const compiled = new Map<string, RegExp>();

/** Does `pattern` match somewhere in `name` (case-insensitive, as PostgreSQL's `~*`)? */
export function patternMatches(pattern: string, name: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'i');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex.test(name);
}
