import { describe, expect, it } from 'vitest';
import { daysRemaining, ttlWarnings } from './lifecycle.js';
import type { FlagDefinition } from './schema.js';
import { TEST_NOW as NOW, makeFlag } from './testing.js';

const DAY = 86_400_000;
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);

describe('daysRemaining', () => {
  // TTL of 30 days from NOW: it ends at NOW + 30 days.
  const flag = { ttlStart: NOW, ttlDays: 30 };
  const end = NOW.getTime() + 30 * DAY;

  it.each([
    ['on the day the TTL starts', NOW, 30],
    ['a day before the TTL starts', at(-DAY), 31],
    ['exactly one day before the end', new Date(end - DAY), 1],
    ['36 hours before the end (whole days only)', new Date(end - 1.5 * DAY), 1],
    ['1 ms before the end', new Date(end - 1), 0],
    ['exactly at the end', new Date(end), 0],
    ['1 ms after the end', new Date(end + 1), -1],
    ['exactly one day after the end', new Date(end + DAY), -1],
    ['one day and 1 ms after the end', new Date(end + DAY + 1), -2],
    ['ten days after the end', new Date(end + 10 * DAY), -10],
  ])('%s → %s', (_label, now, expected) => {
    expect(daysRemaining(flag, now)).toBe(expected);
  });
});

describe('ttlWarnings', () => {
  /** A flag whose TTL ends `days` days after NOW (negative: ended that long ago). */
  const endingIn = (days: number, partial: Partial<FlagDefinition>): FlagDefinition =>
    makeFlag({ ttlStart: at(days * DAY - 30 * DAY), ttlDays: 30, ...partial });

  const flags = [
    endingIn(3, { key: 'search-v2', name: 'Search v2', stage: 'beta', owner: 'search@example.com' }),
    endingIn(14, { key: 'dark-mode', stage: 'alpha' }),
    endingIn(15, { key: 'ai-summary', stage: 'lab' }),
    endingIn(-2, { key: 'old-export', stage: 'beta' }),
    endingIn(1, { key: 'shipped', stage: 'ga' }),
    endingIn(1, { key: 'retired', stage: 'beta', archived: true }),
    endingIn(3, { key: 'bulk-edit', stage: 'alpha' }),
    endingIn(0, { key: 'ends-today', stage: 'lab' }),
  ];
  const keys = (warnings: ReturnType<typeof ttlWarnings>): string[] => warnings.map((w) => w.key);

  it('lists flags not yet GA ending within 14 days or already passed, soonest first, ties by key', () => {
    expect(keys(ttlWarnings(flags, NOW))).toEqual(['old-export', 'ends-today', 'bulk-edit', 'search-v2', 'dark-mode']);
  });

  it('reports who owns the flag and how many days it has left', () => {
    expect(ttlWarnings(flags, NOW).find((w) => w.key === 'search-v2')).toEqual({
      key: 'search-v2',
      name: 'Search v2',
      stage: 'beta',
      owner: 'search@example.com',
      daysRemaining: 3,
    });
    expect(ttlWarnings(flags, NOW).find((w) => w.key === 'old-export')?.daysRemaining).toBe(-2);
  });

  it('leaves out GA and archived flags however close their TTL', () => {
    const warned = keys(ttlWarnings(flags, NOW, 365));
    expect(warned).not.toContain('shipped');
    expect(warned).not.toContain('retired');
    expect(warned).toContain('ai-summary');
  });

  it.each([
    [15, ['old-export', 'ends-today', 'bulk-edit', 'search-v2', 'dark-mode', 'ai-summary']],
    [3, ['old-export', 'ends-today', 'bulk-edit', 'search-v2']],
    [2, ['old-export', 'ends-today']],
    [0, ['old-export', 'ends-today']],
    [-1, ['old-export']],
    [-3, []],
  ])('withinDays %s', (withinDays, expected) => {
    expect(keys(ttlWarnings(flags, NOW, withinDays))).toEqual(expected);
  });

  it('does not reorder the caller’s array', () => {
    const before = flags.map((flag) => flag.key);
    ttlWarnings(flags, NOW);
    expect(flags.map((flag) => flag.key)).toEqual(before);
  });

  it('returns nothing for no flags', () => {
    expect(ttlWarnings([], NOW)).toEqual([]);
  });
});
