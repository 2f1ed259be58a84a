import { RequestValidationError } from '../api/fastapi-errors.js';

/** Fawkes's rule for a password a user chooses: Phoenix's minimum is lower; 8 is NIST's floor. */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/** Why `password` may not be chosen, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  if (!password.trim()) return 'The password must not be only spaces';
  return null;
}

/** FastAPI's 422 naming the body field `loc` when `password` may not be chosen. */
export function checkNewPassword(password: string, loc: string[], sameAs?: string): void {
  const problem =
    passwordProblem(password) ??
    (sameAs !== undefined && password === sameAs
      ? 'The new password must differ from the current one'
      : null);
  if (problem) throw new RequestValidationError([{ loc, msg: problem, type: 'value_error' }]);
}
