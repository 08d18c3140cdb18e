import { describe, expect, test } from 'vitest';
import { detectLanguage, MESSAGES } from './i18n';

describe('the demo dictionary', () => {
  test('starts in Korean only when the browser prefers Korean', () => {
    expect(detectLanguage('ko')).toBe('ko');
    expect(detectLanguage('ko-KR')).toBe('ko');
    expect(detectLanguage('en-US')).toBe('en');
    expect(detectLanguage('de')).toBe('en');
    expect(detectLanguage(undefined)).toBe('en');
  });

  test('says a duration with its two largest units, leaving out a zero second one', () => {
    expect(MESSAGES.en.duration(0)).toBe('0 s');
    expect(MESSAGES.en.duration(10)).toBe('10 s');
    expect(MESSAGES.en.duration(120)).toBe('2 min');
    expect(MESSAGES.en.duration(125)).toBe('2 min 5 s');
    expect(MESSAGES.en.duration(7 * 86_400 - 60)).toBe('6 d 23 h');
    expect(MESSAGES.ko.duration(120)).toBe('2분');
    expect(MESSAGES.ko.duration(90_000)).toBe('1일 1시간');
  });

  test('has no empty explanation in either language', () => {
    const blanks = (value: unknown, path: string): string[] =>
      typeof value === 'string'
        ? value.trim() === '' ? [path] : []
        : typeof value === 'object' && value !== null
          ? Object.entries(value).flatMap(([key, inner]) => blanks(inner, `${path}.${key}`))
          : [];
    expect(blanks(MESSAGES.en, 'en')).toEqual([]);
    expect(blanks(MESSAGES.ko, 'ko')).toEqual([]);
  });
});
