import { afterEach, describe, expect, it, vi } from 'vitest';
import { installTrustedTypesPolicy } from './trusted-types';

type Rules = Record<string, (value: string) => string | null>;

function installed(options?: { dev: boolean }): Rules {
  let rules: Rules = {};
  vi.stubGlobal('location', new URL('https://app.example/dashboard'));
  vi.stubGlobal('trustedTypes', {
    defaultPolicy: null,
    createPolicy: (name: string, given: Rules) => {
      expect(name).toBe('default');
      rules = given;
    },
  });
  installTrustedTypesPolicy(options);
  return rules;
}

describe('the Trusted Types default policy', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lets this origin's bundles load, unchanged, and no other script URL", () => {
    const { createScriptURL } = installed();
    expect(createScriptURL!('/_next/static/chunks/a.js')).toBe('/_next/static/chunks/a.js');
    expect(createScriptURL!('https://app.example/_next/static/chunks/b.js')).toBe(
      'https://app.example/_next/static/chunks/b.js',
    );
    expect(createScriptURL!('https://evil.example/_next/static/chunks/a.js')).toBeNull();
    expect(createScriptURL!('/api/me')).toBeNull();
    expect(createScriptURL!('data:text/javascript,alert(1)')).toBeNull();
  });

  it('refuses all script text and passes HTML unchanged (script-src still governs what HTML could run)', () => {
    const { createScript, createHTML } = installed();
    expect(createScript!('window.stolen = document.cookie')).toBeNull();
    expect(createHTML!('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('lets script text through in development only (hot reloading evaluates strings)', () => {
    expect(installed({ dev: true }).createScript!('module.hot()')).toBe('module.hot()');
    expect(installed({ dev: false }).createScript!('module.hot()')).toBeNull();
  });

  it('does nothing in a browser without Trusted Types', () => {
    vi.stubGlobal('trustedTypes', undefined);
    expect(() => installTrustedTypesPolicy()).not.toThrow();
  });
});
