import 'server-only';
import { cookies, headers } from 'next/headers';
import { isLang, LANG_COOKIE, type Lang } from './lang';

/**
 * The language an `Accept-Language` header prefers among the app's (English, Korean), by quality value; English when
 * it names neither or is missing.
 */
export function preferredLanguage(acceptLanguage: string | null | undefined): Lang {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      return { primary: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter(({ q }) => q > 0)
    // Highest quality first; among equals the header's own order (sort is stable).
    .sort((a, b) => b.q - a.q);
  return (ranked.find(({ primary }) => isLang(primary))?.primary as Lang | undefined) ?? 'en';
}

/**
 * The language to render this request in: the reader's explicit choice (the `lang` cookie), else what the browser
 * asks for. Reading the request makes the page dynamic; the root layout does, so the first render is already in it.
 */
export async function requestLanguage(): Promise<Lang> {
  const chosen = (await cookies()).get(LANG_COOKIE)?.value;
  if (isLang(chosen)) return chosen;
  return preferredLanguage((await headers()).get('accept-language'));
}
