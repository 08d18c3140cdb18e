import { z } from 'zod';
import { assertDemoEnabled } from '@/app/demo/server';
import { setAccessLifetime } from '@/lib/auth/access-lifetime';
import { requireAccess } from '@/lib/http/guard';
import { readJson } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import { tokenBody } from '@/lib/http/session-response';

const schema = z.object({ seconds: z.number({ error: 'seconds must be a number' }).int().positive().max(86_400) });

/**
 * Demo: POST {seconds} with the access token (and its proof) → a new access token with that lifetime (clamped to
 * [5 s, ACCESS_TOKEN_TTL]), the session's lifetime from then on (lib/auth/access-lifetime.ts). 404 unless DEMO_CONTROLS
 * is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDemoEnabled();
    const claims = await requireAccess(request);
    const { seconds } = await readJson(request, schema);
    return json(tokenBody(await setAccessLifetime(claims, seconds)));
  },
});
