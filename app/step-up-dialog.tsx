'use client';

import { lazy, Suspense, useEffect, useState } from 'react';
import { setStepUpPrompt } from '@/lib/client/step-up';

/** The dialog's code (and the re-authentication's), loaded the first time a change asks for a recent sign-in. */
const StepUpPrompt = lazy(() => import('./step-up-prompt'));

interface Asked {
  maxAge: number;
  settle: (reauthenticated: boolean) => void;
}

/**
 * The step-up dialog, mounted once by the root layout: when a call through authFetch is refused with 401
 * `insufficient_user_authentication`, it asks the person for their password or a passkey (step-up-prompt.tsx),
 * re-authenticates the same session (lib/client/reauth.ts), and lets authFetch retry the call. Cancelling leaves the
 * session as it was, and the call's answer is that 401. Until asked, it is this small.
 */
export default function StepUpDialog() {
  const [asked, setAsked] = useState<Asked | null>(null);

  useEffect(() => setStepUpPrompt((maxAge) => new Promise((settle) => setAsked({ maxAge, settle }))), []);

  if (!asked) return null;
  const onDone = (reauthenticated: boolean) => {
    asked.settle(reauthenticated);
    setAsked(null);
  };
  return (
    <Suspense fallback={null}>
      <StepUpPrompt maxAge={asked.maxAge} onDone={onDone} />
    </Suspense>
  );
}
