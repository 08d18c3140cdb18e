import { z } from 'zod';
import { chooseAccessTtl } from '@/lib/auth/demo';
import { verifyAccessToken } from '@/lib/auth/tokens';
import { bearerToken, readJson } from '@/lib/http/request';
import { handle, json, onlyPost } from '@/lib/http/respond';
import { tokenBody } from '@/lib/http/session-response';

const schema = z.object({ seconds: z.number({ error: 'seconds must be a number' }).int().positive().max(86_400) });

/** Demo: POST {seconds} with a Bearer token → a new access token with that lifetime (clamped), kept for the session. */
export const POST = handle(async (request) => {
  const claims = await verifyAccessToken(bearerToken(request));
  const { seconds } = await readJson(request, schema);
  return json(tokenBody(await chooseAccessTtl(claims, seconds)));
});

export { onlyPost as GET, onlyPost as HEAD, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };
