/**
 * Validation errors in FastAPI's shape, which Phoenix's clients parse (e.g. `log_spans` reads
 * `loc = ["body", "data", <index>, ...]` to name the bad span):
 * `422 {"detail": [{"loc": ["body", "data", 0, "name"], "msg": "Field required", "type": "missing"}]}`.
 */

export interface FastApiErrorItem {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

/** An error a route raises for a semantic problem with the request (beyond what the schema says). */
export class RequestValidationError extends Error {
  readonly statusCode = 422;
  constructor(readonly detail: FastApiErrorItem[]) {
    super(detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

/** A schema validation error as TypeBox (and Ajv) report it. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

function pathSegments(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function quoteList(values: unknown[]): string {
  const quoted = values.map((v) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v)));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** pydantic's type and message for one schema error; `fromText` when the value came from a URL. */
function describe(error: SchemaError, fromText: boolean): { type: string; msg: string } {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { type: 'missing', msg: 'Field required' };
    case 'type':
      switch (p.type) {
        case 'string':
          return { type: 'string_type', msg: 'Input should be a valid string' };
        case 'integer':
          return fromText
            ? {
                type: 'int_parsing',
                msg: 'Input should be a valid integer, unable to parse string as an integer',
              }
            : { type: 'int_type', msg: 'Input should be a valid integer' };
        case 'number':
          return fromText
            ? {
                type: 'float_parsing',
                msg: 'Input should be a valid number, unable to parse string as a number',
              }
            : { type: 'float_type', msg: 'Input should be a valid number' };
        case 'boolean':
          return fromText
            ? { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' }
            : { type: 'bool_type', msg: 'Input should be a valid boolean' };
        case 'object':
          return { type: 'dict_type', msg: 'Input should be a valid dictionary' };
        case 'array':
          return { type: 'list_type', msg: 'Input should be a valid list' };
        default:
          return { type: `${String(p.type)}_type`, msg: `Input should be ${String(p.type)}` };
      }
    case 'enum':
      return { type: 'enum', msg: `Input should be ${quoteList((p.allowedValues as unknown[]) ?? [])}` };
    case 'const':
      return { type: 'literal_error', msg: `Input should be ${quoteList([p.allowedValue])}` };
    case 'minLength':
      return {
        type: 'string_too_short',
        msg: `String should have at least ${p.limit} character${p.limit === 1 ? '' : 's'}`,
      };
    case 'maxLength':
      return {
        type: 'string_too_long',
        msg: `String should have at most ${p.limit} character${p.limit === 1 ? '' : 's'}`,
      };
    case 'minItems':
      return {
        type: 'too_short',
        msg: `List should have at least ${p.limit} item${p.limit === 1 ? '' : 's'}`,
      };
    case 'minimum':
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${p.limit}` };
    case 'exclusiveMinimum':
      return { type: 'greater_than', msg: `Input should be greater than ${p.limit}` };
    case 'maximum':
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${p.limit}` };
    case 'exclusiveMaximum':
      return { type: 'less_than', msg: `Input should be less than ${p.limit}` };
    case 'format':
      return p.format === 'date-time'
        ? { type: 'datetime_from_date_parsing', msg: 'Input should be a valid datetime' }
        : { type: 'value_error', msg: `Input should match format '${String(p.format)}'` };
    case 'pattern':
      return { type: 'string_pattern_mismatch', msg: `String should match pattern '${String(p.pattern)}'` };
    default:
      return { type: 'value_error', msg: error.message ?? 'Invalid value' };
  }
}

/**
 * FastAPI's `detail` list for the errors of one request part. Of the alternatives of a nullable
 * field only the meaningful complaint is kept (pydantic says "should be a valid string", not "should
 * be null"), and a field gets one error.
 */
export function fastApiDetail(
  errors: readonly SchemaError[],
  part: string,
  input: unknown,
): FastApiErrorItem[] {
  const partName = PART_NAMES[part] ?? part;
  const fromText = partName !== 'body';
  const out: FastApiErrorItem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || (error.keyword === 'type' && error.params.type === 'null')) continue;
    const path = pathSegments(error.instancePath);
    const missing =
      error.keyword === 'required'
        ? ((error.params.requiredProperties as string[] | undefined) ??
          [error.params.missingProperty as string].filter(Boolean))
        : [];
    // A body that is absent altogether: FastAPI says the body is missing.
    if (partName === 'body' && path.length === 0 && (input === null || input === undefined)) {
      return [{ loc: ['body'], msg: 'Field required', type: 'missing', input: null }];
    }
    const locs = missing.length > 0 ? missing.map((m) => [...path, m]) : [path];
    for (const loc of locs) {
      const key = JSON.stringify(loc);
      if (seen.has(key)) continue;
      seen.add(key);
      const { type, msg } = describe(error, fromText);
      const item: FastApiErrorItem = { loc: [partName, ...loc], msg, type };
      const value = missing.length > 0 ? valueAt(input, path) : valueAt(input, loc);
      if (value !== undefined) item.input = value;
      out.push(item);
    }
  }
  if (out.length === 0) out.push({ loc: [partName], msg: 'Invalid value', type: 'value_error' });
  return out;
}

/** FastAPI's answer to a body that is not JSON. */
export function invalidJsonDetail(message: string): FastApiErrorItem[] {
  const position = /position (\d+)/.exec(message);
  return [
    {
      loc: ['body', position ? Number(position[1]) : 0],
      msg: 'JSON decode error',
      type: 'json_invalid',
      input: {},
    },
  ];
}
