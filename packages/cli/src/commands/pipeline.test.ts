import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { durationSeconds, instantOf, rateOf } from './pipeline.js';

const NOW = new Date('2026-12-02T12:00:00.000Z');

describe('the command line’s durations, rates and times', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['1.5h', 5400],
    ['2d', 172_800],
  ])('--min-step %s is %i s', (text, seconds) => expect(durationSeconds(text, '--min-step')).toBe(seconds));

  it.each(['', 'soon', '1w', '-1h', 'h'])('--min-step %j is refused, naming the option', (text) => {
    expect(() => durationSeconds(text, '--min-step')).toThrow(new UsageError(`--min-step: "${text}" is not a duration like 90s, 30m, 1h or 2d`));
  });

  it.each([
    ['5%', 0.05],
    ['5', 0.05],
    ['0.5', 0.005],
    ['100 %', 1],
    ['0', 0],
  ])('a rate of %s is %f', (text, rate) => expect(rateOf(text, '--margin')).toBeCloseTo(rate, 10));

  it.each(['', 'lots', '101', '-1'])('a rate of %j is refused', (text) => expect(() => rateOf(text, '--margin')).toThrow(UsageError));

  it.each([
    ['+30m', '2026-12-02T12:30:00.000Z'],
    ['+2h', '2026-12-02T14:00:00.000Z'],
    ['+1d', '2026-12-03T12:00:00.000Z'],
    ['2026-12-24T09:00:00Z', '2026-12-24T09:00:00.000Z'],
    ['2026-12-24T09:00:00+01:00', '2026-12-24T08:00:00.000Z'],
    ['2026-12-24T09:00-0500', '2026-12-24T14:00:00.000Z'],
  ])('--at %s is %s', (text, iso) => expect(instantOf(text, NOW)).toBe(iso));

  it('--at without a zone, or not a time, is refused', () => {
    expect(() => instantOf('2026-12-24T09:00', NOW)).toThrow(/has no time zone; add Z or an offset/);
    expect(() => instantOf('tomorrow', NOW)).toThrow(/is neither an ISO time/);
  });
});
