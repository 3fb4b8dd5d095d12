import { describe, expect, it } from 'vitest';
import { adminFlag } from '../testing/flags.js';
import { columns, liveOverrideCounts, matches, NO_FILTERS, staleReason } from './boardModel.js';

const now = new Date('2026-12-01T00:00:00.000Z');

describe('staleReason', () => {
  it.each([
    ['TTL passed', adminFlag({ key: 'a', daysRemaining: -3 }), 'TTL passed 3 days ago'],
    ['GA fully on for 40 days', adminFlag({ key: 'b', stage: 'ga', enabled: true, ttlStart: '2026-10-22T00:00:00.000Z' }), 'GA and fully on for 40 days: ready to remove from code'],
    ['GA at 100 % rollout for 30 days', adminFlag({ key: 'c', stage: 'ga', rolloutPercentage: 100, ttlStart: '2026-11-01T00:00:00.000Z' }), 'GA and fully on for 30 days: ready to remove from code'],
    ['GA at 5 %', adminFlag({ key: 'd', stage: 'ga', rolloutPercentage: 5, ttlStart: '2026-01-01T00:00:00.000Z' }), undefined],
    ['GA fully on for 10 days', adminFlag({ key: 'e', stage: 'ga', enabled: true, ttlStart: '2026-11-21T00:00:00.000Z' }), undefined],
    ['beta within its TTL', adminFlag({ key: 'f' }), undefined],
  ])('%s', (_, flag, reason) => {
    expect(staleReason(flag, now)).toBe(reason);
  });
});

describe('columns', () => {
  it('groups by stage, TTL warnings first (soonest first), then stale, then by name', () => {
    const flags = [
      adminFlag({ key: 'zeta', name: 'Zeta', stage: 'alpha' }),
      adminFlag({ key: 'late', name: 'Late', stage: 'alpha', daysRemaining: 12 }),
      adminFlag({ key: 'old', name: 'Old', stage: 'alpha', daysRemaining: -1 }),
      adminFlag({ key: 'alpha', name: 'Alpha', stage: 'alpha' }),
      adminFlag({ key: 'ga', name: 'GA one', stage: 'ga', daysRemaining: 2 }),
    ];
    const board = columns(flags, now);
    expect(board.map((c) => c.stage)).toEqual(['lab', 'alpha', 'beta', 'ga']);
    expect(board[1]!.flags.map((f) => f.key)).toEqual(['old', 'late', 'alpha', 'zeta']);
    // GA carries no TTL warning: the release is done.
    expect(board[3]!.flags.map((f) => f.key)).toEqual(['ga']);
  });
});

describe('matches', () => {
  const flag = adminFlag({ key: 'internal-search', name: 'Internal Search', category: 'search', owner: 'palmer@stagegate.dev', stage: 'alpha' });
  it.each([
    [{ search: 'INTERNAL' }, true],
    [{ search: 'meetings' }, false],
    [{ category: 'search' }, true],
    [{ category: 'agents' }, false],
    [{ owner: 'noxon@stagegate.dev' }, false],
    [{ stage: 'alpha' as const }, true],
    [{ stage: 'beta' as const }, false],
  ])('%o → %s', (filters, expected) => {
    expect(matches(flag, { ...NO_FILTERS, ...filters })).toBe(expected);
  });
});

describe('liveOverrideCounts', () => {
  it('counts overrides in force, not expired ones', () => {
    const base = { userId: 'u', email: 'x@y.dev', enabled: true, reason: 'r', expiresAt: null, createdBy: 'e', createdAt: '', updatedAt: '' };
    const counts = liveOverrideCounts([
      { ...base, flagKey: 'a', expired: false },
      { ...base, flagKey: 'a', expired: true },
      { ...base, flagKey: 'b', expired: false },
    ]);
    expect(Object.fromEntries(counts)).toEqual({ a: 1, b: 1 });
  });
});
