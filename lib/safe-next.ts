// Shared with the edge runtime (the page guard) and the login page: a pure function.
/** Where to send a user after sign-in when nothing (or nothing safe) was asked for. */
export const DEFAULT_AFTER_LOGIN = '/dashboard';

/**
 * The `next` parameter, honoured only when it is a same-site relative path ("/sessions?x=1"); anything else —
 * absolute URLs, protocol-relative "//evil", backslash tricks, the login page itself — gives the dashboard.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 512 || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) {
    return DEFAULT_AFTER_LOGIN;
  }
  try {
    const base = 'http://same.invalid';
    const url = new URL(next, base);
    // Resolving dot segments can turn "/.//evil.example" into "//evil.example": judge the result, not the input.
    if (url.origin !== base || url.pathname.startsWith('//') || url.pathname === '/login') return DEFAULT_AFTER_LOGIN;
    return url.pathname + url.search + url.hash;
  } catch {
    return DEFAULT_AFTER_LOGIN;
  }
}
