import { generateProof } from 'dpop';
import { DPOP_NONCE_HEADER } from '@/lib/protocol';

/**
 * The browser's DPoP key (RFC 9449) and the proofs it signs. The key pair is made with WebCrypto, its private half
 * non-extractable: scripts in the page (an XSS payload included) can ask it to sign, never read it. It is kept in
 * IndexedDB (a CryptoKey survives structured cloning), so reloads and every tab of this origin use the same key.
 * Where IndexedDB refuses it (private modes, Lockdown Mode: DataCloneError) it lives in this tab's memory only, and the
 * session ends with the tab.
 */

const DATABASE = 'jwt-session';
const STORE = 'keys';
const KEY_ID = 'dpop';

function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DATABASE, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      try {
        const transaction = db.transaction(STORE, mode);
        const request = run(transaction.objectStore(STORE));
        // A read is done when its request succeeds (a page load waits for it), a write once its transaction commits.
        if (mode === 'readonly') request.onsuccess = () => resolve(request.result);
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = transaction.onabort = () => reject(transaction.error ?? request.error);
      } catch (error) {
        reject(error);
      } finally {
        db.close();
      }
    };
  });
}

let current: Promise<CryptoKeyPair | null> | null = null;

/** The stored key pair, or null when there is none (never signed in here, or the key was lost). Read once, then kept. */
export function loadKey(): Promise<CryptoKeyPair | null> {
  current ??= withStore<CryptoKeyPair | undefined>('readonly', (store) => store.get(KEY_ID)).then(
    (pair) => pair ?? null,
    () => null,
  );
  return current;
}

/** A fresh key pair for a sign-in (not stored until the sign-in succeeds: a failed one must not replace the key). */
export const newKey = (): Promise<CryptoKeyPair> =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;

/**
 * Keeps the key of a successful sign-in: in IndexedDB for every tab, or, when storage refuses it, in this tab's memory
 * (and the previous sign-in's key is deleted, so no tab signs with a key the new session is not bound to).
 */
export async function keepKey(pair: CryptoKeyPair): Promise<void> {
  current = Promise.resolve(pair);
  await withStore('readwrite', (store) => store.put(pair, KEY_ID)).catch(() =>
    withStore('readwrite', (store) => store.delete(KEY_ID)).catch(() => undefined),
  );
}

/** Reads the key again on next use: another tab signed in with a new one. */
export function reloadKey(): void {
  current = null;
}

/** Deletes the key (sign-out): tokens bound to it are worthless from now on. */
export async function dropKey(): Promise<void> {
  current = Promise.resolve(null);
  await withStore('readwrite', (store) => store.delete(KEY_ID)).catch(() => undefined);
}

let nonce: string | undefined;

/** Remembers the server's latest nonce (RFC 9449 §8), if the response carries one; true when it did. */
export function learnNonce(response: Response): boolean {
  const sent = response.headers.get(DPOP_NONCE_HEADER);
  if (sent) nonce = sent;
  return Boolean(sent);
}

/** A proof for one request: htm, htu (this origin and the path; no query or fragment), the nonce, ath for a token. */
export function proofFor(pair: CryptoKeyPair, method: string, path: string, accessToken?: string): Promise<string> {
  const url = new URL(path, location.href);
  return generateProof(pair, url.origin + url.pathname, method, nonce, accessToken);
}
