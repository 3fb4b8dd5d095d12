import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it.each([
    // attempt, random, jitter, expected
    [0, 0, 0.5, 100],
    [0, 1, 0.5, 50],
    [1, 0, 0.5, 200],
    [3, 0, 0.5, 800],
    [10, 0, 0.5, 1_000], // capped at maxMs
    [10, 1, 0.5, 500],
    [2, 0.5, 0, 400], // no jitter: the ceiling exactly
    [2, 1, 1, 0], // full jitter reaches 0
    [-3, 0, 0.5, 100], // a negative attempt counts as the first
  ])('attempt %i, random %d, jitter %d → %d ms', (attempt, random, jitter, expected) => {
    expect(backoffDelay(attempt, { initialMs: 100, maxMs: 1_000, jitter, random: () => random })).toBe(expected);
  });

  it('draws within [ceiling × (1 − jitter), ceiling] with the real random', () => {
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(4, { initialMs: 10, maxMs: 1_000 });
      expect(delay).toBeGreaterThan(80);
      expect(delay).toBeLessThanOrEqual(160);
    }
  });
});
