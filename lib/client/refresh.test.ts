import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { REFRESH_ATTEMPTS, REFRESH_RETRY_BUDGET_MS, REFRESH_TIMEOUT_MS, refreshBackoffMs } from '@/lib/protocol';
import { refresh, TransientAuthError } from './refresh';

/** What the fake server does with one refresh request: never answer (until the client gives up), or answer after `afterMs`. */
type Step = 'no answer' | { afterMs: number; status: number; retryAfter?: number };

let requests: number[] = [];

/** Serves the refresh requests in order from `steps`, on the fake clock. */
function serve(steps: Step[]): void {
  requests = [];
  vi.stubGlobal('fetch', (_path: string, init: RequestInit) => {
    requests.push(Date.now());
    const step = steps.shift() ?? 'no answer';
    return new Promise<Response>((resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      if (step === 'no answer') return;
      const headers = step.retryAfter ? { 'Retry-After': String(step.retryAfter) } : undefined;
      setTimeout(
        () => resolve(Response.json({ error: 'temporarily_unavailable' }, { status: step.status, headers })),
        step.afterMs,
      );
    });
  });
}

/** How long the refresh took (fake milliseconds) before it gave up, and with what. */
async function timeToGiveUp(): Promise<{ elapsed: number; error: unknown }> {
  const start = Date.now();
  let outcome: { elapsed: number; error: unknown } | null = null;
  refresh().catch((error: unknown) => {
    outcome = { elapsed: Date.now() - start, error };
  });
  await vi.advanceTimersByTimeAsync(60_000);
  return outcome!;
}

describe('a refresh that keeps failing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // AbortSignal.timeout runs on a timer of its own: give it the fake clock's.
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms);
      return controller.signal;
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  test('gives up after three unanswered attempts and their back-off: the 27 s budget', async () => {
    serve(['no answer', 'no answer', 'no answer']);
    const { elapsed, error } = await timeToGiveUp();
    expect(error).toBeInstanceOf(TransientAuthError);
    expect(requests).toEqual([0, 9_000, 19_000].map((at) => requests[0]! + at));
    expect(elapsed).toBe(REFRESH_RETRY_BUDGET_MS);
    expect(REFRESH_TIMEOUT_MS * REFRESH_ATTEMPTS + refreshBackoffMs(1) + refreshBackoffMs(2)).toBe(
      REFRESH_RETRY_BUDGET_MS,
    );
  });

  test('counts Retry-After waits against the budget: the last attempt is cut short, never past 27 s', async () => {
    // Unanswered (8 s), 1 s back-off, a late 503 asking for 5 s, then unanswered: 30 s if nothing counted the wait.
    serve(['no answer', { afterMs: 7_900, status: 503, retryAfter: 5 }, 'no answer']);
    const { elapsed, error } = await timeToGiveUp();
    expect(error).toBeInstanceOf(TransientAuthError);
    expect(requests).toHaveLength(3);
    expect(elapsed).toBe(REFRESH_RETRY_BUDGET_MS);
  });

  test('waits as long as Retry-After asks, at most 5 s, before the next attempt', async () => {
    serve([
      { afterMs: 100, status: 429, retryAfter: 2 },
      { afterMs: 100, status: 503, retryAfter: 60 },
      { afterMs: 100, status: 503 },
    ]);
    const { error } = await timeToGiveUp();
    expect((error as TransientAuthError).status).toBe(503);
    expect(requests).toEqual([0, 2_100, 7_200].map((at) => requests[0]! + at));
  });
});
