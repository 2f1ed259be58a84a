/**
 * The shared second half of both OTLP decoders: the plain intermediate objects they produce
 * (`RawResourceSpans`, …) are validated and turned into `SpanRecord`s here.
 */
import {
  DOCUMENT_METADATA,
  INPUT_VALUE,
  LLM_TOKEN_COUNT_COMPLETION,
  LLM_TOKEN_COUNT_PROMPT,
  METADATA,
  OpenInferenceSpanKind,
  OUTPUT_VALUE,
  PROMPT_TEMPLATE_VARIABLES,
  SEMRESATTRS_PROJECT_NAME,
  SESSION_ID,
  SemanticConventions,
  TOOL_PARAMETERS,
} from '@arizeai/openinference-semantic-conventions';
import { llmCostInputsOf } from '../cost/write-time-cost.js';
import { PROJECT_NAME_MAX_LENGTH } from '../model/project-name.js';
import type { JsonObject, JsonValue, SpanEventRecord, SpanRecord, StatusCode } from '../model/span-record.js';
import { OtlpDecodeError } from './errors.js';
import { getPath, type KeyValuePair, setKey, unflatten } from './unflatten.js';

// ---- The intermediate both decoders produce -------------------------------------------------------

export type RawKeyValue = KeyValuePair;

export interface RawEvent {
  name: string;
  /** Microseconds since the epoch (floor of the nanoseconds / 1000). */
  time: number;
  attributes: RawKeyValue[];
}

export interface RawSpan {
  /** Hex digits as received (the protobuf decoder gives lower-case hex of the bytes). */
  traceId: string;
  spanId: string;
  /** '' when absent. */
  parentSpanId: string;
  name: string;
  /** Microseconds since the epoch (floor of the nanoseconds / 1000). */
  startTime: number;
  endTime: number;
  attributes: RawKeyValue[];
  events: RawEvent[];
  /** The OTLP enum value: 0 UNSET, 1 OK, 2 ERROR (anything else is treated as UNSET). */
  statusCode: number;
  statusMessage: string;
}

export interface RawScopeSpans {
  spans: RawSpan[];
}

export interface RawResourceSpans {
  resourceAttributes: RawKeyValue[];
  scopeSpans: RawScopeSpans[];
}

export interface NormalizeOptions {
  /** The `x-project-name` request header; wins over everything when a non-empty string. */
  projectOverride?: string | null;
  /** Used when neither the override nor the resource attribute names a project. */
  defaultProject: string;
}

// ---- Shared value helpers for the decoders --------------------------------------------------------

/** Non-finite doubles have no JSON form: they become the strings proto3 JSON uses for them. */
export function doubleToJson(d: number): JsonValue {
  if (Number.isFinite(d)) return d;
  return Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity';
}

/** Greatest time we accept, in microseconds (~ year 2255): beyond it a double loses microseconds. */
export const MAX_TIME_MICROS = Number.MAX_SAFE_INTEGER;

// ---- Normalization --------------------------------------------------------------------------------

const STATUS_CODES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];
const KNOWN_SPAN_KINDS = new Set<string>([...Object.values(OpenInferenceSpanKind), 'UNKNOWN']);

const SPAN_KIND_PATH = SemanticConventions.OPENINFERENCE_SPAN_KIND.split('.');
const SESSION_ID_PATH = SESSION_ID.split('.');
const PROMPT_TOKENS_PATH = LLM_TOKEN_COUNT_PROMPT.split('.');
const COMPLETION_TOKENS_PATH = LLM_TOKEN_COUNT_COMPLETION.split('.');
const INPUT_VALUE_PATH = INPUT_VALUE.split('.');
const OUTPUT_VALUE_PATH = OUTPUT_VALUE.split('.');

/**
 * Attributes whose string value is parsed as JSON before nesting, as Phoenix does (suffix match on
 * the key): `metadata`, `document.metadata`, `llm.prompt_template.variables`, `tool.parameters`.
 */
const JSON_STRING_SUFFIXES = [DOCUMENT_METADATA, PROMPT_TEMPLATE_VARIABLES, METADATA, TOOL_PARAMETERS];

const JSON_STRING_LAST_CHARS = new Set(JSON_STRING_SUFFIXES.map((s) => s.charCodeAt(s.length - 1)));

function endsWithJsonStringSuffix(key: string): boolean {
  if (!JSON_STRING_LAST_CHARS.has(key.charCodeAt(key.length - 1))) return false;
  for (const s of JSON_STRING_SUFFIXES) if (key.endsWith(s)) return true;
  return false;
}

/** Python truthiness, which Phoenix applies to the parsed JSON (falsy results are dropped). */
function truthy(v: JsonValue): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function loadJsonStrings(pairs: RawKeyValue[]): RawKeyValue[] {
  let out: RawKeyValue[] | null = null;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    if (typeof p.value !== 'string' || !endsWithJsonStringSuffix(p.key)) {
      if (out !== null) out.push(p);
      continue;
    }
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(p.value) as JsonValue;
    } catch {
      if (out !== null) out.push(p);
      continue;
    }
    if (out === null) out = pairs.slice(0, i);
    if (truthy(parsed)) out.push({ key: p.key, value: parsed });
  }
  return out ?? pairs;
}

const ZERO_IDS = new Map<number, string>([
  [16, '0'.repeat(16)],
  [32, '0'.repeat(32)],
]);
const HEX_RE = /^[0-9a-fA-F]*$/;

/**
 * Validates a hex id of `bytes` bytes and returns it in lower case, or null when it is all zeros and
 * `zeroIsNull` (an all-zero parent span id is the "invalid" id: no parent).
 */
function checkId(hex: string, bytes: number, field: string, zeroIsNull = false): string | null {
  if (hex.length === bytes * 2 && HEX_RE.test(hex)) {
    const lower = hex.toLowerCase();
    if (lower === ZERO_IDS.get(bytes * 2)) {
      if (zeroIsNull) return null;
      throw new SpanProblem(`${field} must not be all zeros`);
    }
    return lower;
  }
  if (!HEX_RE.test(hex)) {
    throw new SpanProblem(`${field} must be ${bytes * 2} hex digits (got ${JSON.stringify(clip(hex))})`);
  }
  if (hex.length % 2 === 1) {
    throw new SpanProblem(`${field} must be ${bytes} bytes (got ${hex.length} hex digits)`);
  }
  throw new SpanProblem(`${field} must be ${bytes} bytes (got ${hex.length / 2})`);
}

function clip(s: string, max = 80): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

function checkTime(t: number, field: string): void {
  if (!(t >= 0 && t <= MAX_TIME_MICROS)) {
    throw new SpanProblem(`${field} is out of range (must be between 0 and ${MAX_TIME_MICROS * 1000} ns)`);
  }
}

/** A problem with one span; the caller adds which span. */
class SpanProblem extends Error {}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Microseconds since the epoch → ISO 8601 as Python's `datetime.isoformat()` prints a UTC time:
 * `2024-01-01T00:00:00.123456+00:00`, the fraction only when non-zero.
 */
export function isoFromMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const base =
    pad(d.getUTCFullYear(), 4) +
    '-' +
    pad(d.getUTCMonth() + 1, 2) +
    '-' +
    pad(d.getUTCDate(), 2) +
    'T' +
    pad(d.getUTCHours(), 2) +
    ':' +
    pad(d.getUTCMinutes(), 2) +
    ':' +
    pad(d.getUTCSeconds(), 2);
  const frac = us - Math.floor(us / 1_000_000) * 1_000_000;
  return frac === 0 ? base + '+00:00' : base + '.' + pad(frac, 6) + '+00:00';
}

function chooseProject(options: NormalizeOptions, resourceAttributes: RawKeyValue[]): string {
  const override = options.projectOverride;
  if (typeof override === 'string' && override !== '') return override;
  for (const kv of resourceAttributes) {
    if (kv.key === SEMRESATTRS_PROJECT_NAME && typeof kv.value === 'string' && kv.value !== '')
      return kv.value;
  }
  return options.defaultProject;
}

/** A whole number of tokens (the stores' columns are integers): fractions rounded, nonsense 0. */
function tokenCount(v: JsonValue | undefined): number {
  return typeof v === 'number' && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? Math.round(v) : 0;
}

function stringOrNull(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function flatObject(pairs: RawKeyValue[]): JsonObject {
  const out: JsonObject = {};
  for (const p of pairs) setKey(out, p.key, p.value);
  return out;
}

function spanWhere(span: RawSpan, ri: number, si: number, i: number): string {
  return `span ${JSON.stringify(clip(span.name))} (resourceSpans[${ri}].scopeSpans[${si}].spans[${i}])`;
}

function normalizeSpan(span: RawSpan, projectName: string): SpanRecord {
  // PostgreSQL would store another name (U+FFFD for the NUL); SQLite the name itself.
  if (projectName.includes('\u0000'))
    throw new SpanProblem('the project name must not contain NUL characters');
  if (projectName.length > PROJECT_NAME_MAX_LENGTH)
    throw new SpanProblem(
      `the project name is ${projectName.length} characters long; at most ${PROJECT_NAME_MAX_LENGTH} are accepted`,
    );
  const traceId = checkId(span.traceId, 16, 'trace_id')!;
  const spanId = checkId(span.spanId, 8, 'span_id')!;
  const parentId = span.parentSpanId === '' ? null : checkId(span.parentSpanId, 8, 'parent_span_id', true);
  checkTime(span.startTime, 'start_time_unix_nano');
  checkTime(span.endTime, 'end_time_unix_nano');
  if (span.endTime < span.startTime) {
    throw new SpanProblem(
      `end_time is before start_time (start ${isoFromMicros(span.startTime)}, end ${isoFromMicros(span.endTime)})`,
    );
  }

  const attributes = unflatten(loadJsonStrings(span.attributes));

  const kind = getPath(attributes, SPAN_KIND_PATH);
  let spanKind = 'UNKNOWN';
  if (typeof kind === 'string') {
    const upper = kind.toUpperCase();
    if (KNOWN_SPAN_KINDS.has(upper)) spanKind = upper;
  }

  const session = getPath(attributes, SESSION_ID_PATH);
  const events: SpanEventRecord[] = new Array(span.events.length);
  for (let e = 0; e < span.events.length; e++) {
    const ev = span.events[e]!;
    try {
      checkTime(ev.time, 'time_unix_nano');
    } catch (err) {
      throw new SpanProblem(`event ${e}: ${(err as Error).message}`);
    }
    events[e] = { name: ev.name, timestamp: isoFromMicros(ev.time), attributes: flatObject(ev.attributes) };
  }

  return {
    projectName,
    traceId,
    spanId,
    parentId,
    name: span.name,
    spanKind,
    startTime: span.startTime,
    endTime: span.endTime,
    statusCode: STATUS_CODES[span.statusCode] ?? 'UNSET',
    statusMessage: span.statusMessage,
    attributes,
    events,
    sessionId: typeof session === 'string' && session.trim() !== '' ? session : null,
    llmTokenCountPrompt: tokenCount(getPath(attributes, PROMPT_TOKENS_PATH)),
    llmTokenCountCompletion: tokenCount(getPath(attributes, COMPLETION_TOKENS_PATH)),
    // Only a root span's: the rest would travel to the writer thread for nothing.
    inputValue: parentId === null ? stringOrNull(getPath(attributes, INPUT_VALUE_PATH)) : null,
    outputValue: parentId === null ? stringOrNull(getPath(attributes, OUTPUT_VALUE_PATH)) : null,
    llmCost: llmCostInputsOf(attributes),
  };
}

/** The spans of a request that could not be stored, for OTLP's partial_success. */
export interface RejectedSpans {
  count: number;
  /** The first few problems, each naming its span. */
  message: string;
}

export interface NormalizedRequest {
  spans: SpanRecord[];
  /** Absent when every span is valid. */
  rejected?: RejectedSpans;
}

/** How many problems the partial_success message names; the rest are only counted. */
const NAMED_PROBLEMS = 3;

/**
 * Validates and normalizes every span of a decoded request. An invalid span is left out and
 * counted in `rejected`; the valid ones are still returned (one bad span must not lose its batch).
 */
export function normalizeRequestPartially(
  resourceSpans: RawResourceSpans[],
  options: NormalizeOptions,
): NormalizedRequest {
  const out: SpanRecord[] = [];
  const problems: string[] = [];
  let rejected = 0;
  for (let ri = 0; ri < resourceSpans.length; ri++) {
    const rs = resourceSpans[ri]!;
    const projectName = chooseProject(options, rs.resourceAttributes);
    for (let si = 0; si < rs.scopeSpans.length; si++) {
      const spans = rs.scopeSpans[si]!.spans;
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]!;
        try {
          out.push(normalizeSpan(span, projectName));
        } catch (e) {
          if (!(e instanceof SpanProblem || e instanceof OtlpDecodeError)) throw e;
          rejected++;
          if (problems.length < NAMED_PROBLEMS) problems.push(`${spanWhere(span, ri, si, i)}: ${e.message}`);
        }
      }
    }
  }
  if (rejected === 0) return { spans: out };
  const more = rejected - problems.length;
  const message =
    problems.join('; ') + (more > 0 ? `; and ${more} more invalid span${more === 1 ? '' : 's'}` : '');
  return { spans: out, rejected: { count: rejected, message } };
}

/** As normalizeRequestPartially, but any invalid span is an OtlpDecodeError naming it. */
export function normalizeRequest(resourceSpans: RawResourceSpans[], options: NormalizeOptions): SpanRecord[] {
  const { spans, rejected } = normalizeRequestPartially(resourceSpans, options);
  if (rejected) throw new OtlpDecodeError(rejected.message);
  return spans;
}
