import { describe, expect, test } from 'vitest';
import type { Lang } from './lang';

/**
 * The checks every dictionary's unit test runs (lib/i18n/messages.test.ts, app/demo/messages.test.ts): the same keys
 * in both languages, no blank text, and no English left in the Korean. Imported by tests only.
 */

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

/**
 * Registers the checks for `dictionary`. `notHangul` lists the Korean keys rightly written without Hangul (a locale
 * tag, a code): every other Korean text must contain Hangul and differ from its English.
 */
export function checkDictionary(
  name: string,
  dictionary: Record<Lang, unknown>,
  notHangul: readonly string[] = [],
): void {
  describe(`the ${name} dictionary`, () => {
    const english = new Map(leaves(dictionary.en, ''));
    const korean = new Map(leaves(dictionary.ko, ''));

    test('has a Korean value for every English key, and no Korean key English lacks', () => {
      expect([...english.keys()].filter((key) => !korean.has(key))).toEqual([]);
      expect([...korean.keys()].filter((key) => !english.has(key))).toEqual([]);
    });

    test('has no empty text in either language', () => {
      const blank = (texts: Map<string, string>) =>
        [...texts].filter(([, text]) => text.trim() === '').map(([key]) => key);
      expect(blank(english)).toEqual([]);
      expect(blank(korean)).toEqual([]);
    });

    test('says every Korean text in Korean: none without Hangul, none the same as its English', () => {
      const untranslated = [...korean]
        .filter(([key, text]) => !notHangul.includes(key) && (!HANGUL.test(text) || text === english.get(key)))
        .map(([key]) => key);
      expect(untranslated).toEqual([]);
    });
  });
}
