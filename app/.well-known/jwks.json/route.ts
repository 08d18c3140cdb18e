import { NextResponse } from 'next/server';
import { getAccessKeys } from '@/lib/auth/keys';
import { route } from '@/lib/http/respond';

/**
 * GET /.well-known/jwks.json → the public keys that verify our access tokens: the signing key and those still listed
 * for verification during a rotation. Another service can verify our tokens with it, without our secrets. Empty with
 * JWT_ALG=HS256 (a shared secret is never published).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: async () => {
    const { publicJwks } = await getAccessKeys();
    return NextResponse.json(
      { keys: publicJwks },
      { headers: { 'Cache-Control': 'public, max-age=300, stale-while-revalidate=3600' } },
    );
  },
});

export const dynamic = 'force-dynamic';
