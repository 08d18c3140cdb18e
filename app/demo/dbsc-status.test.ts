import { describe, expect, it } from 'vitest';
import type { DeviceView } from './device';
import { dbscStatus } from './dbsc-status';

const view = (fields: Partial<DeviceView>): DeviceView => ({
  offered: true,
  deviceBound: false,
  provedAt: null,
  boundCookieExpiresAt: null,
  renewsAt: null,
  exchanges: [],
  ...fields,
});

describe('the DBSC panel’s status', () => {
  it('is "not offered" when the server runs with DBSC=off, whatever else it reports', () => {
    expect(dbscStatus(view({ offered: false }), 0)).toEqual({ kind: 'notOffered' });
    expect(dbscStatus(view({ offered: false, deviceBound: true }), 0)).toEqual({ kind: 'notOffered' });
  });

  it('is "not registered" when the server offered DBSC and the browser never registered a key', () => {
    expect(dbscStatus(view({}), 0)).toEqual({ kind: 'notRegistered' });
  });

  it('counts whole seconds down to the next renewal of the bound cookie', () => {
    const bound = view({ deviceBound: true, provedAt: 1_000, boundCookieExpiresAt: 601_000, renewsAt: 481_000 });
    expect(dbscStatus(bound, 1_000)).toEqual({ kind: 'bound', renewsAt: 481_000, renewsIn: 480, expiresAt: 601_000 });
    expect(dbscStatus(bound, 480_001)).toMatchObject({ renewsIn: 1 });
  });

  it('says a renewal is due (0 s) once its time has passed, as with a bound cookie shorter than the renewal margin', () => {
    const short = view({ deviceBound: true, provedAt: 1_000, boundCookieExpiresAt: 9_000, renewsAt: 1_000 });
    expect(dbscStatus(short, 5_000)).toMatchObject({ kind: 'bound', renewsIn: 0, renewsAt: 1_000 });
  });
});
