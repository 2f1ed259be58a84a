import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { HttpError } from '../util/http-error.js';

/**
 * Query-string and path parameters of the UI endpoints, read by their routes' TypeBox schemas
 * (ui-schemas.ts) so that every bad value gets one clear plain-text 422 naming the parameter (these
 * routes are ours, not Phoenix's: no FastAPI error shapes to match).
 */
export type Query = Record<string, string | string[] | undefined>;

interface ParameterSchema {
  type?: string;
  format?: string;
  anyOf?: { const?: unknown }[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

/**
 * The validator of the `/v1/ui/...` routes: each parameter of the schema read as its type says
 * (integers within their bounds, booleans, one of the literals, ISO 8601 instants kept as text),
 * missing ones given their defaults, unknown ones left out; the first bad one answers 422.
 */
export const uiValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema }) => {
  const properties = Object.entries(
    (schema as { properties?: Record<string, ParameterSchema> }).properties ?? {},
  );
  return (data) => {
    try {
      const query = (data ?? {}) as Query;
      const value: Record<string, unknown> = {};
      for (const [name, property] of properties) {
        const read = readParameter(query, name, property);
        if (read !== undefined) value[name] = read;
      }
      return { value };
    } catch (error) {
      if (error instanceof HttpError) return { error };
      throw error;
    }
  };
};

function readParameter(query: Query, name: string, schema: ParameterSchema): unknown {
  if (single(query, name) === undefined) return schema.default;
  const literals = schema.anyOf?.map((branch) => branch.const);
  if (literals?.length && literals.every((value) => typeof value === 'string')) {
    return enumParam(query, name, literals as string[], '');
  }
  switch (schema.type) {
    case 'integer':
      return intParam(query, name, {
        min: schema.minimum ?? Number.MIN_SAFE_INTEGER,
        max: schema.maximum ?? Number.MAX_SAFE_INTEGER,
        fallback: 0,
      });
    case 'boolean':
      return boolParam(query, name);
    default:
      if (schema.format === 'date-time') timeParam(query, name);
      return stringParam(query, name);
  }
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) {
    if (value.length > 1) throw new HttpError(422, `${name} must be given once`);
    return value[0];
  }
  return value === '' ? undefined : value;
}

export function stringParam(query: Query, name: string): string | undefined {
  return single(query, name);
}

export function intParam(
  query: Query,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const text = single(query, name);
  if (text === undefined) return range.fallback;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < range.min || value > range.max) {
    throw new HttpError(422, `${name} must be an integer from ${range.min} to ${range.max}, not '${text}'`);
  }
  return value;
}

export function enumParam<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new HttpError(422, `${name} must be one of ${allowed.join(', ')}, not '${text}'`);
  }
  return text as T;
}

export function boolParam(query: Query, name: string): boolean {
  const text = single(query, name)?.toLowerCase();
  if (text === undefined) return false;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new HttpError(422, `${name} must be true or false, not '${text}'`);
}

/** An ISO 8601 instant (a time without offset is UTC) as microseconds since the epoch. */
export function timeParam(query: Query, name: string): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const ms = Date.parse(hasOffset || !text.includes('T') ? text : `${text}Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new HttpError(422, `${name} must be an ISO 8601 instant, not '${text}'`);
  }
  return ms * 1000;
}

export interface TimeRange {
  /** Inclusive, microseconds. */
  start: number | undefined;
  /** Exclusive, microseconds. */
  end: number | undefined;
}

export function timeRangeParams(params: { start_time?: string; end_time?: string }): TimeRange {
  const query = params as Query;
  const start = timeParam(query, 'start_time');
  const end = timeParam(query, 'end_time');
  if (start !== undefined && end !== undefined && start >= end) {
    throw new HttpError(422, 'start_time must be before end_time');
  }
  return { start, end };
}

/** Keyset cursors: the sort value and row id of the last row sent, opaque to clients. */
export function encodeCursor(value: string | number, rowId: number): string {
  return Buffer.from(JSON.stringify([value, rowId]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { value: string | number; rowId: number } | null {
  if (cursor === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      Number.isSafeInteger(parsed[1])
    ) {
      return { value: parsed[0], rowId: parsed[1] as number };
    }
  } catch {
    // answered below
  }
  throw new HttpError(422, `Invalid cursor: ${cursor}`);
}
