'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { PasskeyError, type ReauthMethod } from '@/lib/client/passkeys';
import { reauthenticate, reauthOptions, type ReauthOptions } from '@/lib/client/reauth';
import { useMessages } from '@/lib/client/use-lang';
import { errorText } from '@/lib/i18n/messages';
import ReauthDialog from './reauth-dialog';

/**
 * The step-up dialog's content (loaded by step-up-dialog.tsx the first time a change asks for a recent sign-in): the
 * re-authentication options of this session, then the dialog — the password, or a passkey when the user has one.
 * `onDone(true)` once the same session holds a new access token; `onDone(false)` when cancelled or when there is no
 * re-authenticating (the options refused).
 */
export default function StepUpPrompt({
  maxAge,
  onDone,
}: {
  maxAge: number;
  onDone: (reauthenticated: boolean) => void;
}) {
  const words = useMessages();
  const t = words.stepUp;
  const [options, setOptions] = useState<ReauthOptions | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finish = useEffectEvent(onDone);

  useEffect(() => {
    let current = true;
    reauthOptions().then(
      (loaded) => current && setOptions(loaded),
      () => current && finish(false),
    );
    return () => {
      current = false;
    };
  }, []);

  if (!options) return null;

  async function onProof(method: ReauthMethod) {
    if (!options) return;
    setPending(true);
    setError(null);
    try {
      if (await reauthenticate(method, options)) onDone(true);
      else setError(words.passkeys.cancelled);
    } catch (failure) {
      setError(
        failure instanceof PasskeyError && failure.code === 'invalid_credentials'
          ? words.passkeys.wrongProof
          : errorText(words, failure),
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <ReauthDialog
      title={t.title}
      intro={t.intro(Math.max(1, Math.round(maxAge / 60)))}
      hasPassword={options.password}
      hasPasskeys={options.passkey !== null}
      pending={pending}
      error={error}
      onProof={onProof}
      onCancel={() => onDone(false)}
    />
  );
}
