import { InvalidArgumentError } from './errors.js';
import type { ProjectSelector } from './types.js';

/**
 * The project's path identifier: its GlobalID or its name; when neither is given, `fallback` (the
 * `default` project), or an error when the fallback is null.
 */
export function projectIdentifier(
  selector: ProjectSelector = {},
  fallback: string | null = 'default',
): string {
  const { projectId, projectName } = selector;
  if (projectId !== undefined && projectName !== undefined) {
    throw new InvalidArgumentError('Give projectId or projectName, not both');
  }
  if (projectId !== undefined) return requireText(projectId, 'projectId');
  if (projectName === undefined && fallback === null) {
    throw new InvalidArgumentError('Give projectId or projectName');
  }
  return pathSegment(projectName ?? (fallback as string), 'projectName');
}

export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(`${what} must be a non-empty string`);
  }
  return value;
}

/** A positive whole number, or undefined when not given. */
export function optionalLimit(value: number | undefined, what = 'limit'): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${what} must be a positive whole number, got ${value}`);
  }
  return value;
}

/** An instant for the server: ISO 8601 with an offset (a Date or a string the caller wrote). */
export function isoInstant(value: Date | string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidArgumentError(`${what} is an invalid Date`);
    return value.toISOString();
  }
  return requireText(value, what);
}

/**
 * A session id or project name as a path segment: Phoenix's clients refuse `/`, `?` and `#` there
 * (servers and proxies treat them as URL syntax even when percent-encoded).
 */
export function pathSegment(value: string, what: string): string {
  requireText(value, what);
  if (/[/?#]/.test(value)) {
    throw new InvalidArgumentError(`${what} '${value}' cannot contain '/', '?' or '#'`);
  }
  return value;
}
