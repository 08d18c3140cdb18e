'use client';

import { useRouter } from 'next/navigation';
import { createContext, useContext, useState } from 'react';
import { MESSAGES, type Messages } from '@/lib/i18n/messages';
import { LANG_COOKIE, type Lang } from '@/lib/i18n/lang';

const LangContext = createContext<{ lang: Lang; choose: (lang: Lang) => void } | null>(null);

/** A year: an explicit choice outlives the session, like any display preference. */
const CHOICE_MAX_AGE = 365 * 24 * 3600;

/**
 * Gives client components the language the server rendered in (so the first render matches it: no flash of English),
 * and lets the reader choose another: remembered in the `lang` cookie, applied here at once, and re-rendered on the
 * server (router.refresh) for the parts it renders — the client state of the page is kept.
 */
export function LangProvider({ lang: rendered, children }: { lang: Lang; children: React.ReactNode }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<Lang | null>(null);
  const choose = (lang: Lang) => {
    document.cookie = `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${CHOICE_MAX_AGE}; SameSite=Lax`;
    document.documentElement.lang = lang;
    setChosen(lang);
    router.refresh();
  };
  return <LangContext value={{ lang: chosen ?? rendered, choose }}>{children}</LangContext>;
}

function useLangContext() {
  const context = useContext(LangContext);
  if (!context)
    throw new Error('jwt-session-reference: useLang() needs a <LangProvider> (the root layout renders one).');
  return context;
}

/** The page's language, and a function to choose another. */
export function useLang(): { lang: Lang; choose: (lang: Lang) => void } {
  return useLangContext();
}

/** The app's words in the page's language. */
export function useMessages(): Messages {
  return MESSAGES[useLangContext().lang];
}
