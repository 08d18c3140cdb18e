'use client';

import { useEffect } from 'react';

/**
 * Renders nothing; from its first page on, the auth client keeps its last exchanges (keepExchangeHistory), so that an
 * observer mounted on a later page hears of a sign-in made before it. Its code loads apart from the page's.
 */
export default function KeepExchangeHistory() {
  useEffect(() => {
    void import('./exchanges').then(({ keepExchangeHistory }) => keepExchangeHistory());
  }, []);
  return null;
}
