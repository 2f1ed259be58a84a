import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Format from 'typebox/format';
import { parseDateTime } from './datetime.js';

/**
 * Request validation for the REST API, from the routes' TypeBox schemas, with FastAPI's habits:
 * bodies are checked strictly (no coercion: `"name": 1` is an error), query strings and path
 * parameters are converted the way pydantic reads them (`limit=10`, `sync=True`, repeated keys for
 * lists), and missing query parameters take their schema defaults.
 */

Format.Set('date-time', (value) => parseDateTime(value) !== null);

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  default?: unknown;
};

// pydantic's accepted spellings of booleans, compared case-insensitively.
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const INTEGER = /^\s*[+-]?\d+\s*$/;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  const branch = schema.anyOf?.find((s) => s.type !== 'null');
  return branch ? typeOf(branch) : undefined;
}

function itemsOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.items) return schema.items;
  return schema.anyOf?.find((s) => s.type === 'array')?.items;
}

/** One query-string or path value, as pydantic would read it for this schema. */
function convertValue(schema: JsonSchema, value: unknown): unknown {
  const type = typeOf(schema);
  if (type === 'array') {
    const items = itemsOf(schema) ?? {};
    return (Array.isArray(value) ? value : [value]).map((v) => convertValue(items, v));
  }
  // A repeated key where one value is expected: the last one counts, as in FastAPI.
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  if (typeof one !== 'string') return one;
  switch (type) {
    case 'integer':
      return INTEGER.test(one) ? Number(one) : one;
    case 'number':
      return NUMBER.test(one) ? Number(one) : one;
    case 'boolean': {
      const word = one.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return one;
    }
    default:
      return one;
  }
}

function convertParameters(schema: JsonSchema, input: unknown): Record<string, unknown> {
  const source = (input ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const property = schema.properties?.[key];
    out[key] = property ? convertValue(property, value) : value;
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && property.default !== undefined)
      out[key] = structuredClone(property.default);
  }
  return out;
}

export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const convert = httpPart === 'querystring' || httpPart === 'params';
  return (input: unknown) => {
    const value = convert ? convertParameters(schema as JsonSchema, input) : input;
    if (check.Check(value)) return { value };
    return { error: [...check.Errors(value)] as never };
  };
};
