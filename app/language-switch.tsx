'use client';

import { MESSAGES } from '@/lib/i18n/messages';
import { LANGS } from '@/lib/i18n/lang';
import { useLang } from '@/lib/client/use-lang';

/** English / 한국어: each option named in its own language, so a reader finds theirs whatever the page is in. */
export default function LanguageSwitch() {
  const { lang, choose } = useLang();
  return (
    <div className="segmented" role="group" aria-label={MESSAGES[lang].languageLabel}>
      {LANGS.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className={option === lang ? 'small' : 'small secondary'}
          aria-pressed={option === lang}
          onClick={() => choose(option)}
        >
          {MESSAGES[option].languageName}
        </button>
      ))}
    </div>
  );
}
