import { type TSchema, Type } from 'typebox';

/** Response schemas (documentation: bodies are written with JSON.stringify, see rest-api.ts). */

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
};

/** Phoenix's HTTPException answers: plain text, the body is the detail. */
export function textErrors(...codes: number[]): Record<number, unknown> {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: DESCRIPTIONS[code] ?? 'Error',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    ]),
  );
}

export const ValidationErrorSchema = Type.Object(
  {
    detail: Type.Array(
      Type.Object({
        loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
        msg: Type.String(),
        type: Type.String(),
        input: Type.Optional(Type.Unknown()),
      }),
    ),
  },
  { title: 'HTTPValidationError' },
);

/** A 200 JSON body, Phoenix's error codes as text, and FastAPI's 422 for invalid requests. */
export function responses(ok: TSchema | null, ...errorCodes: number[]): Record<number, unknown> {
  return {
    ...(ok ? { 200: ok } : { 204: { description: 'No Content', type: 'null' } }),
    ...textErrors(...errorCodes),
    422: ValidationErrorSchema,
  };
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const DateTime = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });

export const ProjectIdentifierParams = Type.Object({
  project_identifier: Type.String({
    description:
      'The project identifier: either project ID or project name. If using a project name, it cannot contain slash (/), question mark (?), or pound sign (#) characters.',
  }),
});

export const Paginated = <T extends TSchema>(item: T, title: string) =>
  Type.Object({ data: Type.Array(item), next_cursor: Nullable(Type.String()) }, { title });

export const Data = <T extends TSchema>(item: T, title: string) => Type.Object({ data: item }, { title });
