import { describe, expect, test } from 'vitest';
import { DEMO_MESSAGES } from '@/app/demo/messages';
import { isLoginReason, MESSAGES, type Lang } from './i18n';

/** Every dictionary the app renders from: a new one belongs here, so its Korean is checked too. */
const DICTIONARIES: Record<string, Record<Lang, unknown>> = { app: MESSAGES, demo: DEMO_MESSAGES };

/** Every leaf as `path → text`; a function is called with sample arguments, so its text is checked too. */
function leaves(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[`${path}()`, String(value(7, '7', '7'))]];
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${path}.${key}`));
  }
  return [[path, `not text: ${String(value)}`]];
}

const HANGUL = /[\uAC00-\uD7A3]/;
/** Korean values that are rightly not in Hangul. */
const NOT_HANGUL = new Set(['.locale']);

describe.each(Object.entries(DICTIONARIES))('the %s dictionary', (_name, dictionary) => {
  const english = new Map(leaves(dictionary.en, ''));
  const korean = new Map(leaves(dictionary.ko, ''));

  test('has a Korean value for every English key, and no Korean key English lacks', () => {
    expect([...english.keys()].filter((key) => !korean.has(key))).toEqual([]);
    expect([...korean.keys()].filter((key) => !english.has(key))).toEqual([]);
  });

  test('has no empty text in either language', () => {
    const blank = (texts: Map<string, string>) => [...texts].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(blank(english)).toEqual([]);
    expect(blank(korean)).toEqual([]);
  });

  test('says every Korean text in Korean, not English left in place', () => {
    expect([...korean].filter(([key, text]) => !NOT_HANGUL.has(key) && !HANGUL.test(text)).map(([key]) => key)).toEqual([]);
  });
});

describe('the login page reasons', () => {
  test('explains every reason the auth client can end a session with, and nothing else', () => {
    for (const reason of ['signed_out', 'expired', 'max_age', 'revoked', 'password_changed', 'reused', 'missing', 'invalid']) {
      expect(isLoginReason(reason)).toBe(true);
    }
    expect(isLoginReason('toString')).toBe(false);
    expect(isLoginReason(undefined)).toBe(false);
  });

  test('keeps idle timeout and maximum age apart in Korean', () => {
    expect(MESSAGES.ko.reasons.expired).toContain('유휴 시간 초과');
    expect(MESSAGES.ko.reasons.max_age).toContain('최대 수명');
  });
});
