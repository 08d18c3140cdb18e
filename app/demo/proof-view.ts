import { decodeForDisplay } from '@/lib/client/jwt-view';

/** A DPoP proof (RFC 9449) decoded for the diagram: what it names, and the public key it carries. */
export interface ProofView {
  jti: string;
  htm: string;
  htu: string;
  /** The htu's path (the diagram's requests are all to this origin). */
  path: string;
  iat: number | null;
  /** base64url(SHA-256(access token)), when the proof presents one. */
  ath: string | null;
  /**
   * The ath as the diagram's token fingerprints are written (its first 8 hex digits): the fingerprint of the token it
   * was made for.
   */
  athPrint: string | null;
  nonce: string | null;
  /** The public key from its header (a JWK). */
  jwk: Record<string, unknown> | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The first 8 hex digits of a base64url value. */
function hexPrefix(base64url: string): string | null {
  try {
    const binary = atob(base64url.slice(0, 8).replace(/-/g, '+').replace(/_/g, '/'));
    return Array.from(binary.slice(0, 4), (char) => char.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

/** Decodes a proof for display (not verification: the server verifies it), or null when it is not a JWT. */
export function proofView(proof: string | undefined): ProofView | null {
  const decoded = proof ? decodeForDisplay(proof) : null;
  if (!decoded) return null;
  const { header, claims } = decoded;
  const htu = text(claims.htu);
  let path = htu;
  try {
    path = new URL(htu).pathname;
  } catch {
    // Not a URL: shown as it is.
  }
  const ath = text(claims.ath) || null;
  return {
    jti: text(claims.jti),
    htm: text(claims.htm),
    htu,
    path,
    iat: typeof claims.iat === 'number' ? claims.iat : null,
    ath,
    athPrint: ath && hexPrefix(ath),
    nonce: text(claims.nonce) || null,
    jwk: typeof header.jwk === 'object' && header.jwk !== null ? (header.jwk as Record<string, unknown>) : null,
  };
}
