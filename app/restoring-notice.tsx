'use client';

import { useEffect, useState } from 'react';

/**
 * How long a page waits for its session before it says it is restoring one: a refresh that answers within it shows no
 * notice at all. A second, the limit within which a wait still feels like part of the same step.
 */
export const RESTORING_NOTICE_DELAY_MS = 1_000;

/**
 * The status line of a page waiting for its session: empty at first (the server's HTML included), its words shown only
 * once the wait passes RESTORING_NOTICE_DELAY_MS, so a page load whose refresh answers quickly goes straight to the
 * signed-in page without a flash of "restoring".
 */
export default function RestoringNotice({ children }: { children: React.ReactNode }) {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), RESTORING_NOTICE_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <p className="muted" role="status">
      {slow && children}
    </p>
  );
}
