import { expect } from '@playwright/test';
import { decodeJwt } from 'jose';
import type { ApiResponse, ErrorBody, TokenBody } from './api';
import { now } from './helpers';

/** Assertions the *.api.spec.ts suites share: the token answer of the contract, the refresh cookie, error answers. */

export function expectNoStore(response: ApiResponse): void {
  expect(response.headers.get('cache-control'), 'Cache-Control').toMatch(/(^|,\s*)no-store(\s*,|$)/);
}

/**
 * A 2xx sign-in/refresh answer: the token body of the contract, no-store, and a fresh refresh cookie. From a DPoP server
 * a DPoP token bound to the key that signed the request's proof (cnf.jkt); else a Bearer token bound to nothing.
 */
export function expectTokenResponse(response: ApiResponse, status: number, username?: string): TokenBody {
  expect(response.status, response.text).toBe(status);
  expectNoStore(response);
  const body = response.json as TokenBody;
  const tokenType = response.dpop ? 'DPoP' : 'Bearer';
  expect(body).toMatchObject({ accessToken: expect.any(String), tokenType, expiresIn: expect.any(Number) });
  expect(Object.keys(body.user).sort()).toEqual(['id', 'username']);
  if (username) expect(body.user.username).toBe(username);
  const claims = decodeJwt(body.accessToken);
  expect(claims.sub).toBe(body.user.id);
  if (response.dpop) expect(claims.cnf, "cnf: the thumbprint of the proof's key").toEqual({ jkt: response.jkt });
  else expect(claims, 'no cnf on a Bearer token').not.toHaveProperty('cnf');
  expect(Math.abs(body.expiresIn - (claims.exp! - now()))).toBeLessThanOrEqual(2);
  expect(body.expiresIn).toBeGreaterThan(0);
  expectRefreshCookieSet(response);
  return body;
}

/** The refresh cookie is set with every protective attribute (`__Host-` rules: Secure, Path=/, no Domain). */
export function expectRefreshCookieSet(response: ApiResponse): void {
  const cookie = response.cookie;
  expect(cookie, 'a Set-Cookie for the refresh cookie').not.toBeNull();
  expect(cookie!.value.length).toBeGreaterThan(0);
  expect(cookie!.attributes).toHaveProperty('httponly');
  expect(cookie!.attributes).toHaveProperty('secure');
  expect(cookie!.attributes.path).toBe('/');
  expect(cookie!.attributes.samesite?.toLowerCase()).toMatch(/^(lax|strict)$/);
  expect(cookie!.attributes).not.toHaveProperty('domain');
  expect(Number(cookie!.attributes['max-age'])).toBeGreaterThan(0);
}

/** The refresh cookie is expired on the client (Max-Age=0, empty value). */
export function expectRefreshCookieCleared(response: ApiResponse): void {
  expect(response.cookie, 'a Set-Cookie clearing the refresh cookie').not.toBeNull();
  expect(response.cookie!.value).toBe('');
  expect(response.cookie!.attributes['max-age']).toBe('0');
  expect(response.cookie!.attributes.path).toBe('/');
  expect(response.cookie!.attributes).toHaveProperty('secure');
}

/** 401 invalid_grant with the given reason (or one of several), the cookie cleared, no-store. */
export function expectInvalidGrant(response: ApiResponse, reason: string | string[]): void {
  expect(response.status, response.text).toBe(401);
  expectNoStore(response);
  const body = response.json as ErrorBody;
  expect(body.error).toBe('invalid_grant');
  if (Array.isArray(reason)) expect(reason).toContain(body.reason);
  else expect(body.reason).toBe(reason);
  expectRefreshCookieCleared(response);
}

/** An error answer: status, body code, no-store, and the refresh cookie left alone. */
export function expectError(response: ApiResponse, status: number, code: string): ErrorBody {
  expect(response.status, response.text).toBe(status);
  expectNoStore(response);
  const body = response.json as ErrorBody;
  expect(body?.error, response.text).toBe(code);
  // Neither set nor cleared: a refused request (a cross-site one above all) must not touch the session cookie.
  expect(response.cookie, 'no Set-Cookie for the refresh cookie').toBeNull();
  return body;
}
