import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestValidationError } from './fastapi-errors.js';

const PARTS = [
  ['path', (r: FastifyRequest) => r.params],
  ['query', (r: FastifyRequest) => r.query],
  ['body', (r: FastifyRequest) => r.body],
] as const;

/**
 * Refuses, with FastAPI's 422 naming where, any request whose path parameters, query or JSON body
 * hold a NUL character (`%00`, `\u0000`) in a key or a string. PostgreSQL's text and jsonb cannot
 * store one (a query with one fails, an insert would have to change it), so both databases answer
 * the same: such input is refused before it reaches either. Raw bodies (OTLP) are not parsed here.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, read] of PARTS) {
      const found = findNul(read(request));
      if (found) {
        throw new RequestValidationError([
          {
            loc: [part, ...found.path],
            msg: 'Value error, must not contain NUL characters (\\u0000)',
            type: 'value_error',
            input: found.input,
          },
        ]);
      }
    }
  });
}

interface Visit {
  value: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) path.unshift(v.key);
  return path;
}

/** The first key or string holding a NUL, walked without recursion (a body may nest deeply). */
function findNul(root: unknown): { path: (string | number)[]; input: string } | undefined {
  const stack: Visit[] = [{ value: root, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path: pathOf(visit), input: value };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: visit });
    } else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Visit = { value: (value as Record<string, unknown>)[key], key, parent: visit };
        if (key.includes('\u0000')) return { path: pathOf(child), input: key };
        stack.push(child);
      }
    }
  }
  return undefined;
}
