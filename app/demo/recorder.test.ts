import { describe, expect, it } from 'vitest';
import { recentAuthEvents, recordDbscExchanges } from './recorder';

describe("the recorder's DBSC requests", () => {
  it('records each request the server reports once, however many reports repeat it', () => {
    const registered = { kind: 'registered', path: '/api/auth/dbsc/register', at: 1_000 } as const;
    const refreshed = { kind: 'refreshed', path: '/api/auth/dbsc/refresh', at: 9_000 } as const;
    recordDbscExchanges([registered]);
    const afterFirst = recentAuthEvents();
    recordDbscExchanges([registered]);
    // Nothing new: the same snapshot, so React does not render again.
    expect(recentAuthEvents()).toBe(afterFirst);
    recordDbscExchanges([registered, refreshed]);
    expect(recentAuthEvents().map((event) => [event.kind, 'outcome' in event && event.outcome, event.at])).toEqual([
      ['dbsc', 'registered', 1_000],
      ['dbsc', 'refreshed', 9_000],
    ]);
  });
});
