import 'server-only';
import { z } from 'zod';

/** Request-body fields shared by the route schemas, with messages that name the field. */

/** A string field whose type errors name it: "x is required" when absent, "x must be a string" otherwise. */
export function stringField(name: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`),
  });
}

/**
 * A required string field whose messages name it: "x is required", "x must be a string", and the length limits.
 * Control characters are refused: no username or password needs them, and some stores reject NUL bytes.
 */
export function textField(name: string, { min = 1, max }: { min?: number; max: number }) {
  return stringField(name)
    .min(min, { error: min === 1 ? `${name} is required` : `${name} must be at least ${min} characters` })
    .max(max, { error: `${name} must be at most ${max} characters` })
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { error: `${name} must not contain control characters` });
}
