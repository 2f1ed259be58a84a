/**
 * How Phoenix lays span attributes out as DataFrame columns (`attributes.<key>`), reproduced so that
 * our span queries return the columns Phoenix users already index by:
 *
 * - OpenInference keys stay whole and dotted: `llm.token_count.total`, `input.value`;
 * - lists of objects under such a key become lists of objects whose keys are again OpenInference
 *   keys: `retrieval.documents` = `[{ 'document.id': …, 'document.content': … }]`;
 * - JSON-string attributes (`metadata`, `tool.parameters`, `llm.prompt_template.variables`,
 *   `document.metadata`) are objects (an empty one is dropped);
 * - other (custom) keys nest: `my.custom.key` becomes `attributes.my` = `{ custom: { key: … } }`.
 */
import { SemanticConventions } from '@arizeai/openinference-semantic-conventions';

type Json = unknown;
type Pair = [string, Json];

/** Attributes that OpenInference instrumentations send as JSON text. */
const JSON_STRING_ATTRIBUTES = [
  SemanticConventions.DOCUMENT_METADATA,
  SemanticConventions.PROMPT_TEMPLATE_VARIABLES,
  SemanticConventions.METADATA,
  SemanticConventions.TOOL_PARAMETERS,
];

/** Every OpenInference key, longest first (so `llm.token_count.total` wins over a shorter prefix). */
const SEMANTIC_CONVENTIONS: readonly string[] = [
  ...new Set(
    Object.values(SemanticConventions as Record<string, unknown>).filter(
      (v): v is string => typeof v === 'string',
    ),
  ),
].sort((a, b) => b.length - a.length);

const isObject = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const endsWithJsonString = (key: string) => JSON_STRING_ATTRIBUTES.some((suffix) => key.endsWith(suffix));

/** Phoenix's default span DataFrame columns for `attributes`, without the `attributes.` prefix. */
export function phoenixAttributeColumns(attributes: Record<string, Json>): Record<string, Json> {
  const pairs = loadJsonStrings(flatten(attributes, '', { recurseOnLists: true, jsonStrings: true }));
  return unflatten(pairs);
}

/**
 * Nested attributes → dotted key/value pairs. Objects are walked; lists holding an object are walked
 * by index when `recurseOnLists` (their other elements dropped), otherwise kept whole; nulls dropped.
 * With `jsonStrings`, objects under JSON-string keys are kept as JSON text.
 */
export function flatten(
  value: Record<string, Json>,
  prefix = '',
  options: { recurseOnLists?: boolean; jsonStrings?: boolean } = {},
): Pair[] {
  const out: Pair[] = [];
  const walkObject = (object: Record<string, Json>, at: string) => {
    for (const [key, v] of Object.entries(object)) {
      const prefixed = at ? `${at}.${key}` : key;
      if (isObject(v)) {
        if (options.jsonStrings && endsWithJsonString(prefixed)) out.push([prefixed, JSON.stringify(v)]);
        else walkObject(v, prefixed);
      } else if (Array.isArray(v) && options.recurseOnLists) {
        if (!v.some(isObject)) out.push([prefixed, v]);
        v.forEach((element, i) => {
          if (isObject(element)) walkObject(element, `${prefixed}.${i}`);
        });
      } else if (v !== null && v !== undefined) {
        out.push([prefixed, v]);
      }
    }
  };
  walkObject(value, prefix);
  return out;
}

function loadJsonStrings(pairs: Pair[]): Pair[] {
  const out: Pair[] = [];
  for (const [key, value] of pairs) {
    if (!endsWithJsonString(key) || typeof value !== 'string') {
      out.push([key, value]);
      continue;
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(value);
    } catch {
      out.push([key, value]);
      continue;
    }
    if (isTruthy(parsed)) out.push([key, parsed]);
  }
  return out;
}

/** Python truthiness of a JSON value (an empty object, list or string is false). */
function isTruthy(value: Json): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return value !== null && value !== false && value !== 0 && value !== '';
}

/** Splits a key at an OpenInference key it starts with, else at its first dot. */
function partition(key: string): [string, string] {
  for (const prefix of SEMANTIC_CONVENTIONS) {
    if (key.startsWith(prefix) && (key.length === prefix.length || key[prefix.length] === '.')) {
      return [prefix, key.slice(prefix.length + 1)];
    }
  }
  const dot = key.indexOf('.');
  return dot < 0 ? [key, ''] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** A prefix tree whose all-digit steps are list positions (Phoenix's `_Trie`). */
class Trie {
  readonly children = new Map<string, Trie>();
  value: Json = null;
  readonly indices = new Set<number>();
  readonly branches = new Set<string>();

  child(step: string): Trie {
    let child = this.children.get(step);
    if (!child) {
      child = new Trie();
      this.children.set(step, child);
    }
    return child;
  }
  setValue(value: Json): void {
    this.value = value;
    for (const i of this.indices) this.branches.add(String(i));
    this.indices.clear();
  }
  addIndex(index: number): Trie {
    if (this.value !== null) this.branches.add(String(index));
    else if (!this.branches.has(String(index))) this.indices.add(index);
    return this.child(String(index));
  }
  addBranch(branch: string): Trie {
    if (/^\d+$/.test(branch)) this.indices.delete(Number(branch));
    this.branches.add(branch);
    return this.child(branch);
  }
}

function unflatten(pairs: Pair[]): Record<string, Json> {
  const trie = new Trie();
  for (const [fullKey, value] of pairs) {
    if (value === null || value === undefined) continue;
    let node = trie;
    let key = fullKey;
    for (;;) {
      const [step, rest] = partition(key);
      if (/^\d+$/.test(step)) node = rest ? node.addIndex(Number(step)) : node.addBranch(step);
      else node = node.addBranch(step);
      if (!rest) break;
      key = rest;
    }
    node.setValue(value);
  }
  return Object.fromEntries(walk(trie, ''));
}

function* walk(trie: Trie, prefix: string): Generator<Pair> {
  if (trie.value !== null) {
    yield [prefix, trie.value];
  } else if (prefix && trie.indices.size > 0) {
    const indices = [...trie.indices].sort((a, b) => a - b);
    yield [prefix, indices.map((i) => Object.fromEntries(walk(trie.child(String(i)), '')))];
  } else if (trie.indices.size > 0) {
    for (const i of trie.indices) yield* walk(trie.child(String(i)), String(i));
  } else if (prefix) {
    yield [prefix, Object.fromEntries(walk(trie, ''))];
    return;
  }
  for (const branch of trie.branches)
    yield* walk(trie.child(branch), prefix ? `${prefix}.${branch}` : branch);
}
