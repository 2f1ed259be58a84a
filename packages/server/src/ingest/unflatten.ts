/**
 * Turns flat, dotted OpenTelemetry attribute keys into nested JSON, with Phoenix's rules:
 *
 * - `llm.token_count.prompt = 5` → `{llm: {token_count: {prompt: 5}}}`.
 * - An all-digit segment that is followed by more segments is an array index:
 *   `llm.input_messages.0.message.role` → `{llm: {input_messages: [{message: {role}}]}}`. The array
 *   holds the indices present, in ascending numeric order, without holes (indices 0 and 5 give a
 *   two-element array). An all-digit LAST segment is an ordinary object key (`a.0 = x` → `{a: {'0': x}}`),
 *   and once a digit segment is used as a key at some level it is a key there for every attribute.
 * - Conflicts: a key that carries a value keeps it, and every longer key below it stays flat, as a
 *   dotted key next to it in the same object: `a = 1`, `a.b.c = 2` → `{a: 1, 'a.b': {c: 2}}` (in either
 *   order of arrival). The same holds under an array element.
 * - Attributes whose value is null (an empty OTLP AnyValue) are dropped; when a key repeats, the last
 *   value wins.
 * - A single trailing dot is ignored (`a.` is `a`); an empty segment followed by more segments
 *   disappears (`a..b` → `{a: {b}}`), a final one is a key (`a..` → `{a: {'': v}}`).
 *
 * Object keys are inserted in first-seen order; `__proto__` is stored as an ordinary own key.
 */
import type { JsonObject, JsonValue } from '../model/span-record.js';
import { OtlpDecodeError } from './errors.js';

/** Keys with more dot-separated parts than this are rejected (they would nest absurdly deep). */
export const MAX_KEY_PARTS = 128;

interface TrieNode {
  /** undefined: no value here. */
  value: JsonValue | undefined;
  kids: Map<string, TrieNode> | null;
  /** Kids that are array indices (canonical digit strings). */
  indices: Set<string> | null;
  /** Kids that are object keys, in insertion order. */
  branches: Set<string> | null;
}

function newNode(): TrieNode {
  return { value: undefined, kids: null, indices: null, branches: null };
}

function kid(node: TrieNode, key: string): TrieNode {
  let kids = node.kids;
  if (kids === null) {
    kids = new Map();
    node.kids = kids;
  }
  let k = kids.get(key);
  if (k === undefined) {
    k = newNode();
    kids.set(key, k);
  }
  return k;
}

function addBranch(node: TrieNode, key: string): TrieNode {
  if (node.indices !== null) node.indices.delete(key);
  if (node.branches === null) node.branches = new Set();
  node.branches.add(key);
  return kid(node, key);
}

function addIndex(node: TrieNode, index: string): TrieNode {
  if (node.value !== undefined) {
    if (node.branches === null) node.branches = new Set();
    node.branches.add(index);
  } else if (node.branches === null || !node.branches.has(index)) {
    if (node.indices === null) node.indices = new Set();
    node.indices.add(index);
  }
  return kid(node, index);
}

function setValue(node: TrieNode, value: JsonValue): void {
  node.value = value;
  // A value and array indices never coexist: the indices become ordinary keys.
  if (node.indices !== null && node.indices.size > 0) {
    if (node.branches === null) node.branches = new Set();
    for (const i of node.indices) node.branches.add(i);
    node.indices.clear();
  }
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `007` and `7` are the same index, as `int()` makes them in Phoenix. */
function canonicalIndex(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return i === 0 ? s : s.slice(i);
}

function compareIndex(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sets an own enumerable property, also for the key `__proto__`. */
export function setKey(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function walk(node: TrieNode, prefix: string, out: JsonObject): void {
  if (node.value !== undefined) {
    setKey(out, prefix, node.value);
  } else if (node.indices !== null && node.indices.size > 0) {
    if (prefix !== '') {
      const sorted = [...node.indices].sort(compareIndex);
      const list: JsonValue[] = new Array(sorted.length);
      for (let i = 0; i < sorted.length; i++) {
        const element: JsonObject = {};
        walk(node.kids!.get(sorted[i]!)!, '', element);
        list[i] = element;
      }
      setKey(out, prefix, list);
    } else {
      for (const i of node.indices) walk(node.kids!.get(i)!, i, out);
    }
  } else if (prefix !== '') {
    const obj: JsonObject = {};
    walk(node, '', obj);
    setKey(out, prefix, obj);
    return;
  }
  if (node.branches !== null) {
    for (const b of node.branches) walk(node.kids!.get(b)!, prefix === '' ? b : prefix + '.' + b, out);
  }
}

export interface KeyValuePair {
  key: string;
  value: JsonValue;
}

interface ParsedKey {
  /** The dot-separated parts, all-digit parts in canonical form (`007` → `7`). */
  parts: string[];
  /** Which parts are all digits. */
  digits: boolean[];
  /** Parts the trie uses: a single trailing empty part is dropped (`a.` is `a`). */
  trieLength: number;
  /** No empty part and no `__proto__`: the direct builder can take it. */
  simple: boolean;
}

/**
 * Parsed keys, by key: the same few dozen keys come in every span, and splitting them each time
 * (and using fresh, un-internalized part strings as property names) is most of the cost.
 */
const keyCache = new Map<string, ParsedKey>();
const KEY_CACHE_MAX = 4096;
const KEY_CACHE_MAX_KEY_LENGTH = 256;

function parseKey(key: string): ParsedKey {
  const cached = keyCache.get(key);
  if (cached !== undefined) return cached;
  const parts = key.split('.');
  const n = parts.length;
  const trieLength = n > 1 && parts[n - 1] === '' ? n - 1 : n;
  if (trieLength > MAX_KEY_PARTS) throw tooManyParts(key, trieLength);
  const digits = new Array<boolean>(n);
  let simple = true;
  for (let i = 0; i < n; i++) {
    const part = parts[i]!;
    if (part === '' || part === '__proto__') simple = false;
    const d = isDigits(part);
    digits[i] = d;
    if (d) parts[i] = canonicalIndex(part);
  }
  const parsed: ParsedKey = { parts, digits, trieLength, simple };
  if (key.length <= KEY_CACHE_MAX_KEY_LENGTH) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(key, parsed);
  }
  return parsed;
}

/** Nests `pairs` (see the module comment for the rules). Throws OtlpDecodeError for absurd keys. */
export function unflatten(pairs: readonly KeyValuePair[]): JsonObject {
  return unflattenFast(pairs) ?? unflattenTrie(pairs);
}

function tooManyParts(key: string, n: number): OtlpDecodeError {
  return new OtlpDecodeError(
    `attribute key "${key.slice(0, 80)}${key.length > 80 ? '…' : ''}" has ${n} dot-separated parts (at most ${MAX_KEY_PARTS} allowed)`,
  );
}

/** An index container while building: canonical index → element object; becomes an array at the end. */
type IndexContainer = Map<string, JsonObject>;

function isPlainObject(v: JsonValue | IndexContainer | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

/**
 * The common case, built directly into nested objects: gives up (null) as soon as the input has
 * anything the trie rules treat specially (a key both holding a value and having sub-keys, an index
 * and a non-index key at one level, indices at the top level or right after another index, empty
 * segments, `__proto__`). For all other input it returns exactly what `unflattenTrie` returns (tested).
 */
export function unflattenFast(pairs: readonly KeyValuePair[]): JsonObject | null {
  const root: JsonObject = {};
  // Attribute values that are objects (kvlist values): to tell them from the objects built here.
  let objectValues: Set<JsonValue> | null = null;
  let indexContainers: { parent: JsonObject; key: string; container: IndexContainer }[] | null = null;
  for (let i = 0; i < pairs.length; i++) {
    const { key, value } = pairs[i]!;
    if (value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      objectValues ??= new Set();
      objectValues.add(value);
    }
    const parsed = parseKey(key);
    if (!parsed.simple) return null;
    const { parts, digits } = parsed;
    const n = parts.length;
    // The container the current part goes into: an object, or (when `index` is set) an index container.
    let obj: JsonObject = root;
    let index: IndexContainer | null = null;
    for (let j = 0; j < n; j++) {
      const part = parts[j]!;
      const last = j === n - 1;
      if (digits[j]) {
        // An index must be followed by more parts and go into an index container; a digit last
        // part is an object key (never in an index container).
        if (last ? index !== null : index === null) return null;
      } else if (index !== null) return null;

      if (index !== null) {
        // The element object under this index (elements are always objects).
        let element = index.get(part);
        if (element === undefined) {
          element = {};
          index.set(part, element);
        }
        obj = element;
        index = null;
        continue;
      }
      const existing = obj[part] as JsonValue | IndexContainer | undefined;
      if (last) {
        // A value where sub-keys already are: conflict.
        if (existing instanceof Map || (isPlainObject(existing) && !objectValues?.has(existing))) return null;
        obj[part] = value;
        break;
      }
      const wantIndex = j + 1 < n - 1 && digits[j + 1]!;
      if (existing === undefined || typeof existing === 'function') {
        // (a function: inherited from Object.prototype, e.g. `constructor`; not ours)
        if (wantIndex) {
          const container: IndexContainer = new Map();
          (obj as Record<string, unknown>)[part] = container;
          indexContainers ??= [];
          indexContainers.push({ parent: obj, key: part, container });
          index = container;
        } else {
          const child: JsonObject = {};
          obj[part] = child;
          obj = child;
        }
      } else if (existing instanceof Map) {
        if (!wantIndex) return null;
        index = existing;
      } else if (isPlainObject(existing) && !objectValues?.has(existing)) {
        if (wantIndex) return null;
        obj = existing;
      } else {
        // Sub-keys under a key holding a value: conflict.
        return null;
      }
    }
  }
  if (indexContainers !== null) {
    for (const { parent, key, container } of indexContainers) {
      const indices = [...container.keys()].sort(compareIndex);
      parent[key] = indices.map((i) => container.get(i)!);
    }
  }
  return root;
}

/** The general algorithm (Phoenix's trie), for any input. */
export function unflattenTrie(pairs: readonly KeyValuePair[]): JsonObject {
  const out: JsonObject = {};
  const root = newNode();
  for (let i = 0; i < pairs.length; i++) {
    const { key, value } = pairs[i]!;
    if (value === null) continue;
    const { parts, digits, trieLength: n } = parseKey(key);
    let t = root;
    for (let j = 0; j < n; j++) {
      const part = parts[j]!;
      if (digits[j]) t = j < n - 1 ? addIndex(t, part) : addBranch(t, part);
      else t = addBranch(t, part);
    }
    setValue(t, value);
  }
  walk(root, '', out);
  return out;
}

/** Reads a nested value by path; undefined when any step is missing or not an object. */
export function getPath(obj: JsonObject, path: readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}
