import { describe, expect, it } from 'vitest';
import { AuthError } from '@/lib/auth/errors';
import { StoreUnavailableError } from '@/lib/db/errors';
import { HttpError } from './errors';
import { errorResponse, route } from './respond';

describe('errorResponse', () => {
  it.each([
    [new HttpError('invalid_request', 'x', { field: 'username' }), 400],
    [new HttpError('forbidden', 'x'), 403],
    [new HttpError('payload_too_large', 'x'), 413],
    [new HttpError('unsupported_media_type', 'x'), 415],
    [new AuthError('invalid_credentials', 'x'), 401],
    [new AuthError('invalid_grant', 'x', { reason: 'reused', cause: 'reused' }), 401],
    [new AuthError('not_found', 'x'), 404],
    [new AuthError('username_taken', 'x'), 409],
    [new AuthError('rate_limited', 'x', { retryAfter: 7 }), 429],
  ])('maps %s to %i with a short no-store JSON body carrying the code and detail', async (error, status) => {
    const response = errorResponse(error);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: error.code, message: 'x', ...error.detail });
  });

  it('gives token failures a DPoP challenge (DPOP_MODE=required, the default), and 429 a Retry-After', () => {
    expect(errorResponse(new AuthError('missing_token', 'x')).headers.get('www-authenticate')).toBe(
      'DPoP algs="ES256"',
    );
    expect(errorResponse(new AuthError('token_expired', 'The "token" expired')).headers.get('www-authenticate')).toBe(
      'DPoP algs="ES256", error="invalid_token", error_description="The token expired"',
    );
    expect(errorResponse(new AuthError('rate_limited', 'x', { retryAfter: 7 })).headers.get('retry-after')).toBe('7');
  });

  it('answers a refused proof with 401 and a challenge at the API, with 400 at a token endpoint; a nonce demand carries the nonce', () => {
    const atApi = errorResponse(new AuthError('invalid_dpop_proof', 'bad', {}, { resource: true }));
    expect(atApi.status).toBe(401);
    expect(atApi.headers.get('www-authenticate')).toBe(
      'DPoP algs="ES256", error="invalid_dpop_proof", error_description="bad"',
    );
    const atTokenEndpoint = errorResponse(new AuthError('invalid_dpop_proof', 'bad'));
    expect(atTokenEndpoint.status).toBe(400);
    expect(atTokenEndpoint.headers.get('www-authenticate')).toBeNull();
    const nonce = errorResponse(new AuthError('use_dpop_nonce', 'retry', {}, { resource: true, nonce: 'n1' }));
    expect(nonce.status).toBe(401);
    expect(nonce.headers.get('dpop-nonce')).toBe('n1');
    expect(nonce.headers.get('www-authenticate')).toContain('error="use_dpop_nonce"');
    expect(errorResponse(new AuthError('use_dpop_nonce', 'retry', {}, { nonce: 'n2' })).status).toBe(400);
  });

  it('answers a store failure with 503 and nothing about the store, anything else with a bare 500', async () => {
    const down = errorResponse(new StoreUnavailableError('connect ECONNREFUSED 10.0.0.1:5432'));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(JSON.stringify(await down.json())).not.toContain('ECONNREFUSED');
    const bug = errorResponse(new TypeError('secret detail'));
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({ error: 'server_error', message: 'Something went wrong.' });
  });
});

describe('route', () => {
  it('answers every method it was not given with 405 and one Allow list; HEAD follows GET', async () => {
    const handlers = route({
      GET: async () => new Response('ok'),
      DELETE: async () => new Response(null, { status: 204 }),
    });
    const request = new Request('http://localhost/api/x') as never;
    expect((await handlers.GET(request, undefined)).status).toBe(200);
    expect((await handlers.HEAD(request, undefined)).status).toBe(200);
    for (const method of ['POST', 'PUT', 'PATCH', 'OPTIONS'] as const) {
      const response = await handlers[method](request, undefined);
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow'), method).toBe('GET, HEAD, DELETE');
    }
  });
});
