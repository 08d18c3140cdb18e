import { describe, expect, test } from 'vitest';
import { preferredLanguage } from './request-language';

describe('the language a request is rendered in', () => {
  test('is Korean when Accept-Language prefers Korean', () => {
    expect(preferredLanguage('ko')).toBe('ko');
    expect(preferredLanguage('ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('ko');
    expect(preferredLanguage('de-DE, ko;q=0.5, fr;q=0.9')).toBe('ko');
  });

  test('follows quality values, not only the order of the header', () => {
    expect(preferredLanguage('en;q=0.4, ko;q=0.8')).toBe('ko');
    expect(preferredLanguage('ko;q=0.4, en-GB')).toBe('en');
    expect(preferredLanguage('ko;q=0, en;q=0.1')).toBe('en');
  });

  test('is English when the header names neither language or is missing', () => {
    expect(preferredLanguage('de, fr;q=0.9')).toBe('en');
    expect(preferredLanguage('*')).toBe('en');
    expect(preferredLanguage('')).toBe('en');
    expect(preferredLanguage(null)).toBe('en');
    expect(preferredLanguage(undefined)).toBe('en');
  });
});
