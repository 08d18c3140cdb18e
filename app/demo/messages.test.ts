import { describe, expect, test } from 'vitest';
import { checkDictionary } from '@/lib/i18n/dictionary-checks';
import { DEMO_MESSAGES } from './messages';

checkDictionary('demo', DEMO_MESSAGES, ['.locale']);

describe('the demo dictionary', () => {
  test('says a duration with its two largest units, leaving out a zero second one', () => {
    expect(DEMO_MESSAGES.en.duration(0)).toBe('0 s');
    expect(DEMO_MESSAGES.en.duration(10)).toBe('10 s');
    expect(DEMO_MESSAGES.en.duration(120)).toBe('2 min');
    expect(DEMO_MESSAGES.en.duration(125)).toBe('2 min 5 s');
    expect(DEMO_MESSAGES.en.duration(7 * 86_400 - 60)).toBe('6 d 23 h');
    expect(DEMO_MESSAGES.ko.duration(120)).toBe('2분');
    expect(DEMO_MESSAGES.ko.duration(90_000)).toBe('1일 1시간');
  });
});
