'use client';

import { useEffect } from 'react';

/**
 * Rendered by the root layout when the demo's controls are on: starts the demo's recorder on every page (its code is
 * loaded apart from the page's), so that /demo can draw a sign-in made before the visitor opened it. With the controls
 * off nothing observes the auth client outside /demo.
 */
export default function StartRecording() {
  useEffect(() => {
    void import('./recorder').then(({ startRecording }) => startRecording());
  }, []);
  return null;
}
