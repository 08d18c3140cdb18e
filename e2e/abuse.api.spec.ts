import { Api, expect, expectRefreshCookieCleared, now, sealAsServer, signRefreshLike, test } from './api';
import { LIFETIMES, STORE_DOWN } from './servers';

// Abuse and failure cases an adversarial review found: parallel guesses, lost connections, odd ids, a store outage.

test.describe('abuse and failure cases', () => {
  test('per-account throttling holds under concurrency: at most 10 guesses are checked', async ({ api }) => {
    const victim = await api.signUp('burst');
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => api.login(victim.username, `parallel wrong guess ${i}`)),
    );
    const checked = responses.filter((response) => response.status === 401).length;
    expect(responses.every((response) => response.status === 401 || response.status === 429)).toBe(true);
    expect(checked, 'password guesses actually evaluated').toBeLessThanOrEqual(10);
  });

  test('the idle timeout is REFRESH_TOKEN_TTL, not REFRESH_TOKEN_TTL + 5 s of clock leeway', async () => {
    test.skip(test.info().project.name !== 'api-sqlite', 'one store is enough');
    const api = new Api(LIFETIMES.url); // REFRESH_TOKEN_TTL=4
    const session = await api.signUp('idle');
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const response = await api.refresh(session.cookie);
    expect(response.status, response.text).toBe(401);
  });

  test('logout clears the cookie even when the store is down', async () => {
    test.skip(test.info().project.name !== 'api-sqlite', 'one store is enough');
    const api = new Api(STORE_DOWN.url);
    // A well-formed refresh token of this server (it signs with the shared e2e secret): logout has to reach the store.
    const rt = await signRefreshLike({
      iss: 'http://localhost:3000', aud: 'jwt-session-api', sub: crypto.randomUUID(), sid: crypto.randomUUID(),
      jti: crypto.randomUUID(), iat: now(), exp: now() + 600,
    });
    const response = await api.logout(await sealAsServer({ rt }));
    expectRefreshCookieCleared(response);
  });

  test('malformed percent-encoding in a session id is a 4xx, not a bare 500', async ({ api }) => {
    const session = await api.signUp('pct');
    const response = await api.call('DELETE', '/api/auth/sessions/%FF', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(response.status, response.text).toBeLessThan(500);
  });

  test('a NUL byte in a session id is a 404, not a 500 (Postgres)', async ({ api }) => {
    const session = await api.signUp('nul');
    const response = await api.call('DELETE', '/api/auth/sessions/a%00b', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(response.status, response.text).toBe(404);
  });

  test('405 from the Bearer endpoints is no-store like every auth response', async ({ api }) => {
    for (const path of ['/api/auth/password', '/api/auth/sessions/x', '/api/demo/replay', '/api/demo/access-ttl']) {
      const response = await api.call('GET', path);
      expect(response.status, path).toBe(405);
      expect(response.headers.get('cache-control'), path).toContain('no-store');
    }
  });
});
