import { describe, expect, it } from 'vitest';
import { readSignedValue, signValue } from './signed-value';

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** The same value with one character of its MAC changed (keeping it base64url). */
function alterMac(value: string, at: number): string {
  const i = value.lastIndexOf('.') + 1 + at;
  return value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
}

describe('signed values', () => {
  it('read back what was signed, for the same label and subject, until they expire', async () => {
    const expiresAt = inAnHour();
    const value = await signValue('dbsc-challenge', { subject: 'session-1', payload: 'abc_-9', expiresAt });
    expect(await readSignedValue('dbsc-challenge', value, { subject: 'session-1' })).toEqual({
      expiresAt,
      payload: 'abc_-9',
    });
    expect(
      await readSignedValue('dbsc-challenge', value, { subject: 'session-1', now: new Date(expiresAt * 1000) }),
    ).toBeNull();
  });

  it('are refused for another subject or another label, though the key material is the same secret', async () => {
    const value = await signValue('dbsc-bound-cookie', { subject: 'session-1', expiresAt: inAnHour() });
    expect(await readSignedValue('dbsc-bound-cookie', value, { subject: 'session-2' })).toBeNull();
    expect(await readSignedValue('dbsc-bound-cookie', value)).toBeNull();
    expect(await readSignedValue('dbsc-challenge', value, { subject: 'session-1' })).toBeNull();
    expect(await readSignedValue('dpop-nonce', value, { subject: 'session-1' })).toBeNull();
  });

  it('are refused when any part is altered: expiry, payload, MAC, or the MAC spelled with other spare bits', async () => {
    const expiresAt = inAnHour();
    const value = await signValue('dpop-nonce', { payload: 'x', expiresAt });
    const [expiry, , mac] = value.split('.') as [string, string, string];
    const refused = [
      `${(expiresAt + 3600).toString(36)}.x.${mac}`,
      `${expiry}.y.${mac}`,
      `${expiry}..${mac}`,
      `0${expiry}.x.${mac}`,
      alterMac(value, 0),
      alterMac(value, 42),
      `${expiry}.x.${'A'.repeat(43)}`,
      `${expiry}.x.${mac.slice(0, 22)}`,
      `${value}.`,
      'garbage',
      '',
    ];
    for (const candidate of refused) expect(await readSignedValue('dpop-nonce', candidate), candidate).toBeNull();
    for (const candidate of [undefined, null, 42, {}])
      expect(await readSignedValue('dpop-nonce', candidate)).toBeNull();
  });

  it('are deterministic: a nonce is the same for its whole window', async () => {
    const expiresAt = inAnHour();
    expect(await signValue('dpop-nonce', { expiresAt })).toBe(await signValue('dpop-nonce', { expiresAt }));
  });

  it('refuse bad usage loudly: a payload that is not base64url, an expiry that is not whole seconds', async () => {
    await expect(signValue('dpop-nonce', { payload: 'a.b', expiresAt: inAnHour() })).rejects.toThrow(
      /jwt-session-reference: Bad usage/,
    );
    await expect(signValue('dpop-nonce', { expiresAt: 1.5 })).rejects.toThrow(/Bad usage/);
  });
});
