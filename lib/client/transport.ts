import { DPOP_HEADER, type ErrorBody } from '@/lib/protocol';
import { learnNonce, proofFor } from './dpop';
import { observedFetch, type ExchangeInfo } from './exchanges';

/**
 * How the auth client sends a request that uses a credential: with a DPoP proof by this browser's key (dpop.ts), bound
 * to the access token when one is sent, and once more with the server's nonce when it demands one. Every request is
 * reported to the exchange observers (exchanges.ts).
 */

/** A same-origin JSON POST that no cache may answer: the token endpoints' requests. */
export const JSON_POST: RequestInit = {
  method: 'POST',
  credentials: 'same-origin',
  headers: { 'Content-Type': 'application/json' },
  cache: 'no-store',
};

/** A failed answer's body, read from a copy (the caller may still read the response); `{}` when it is not JSON. */
export const errorOf = async (response: Response): Promise<Partial<ErrorBody>> =>
  (await response
    .clone()
    .json()
    .catch(() => ({}))) as Partial<ErrorBody>;

/**
 * Sends a request with a DPoP proof by `pair` (none when null), bound to `token` when one is sent, and sends it once
 * more, with the nonce, when the server demands one (400 at the token endpoints, 401 at the API).
 */
export async function sendWithProof(
  path: string,
  init: RequestInit,
  info: Pick<ExchangeInfo, 'kind' | 'retry' | 'early'>,
  pair: CryptoKeyPair | null,
  token?: string,
): Promise<Response> {
  const method = init.method ?? 'GET';
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers(init.headers);
    const proof = pair ? await proofFor(pair, method, path, token) : undefined;
    if (proof) headers.set(DPOP_HEADER, proof);
    if (token) headers.set('Authorization', `${proof ? 'DPoP' : 'Bearer'} ${token}`);
    const response = await observedFetch(
      path,
      { ...init, headers },
      { ...info, sentToken: token, proof, retry: info.retry || attempt > 0 },
    );
    if (!learnNonce(response) || attempt > 0 || (await errorOf(response)).error !== 'use_dpop_nonce') return response;
  }
}
