import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_LOGIN, safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps same-site relative paths with their query and fragment', () => {
    expect(safeNext('/sessions')).toBe('/sessions');
    expect(safeNext('/demo?x=1#top')).toBe('/demo?x=1#top');
  });

  it.each([
    null,
    undefined,
    '',
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/.//evil.example',
    'javascript:alert(1)',
    '/login',
    '/login?next=/x',
    '/ space',
    '/' + 'a'.repeat(600),
  ])('sends %s to the dashboard', (next) => {
    expect(safeNext(next)).toBe(DEFAULT_AFTER_LOGIN);
  });
});
