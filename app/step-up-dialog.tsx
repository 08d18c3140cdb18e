'use client';

import { useEffect, useState } from 'react';
import { PasskeyError, type ReauthMethod } from '@/lib/client/passkeys';
import type { ReauthOptions } from '@/lib/client/reauth';
import { setStepUpPrompt } from '@/lib/client/step-up';
import { useMessages } from '@/lib/client/use-lang';
import { errorText } from '@/lib/i18n/messages';
import ReauthDialog from './reauth-dialog';

/** The re-authentication code, loaded the first time a change asks for a recent sign-in. */
const reauth = () => import('@/lib/client/reauth');

interface Prompt {
  options: ReauthOptions;
  maxAge: number;
  settle: (reauthenticated: boolean) => void;
}

/**
 * The step-up dialog, mounted once by the root layout: when a call through authFetch is refused with 401
 * `insufficient_user_authentication`, it asks the person for their password or a passkey, re-authenticates the same
 * session (lib/client/reauth.ts), and lets authFetch retry the call. Cancelling leaves the session as it was, and the
 * call's answer is that 401.
 */
export default function StepUpDialog() {
  const words = useMessages();
  const t = words.stepUp;
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      setStepUpPrompt(async (maxAge) => {
        const options = await (await reauth()).reauthOptions().catch(() => null);
        if (!options) return false;
        setError(null);
        return new Promise<boolean>((settle) => setPrompt({ options, maxAge, settle }));
      }),
    [],
  );

  if (!prompt) return null;

  const close = (reauthenticated: boolean) => {
    prompt.settle(reauthenticated);
    setPrompt(null);
  };

  async function onProof(method: ReauthMethod) {
    if (!prompt) return;
    setPending(true);
    setError(null);
    try {
      if (await (await reauth()).reauthenticate(method, prompt.options)) close(true);
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
      intro={t.intro(Math.max(1, Math.round(prompt.maxAge / 60)))}
      hasPassword={prompt.options.password}
      hasPasskeys={prompt.options.passkey !== null}
      pending={pending}
      error={error}
      onProof={onProof}
      onCancel={() => close(false)}
    />
  );
}
