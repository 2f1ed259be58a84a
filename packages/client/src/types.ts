/**
 * Names for the shapes the server sends and takes, derived from the generated OpenAPI types (by
 * Phoenix's operation ids), so they follow the server's document. Data comes back as the server
 * sends it (snake_case), as with Phoenix's clients; options are camelCase.
 */
import type { operations } from './generated/openapi.js';

type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

type Success<Responses> = Responses extends { 200: infer Ok }
  ? Ok
  : Responses extends { 201: infer Created }
    ? Created
    : Responses extends { 202: infer Accepted }
      ? Accepted
      : never;

/** The JSON body of an operation's successful answer. */
export type ResponseBody<Id extends keyof operations> = JsonContent<Success<operations[Id]['responses']>>;
/** The JSON body an operation takes. */
export type RequestBody<Id extends keyof operations> = JsonContent<
  NonNullable<operations[Id]['requestBody']>
>;

export type Project = ResponseBody<'getProject'>['data'];
export type Span = ResponseBody<'getSpans'>['data'][number];
export type Trace = ResponseBody<'listProjectTraces'>['data'][number];

export type AnnotatorKind = 'LLM' | 'CODE' | 'HUMAN';

/**
 * Which project: by GlobalID or by name, at most one of them. Neither means the `default` project.
 */
export type ProjectSelector =
  | { projectId: string; projectName?: never }
  | { projectName: string; projectId?: never }
  | { projectId?: undefined; projectName?: undefined };
