import { adoptTokens, authFetch } from '@/lib/client/auth-client';
import type { ErrorBody, TokenBody } from '@/lib/protocol';
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
  const response = await demoFetch(DEMO_API.replay, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
  if (response.status === 401 && body.reason === 'reused') return { outcome: 'reused' };
  if (response.status === 409 && body.error === 'no_previous_token') return { outcome: 'no_previous_token' };
  if (response.status === 409 && body.error === 'grace_window') return { outcome: 'grace_window', retryAfter: Math.max(1, body.retryAfter ?? 1) };
  if (response.status === 404) return { outcome: 'off' };
  return { outcome: 'failed', status: response.status };
}
