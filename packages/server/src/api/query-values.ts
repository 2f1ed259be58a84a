import { OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import type { AttributeValue } from '../store/repositories/json.js';
import { HttpError } from '../util/http-error.js';
import { parseDateTime } from './datetime.js';

/** Micros of an ISO 8601 query parameter (already checked by the schema); naive times are UTC. */
export function micros(value: string | undefined): number | null {
  if (value === undefined) return null;
  return parseDateTime(value)?.micros ?? null;
}

const SPAN_KINDS = new Set<string>([...Object.values(OpenInferenceSpanKind), 'UNKNOWN']);
const STATUS_CODES = new Set(['OK', 'ERROR', 'UNSET']);

function enumFilter(values: string[] | undefined, valid: Set<string>, name: string): string[] | null {
  if (!values?.length) return null;
  const upper = values.map((v) => v.toUpperCase());
  const invalid = values.filter((_, i) => !valid.has(upper[i]!));
  if (invalid.length > 0) {
    throw new HttpError(
      422,
      `Invalid ${name} value(s): ${invalid.join(', ')}. Valid values: ${[...valid].sort().join(', ')}`,
    );
  }
  return upper;
}

export const spanKindFilter = (values: string[] | undefined) => enumFilter(values, SPAN_KINDS, 'span_kind');
export const statusCodeFilter = (values: string[] | undefined) =>
  enumFilter(values, STATUS_CODES, 'status_code');

/**
 * Phoenix's `attribute=key:value` filter: split on the first colon; the value is read as JSON when
 * it is a number, boolean or string literal (`k:12` is 12, `k:"12"` is the string), else taken as
 * text; null, lists and objects are refused.
 */
export function attributeFilter(text: string): { path: string[]; value: AttributeValue } {
  const colon = text.indexOf(':');
  if (colon === -1) throw new HttpError(422, `Invalid attribute '${text}': expected format 'key:value'`);
  const key = text.slice(0, colon);
  const raw = text.slice(colon + 1);
  if (!key) throw new HttpError(422, 'Invalid attribute: key must not be empty');
  if (!raw) throw new HttpError(422, 'Invalid attribute: value must not be empty');
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new HttpError(
      422,
      `Invalid attribute value '${raw}': must be a string, integer, float, or boolean. To match a string that looks like a number or boolean, JSON-quote the value: \`key:"12345"\`.`,
    );
  }
  return { path: key.split('.'), value };
}
