// Shared with the edge runtime (the middleware reads the refresh cookie): no dependency.
/**
 * An error with a stable code that callers branch on (never on message text), and detail fields that travel into the
 * JSON answer. lib/http/respond.ts maps each code to HTTP in one place.
 */
export class CodedError<Code extends string, Detail extends object> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly detail: Detail = {} as Detail,
  ) {
    super(message);
  }
}
