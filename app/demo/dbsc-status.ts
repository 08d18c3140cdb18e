import type { DeviceView } from './device';

/** What the demo's DBSC panel says about the session's DBSC binding. */
export type DbscStatus =
  | { kind: 'notOffered' }
  | { kind: 'notRegistered' }
  | {
      kind: 'bound';
      /** When the bound cookie renews next (epoch ms), and in how many whole seconds: 0 once it is due. */
      renewsAt: number | null;
      renewsIn: number | null;
      expiresAt: number | null;
    };

/**
 * The status of the server's report at `now` (epoch ms): not offered (DBSC=off), offered but not registered (a browser
 * without DBSC), or bound with the time left until the browser renews its bound cookie.
 */
export function dbscStatus(view: DeviceView, now: number): DbscStatus {
  if (!view.offered) return { kind: 'notOffered' };
  if (!view.deviceBound) return { kind: 'notRegistered' };
  const renewsIn = view.renewsAt === null ? null : Math.max(0, Math.ceil((view.renewsAt - now) / 1000));
  return { kind: 'bound', renewsAt: view.renewsAt, renewsIn, expiresAt: view.boundCookieExpiresAt };
}
