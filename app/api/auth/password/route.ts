import { z } from 'zod';
import { changePassword, credentialsSchema } from '@/lib/auth/accounts';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import { textField } from '@/lib/fields';
import { assertRecentSignIn } from '@/lib/auth/step-up';
import { requireAccess } from '@/lib/http/guard';
import { readJson } from '@/lib/http/request';
import { noContent, route } from '@/lib/http/respond';

const schema = z.object({
  currentPassword: textField('currentPassword', { max: PASSWORD_MAX_LENGTH }),
  newPassword: credentialsSchema.shape.password,
});

/**
 * POST /api/auth/password {currentPassword, newPassword} (token with its proof, live session, a recent sign-in) → 204;
 * every other session of the user is signed out. 401 insufficient_user_authentication past STEP_UP_MAX_AGE (step-up),
 * 401 invalid_credentials for a wrong current password (throttled like sign-in), 400 for a weak new one.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    const claims = await requireAccess(request, { live: true });
    assertRecentSignIn(claims);
    const { currentPassword, newPassword } = await readJson(request, schema);
    await changePassword(claims, currentPassword, newPassword);
    return noContent();
  },
});
