// DPoP proofs (RFC 9449) for the benchmark's requests. The server refuses a proof whose jti it has seen, and one whose
// iat is more than DPOP_IAT_WINDOW (60 s) away, so each run gets its own pool, made just before it, one proof a request.
import { generateKeyPair, generateProof } from 'dpop';

/** @typedef {import('dpop').KeyPair} KeyPair */

/** A new key pair, as the browser makes one for a sign-in. */
export const newKey = () => generateKeyPair('ES256');

/**
 * One proof for a request.
 * @param {KeyPair} key @param {string} method @param {string} url origin and path @param {string} [accessToken]
 */
export const proof = (key, method, url, accessToken) => generateProof(key, url, method, undefined, accessToken);

/** Proofs for one endpoint by one key, each handed out once. */
export class ProofPool {
  /** @type {string[]} */
  #proofs = [];

  /**
   * @param {KeyPair} key @param {string} method @param {string} url origin and path
   * @param {string} [accessToken] on API calls: the token the proofs carry the hash of (ath)
   */
  constructor(key, method, url, accessToken) {
    this.key = key;
    this.method = method;
    this.url = url;
    this.accessToken = accessToken;
  }

  /** Replaces whatever is left (too old by a later run) with `count` new proofs. @param {number} count */
  async fill(count) {
    this.#proofs = await Promise.all(
      Array.from({ length: count }, () => proof(this.key, this.method, this.url, this.accessToken)),
    );
  }

  /** The next unused proof. Never runs dry: a side stops its run (maxRequests) before it has used its pool. */
  take() {
    return /** @type {string} */ (this.#proofs.pop());
  }
}
