import { describe, expect, expectTypeOf, test } from 'vitest';
import type { AuthErrorCode } from '@/lib/auth/errors';
import type { HttpErrorCode } from '@/lib/http/errors';
import { isLoginReason, LOGIN_REASONS, type ErrorCode, type RefreshFailure } from '@/lib/protocol';
import { checkDictionary } from './dictionary-checks';
import { errorText, failureText, MESSAGES } from './messages';

checkDictionary('app', MESSAGES, ['.locale']);

describe('the login page reasons', () => {
  test('explain every reason the protocol names, key_lost included, and nothing else', () => {
    for (const lang of ['en', 'ko'] as const) {
      expect(Object.keys(MESSAGES[lang].reasons).sort()).toEqual([...LOGIN_REASONS].sort());
    }
    expect(LOGIN_REASONS).toContain('key_lost');
  });

  test('accepts exactly those reasons from a query string or an answer', () => {
    for (const reason of LOGIN_REASONS) expect(isLoginReason(reason)).toBe(true);
    // A refusal's reason that is not a login page reason (the answer's cause names the reason instead).
    const notReasons: RefreshFailure[] = ['wrong_key', 'wrong_device'];
    for (const value of [...notReasons, 'toString', '__proto__', 'constructor', '', 'SIGNED_OUT', undefined, null, 7]) {
      expect(isLoginReason(value)).toBe(false);
    }
  });

  test('keeps idle timeout and maximum age apart in Korean', () => {
    expect(MESSAGES.ko.reasons.expired).toContain('유휴 시간 초과');
    expect(MESSAGES.ko.reasons.max_age).toContain('최대 수명');
  });
});

describe('the words for errors', () => {
  test('cover every code the server answers with', () => {
    expectTypeOf<
      AuthErrorCode | HttpErrorCode | 'temporarily_unavailable' | 'server_error'
    >().toEqualTypeOf<ErrorCode>();
    expectTypeOf<keyof (typeof MESSAGES)['en']['errors']>().toEqualTypeOf<ErrorCode | 'network'>();
    // The Korean has the same keys: the dictionary checks above.
    expect(Object.keys(MESSAGES.ko.errors).sort()).toEqual(Object.keys(MESSAGES.en.errors).sort());
  });

  test('replace the server’s English message: by code, by refused field, else by status', () => {
    const ko = MESSAGES.ko;
    expect(failureText(ko, { code: 'rate_limited', status: 429 })).toBe(ko.errors.rate_limited);
    expect(failureText(ko, { code: 'temporarily_unavailable', status: 503 })).toBe(ko.errors.temporarily_unavailable);
    expect(failureText(ko, { code: 'invalid_request', status: 400, field: 'username' })).toBe(ko.fields.username);
    expect(failureText(ko, { code: 'invalid_request', status: 400, field: 'toString' })).toBe(
      ko.errors.invalid_request,
    );
    expect(failureText(ko, { code: 'not_a_code', status: 502 })).toBe('요청에 실패했습니다(502).');
    expect(failureText(ko, { code: 'hasOwnProperty', status: 400 })).toBe('요청에 실패했습니다(400).');
    expect(failureText(ko, { status: 500 })).toBe('요청에 실패했습니다(500).');
  });

  test('tell a request that got no answer from one the server refused', () => {
    const ko = MESSAGES.ko;
    expect(errorText(ko, new TypeError('Failed to fetch'))).toBe(ko.errors.network);
    expect(errorText(ko, { status: 0 })).toBe(ko.errors.network);
    expect(errorText(ko, { code: 'invalid_credentials', status: 401 })).toBe(ko.errors.invalid_credentials);
    expect(errorText(ko, { code: 'temporarily_unavailable', status: 503 })).toBe(ko.errors.temporarily_unavailable);
  });
});
