import { adoptTokens, authFetch } from '@/lib/client/auth-client';
import { newKey, proofFor } from '@/lib/client/dpop';
import { ACCOUNT_API, DPOP_HEADER, type ErrorBody, type TokenBody } from '@/lib/protocol';
import type { ReceivedViolation } from '@/lib/http/csp-report';
import { DEMO_API } from './paths';
import { demoFetch } from './recorder';

export type LifetimeResult = { ok: true; expiresIn: number } | { ok: false; status: number };

/** Asks for access tokens of `seconds` lifetime for this session (clamped by the server) and adopts the first one. */
export async function chooseAccessTtl(seconds: number): Promise<LifetimeResult> {
  const response = await authFetch(DEMO_API.accessTtl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  if (!response.ok) return { ok: false, status: response.status };
  const body = (await response.json()) as TokenBody;
  adoptTokens(body);
  return { ok: true, expiresIn: body.expiresIn };
}

export type ReplayResult =
  | { outcome: 'reused' }
  | { outcome: 'no_previous_token' }
  | { outcome: 'grace_window'; retryAfter: number }
  | { outcome: 'off' }
  | { outcome: 'failed'; status: number };

/** Asks the server to present this session's previous, already-rotated refresh token to the real refresh logic. */
export async function replayOldRefreshToken(): Promise<ReplayResult> {
  const response = await authFetch(DEMO_API.replay, { method: 'POST' });
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
  if (response.status === 401 && body.reason === 'reused') return { outcome: 'reused' };
  if (response.status === 409 && body.error === 'no_previous_token') return { outcome: 'no_previous_token' };
  if (response.status === 409 && body.error === 'grace_window')
    return { outcome: 'grace_window', retryAfter: Math.max(1, body.retryAfter ?? 1) };
  if (response.status === 404) return { outcome: 'off' };
  return { outcome: 'failed', status: response.status };
}

/** How the API answered one request: its status and, when refused, the error code. */
export interface Answer {
  status: number;
  error: string | null;
}

const answerOf = async (response: Response): Promise<Answer> => ({
  status: response.status,
  error: ((await response.json().catch(() => ({}))) as Partial<ErrorBody>).error ?? null,
});

/**
 * Sends `token` to the API as someone who copied it out of the page would: with a proof by a throwaway key of their
 * own, then as a Bearer token (neither with this browser's key, nor with its cookies).
 */
export async function sendTokenWithoutKey(token: string): Promise<{ foreignProof: Answer; bearer: Answer }> {
  const proof = await proofFor(await newKey(), 'GET', ACCOUNT_API.me, token);
  const request = (authorization: string, headers: Record<string, string> = {}): RequestInit => ({
    headers: { Authorization: authorization, ...headers },
    credentials: 'omit',
    cache: 'no-store',
  });
  const foreignProof = await demoFetch(ACCOUNT_API.me, request(`DPoP ${token}`, { [DPOP_HEADER]: proof }), {
    sentToken: token,
    proof,
  });
  const bearer = await demoFetch(ACCOUNT_API.me, request(`Bearer ${token}`), { sentToken: token });
  return { foreignProof: await answerOf(foreignProof), bearer: await answerOf(bearer) };
}

export type OtherDeviceResult =
  | { outcome: 'refused'; reason: string }
  | { outcome: 'not_key_bound' }
  | { outcome: 'off' }
  | { outcome: 'failed'; status: number };

/** Asks the server to present this session's refresh cookie as another device would, with a proof by its own key. */
export async function presentCookieFromAnotherDevice(): Promise<OtherDeviceResult> {
  const response = await authFetch(DEMO_API.otherDevice, { method: 'POST' });
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
  if (response.status === 401 && body.error === 'invalid_grant' && body.reason)
    return { outcome: 'refused', reason: body.reason };
  if (response.status === 409 && body.error === 'not_key_bound') return { outcome: 'not_key_bound' };
  if (response.status === 404) return { outcome: 'off' };
  return { outcome: 'failed', status: response.status };
}

/** The violations the server last received at its report endpoint (GET /api/demo/csp-reports); null when it is off. */
export async function receivedViolations(): Promise<readonly ReceivedViolation[] | null> {
  // Plain fetch, no token: the endpoint needs none, and its polling is not one of the session's exchanges.
  const response = await fetch(DEMO_API.cspReports, { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) return null;
  return ((await response.json()) as { violations: ReceivedViolation[] }).violations;
}
