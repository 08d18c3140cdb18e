/**
 * Decodes a JWT's header and claims for display. This is not verification — the browser cannot and need not verify;
 * the server does on every call.
 */
export function decodeForDisplay(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const [header, claims] = token.split('.');
  if (!header || !claims) return null;
  try {
    return { header: JSON.parse(fromBase64Url(header)), claims: JSON.parse(fromBase64Url(claims)) };
  } catch {
    return null;
  }
}

function fromBase64Url(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** A short, non-reversible label for a token, safe to show: the first 8 hex digits of its SHA-256. */
export async function fingerprint(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 4), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
