import { useEffect, useState } from 'react';
import { fingerprint } from '@/lib/client/jwt-view';

/** Fingerprints by token; bounded, since an auto-calling page meets a new token every few seconds. */
const cache = new Map<string, string>();
const CACHE_SIZE = 200;

/** A token's short fingerprint (computed asynchronously with Web Crypto, then remembered), or null until it is ready. */
export function useFingerprint(token: string | undefined): string | null {
  const [computed, setComputed] = useState<{ token: string; print: string } | null>(null);
  useEffect(() => {
    if (!token || cache.has(token)) return;
    let live = true;
    fingerprint(token).then((print) => {
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(token, print);
      if (live) setComputed({ token, print });
    });
    return () => {
      live = false;
    };
  }, [token]);
  if (!token) return null;
  return cache.get(token) ?? (computed?.token === token ? computed.print : null);
}
