import { z } from 'zod';
import { changePassword, credentialsSchema } from '@/lib/auth/accounts';
import { assertSessionLive } from '@/lib/auth/devices';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import { verifyAccessToken } from '@/lib/auth/tokens';
import { textField } from '@/lib/fields';
import { bearerToken, readJson } from '@/lib/http/request';
import { handle, noContent, onlyPost } from '@/lib/http/respond';

const schema = z.object({
  currentPassword: textField('currentPassword', { max: PASSWORD_MAX_LENGTH }),
  newPassword: credentialsSchema.shape.password,
});

/**
 * POST /api/auth/password {currentPassword, newPassword} (Bearer) → 204; every other session of the user is signed
 * out. 401 invalid_credentials for a wrong current password (throttled like sign-in), 400 for a weak new one.
 */
export const POST = handle(async (request) => {
  const claims = await verifyAccessToken(bearerToken(request));
  await assertSessionLive(claims);
  const { currentPassword, newPassword } = await readJson(request, schema);
  await changePassword(claims, currentPassword, newPassword);
  return noContent();
});

export { onlyPost as GET, onlyPost as HEAD, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };
