/** The languages the app speaks, shared by the server (which renders in one) and the browser (which switches). */

export type Lang = 'en' | 'ko';

/** The languages offered, in the order the switch shows them. */
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** A plain cookie holding only `en` or `ko`: the reader's explicit choice. Not a token, so scripts may read it. */
export const LANG_COOKIE = 'lang';

/** Narrows a cookie value or attribute to a language this app speaks. */
export function isLang(value: string | undefined | null): value is Lang {
  return value === 'en' || value === 'ko';
}
