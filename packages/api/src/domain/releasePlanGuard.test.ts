import { describe, expect, it } from 'vitest';
import type { RouteTotals } from './pipelineMetrics.js';
import { judgeStep, percent, stepWindowStart, type StepState } from './releasePlanGuard.js';

const settings = { minStepSeconds: 600, minCalls: 100, maxErrorRate: 0.05, errorMargin: 0.01 };
const started = new Date('2026-12-02T12:00:00Z');
const path = (calls: number, errors: number) => ({ calls, errors, errorRate: calls === 0 ? 0 : errors / calls, latencyMs: [], latencySumMs: 0 });
const totals = (enabled: [number, number], disabled: [number, number] = [0, 0]): RouteTotals => ({ enabled: path(...enabled), disabled: path(...disabled), fallbacks: 0 });

/** [what, seconds into the step, enabled [calls, errors], disabled [calls, errors], verdict] — a new rule is a new row. */
const CASES: Array<[string, number, [number, number], [number, number], StepState]> = [
  ['healthy, time and samples met', 600, [1_000, 10], [1_000, 8], 'advance'],
  ['healthy, too early', 599, [1_000, 10], [1_000, 8], 'waiting_for_time'],
  ['healthy, time met, too few calls', 600, [99, 0], [1_000, 8], 'waiting_for_samples'],
  ['no traffic at all', 600, [0, 0], [0, 0], 'waiting_for_samples'],
  ['1 error in 3 calls holds, never trips', 600, [3, 1], [0, 0], 'holding'],
  ['over the limit on 49 calls holds', 10, [49, 10], [0, 0], 'holding'],
  ['over the limit on 50 calls but 4 errors holds', 10, [50, 4], [0, 0], 'holding'],
  ['10 % on 50 calls trips at once, before the step time', 10, [50, 5], [0, 0], 'tripped'],
  ['10 % on 10,000 calls trips', 600, [10_000, 1_000], [10_000, 50], 'tripped'],
  ['exactly 5 % holds the ceiling (≤)', 600, [1_000, 50], [0, 0], 'advance'],
  ['4 % vs disabled 0.5 % + 1 % trips on the margin', 600, [1_000, 40], [1_000, 5], 'tripped'],
  ['4 % vs disabled 3.5 % + 1 % advances', 600, [1_000, 40], [1_000, 35], 'advance'],
  ['6 % vs disabled 6 % still trips the 5 % ceiling', 600, [1_000, 60], [1_000, 60], 'tripped'],
  ['disabled path under 50 calls sets no baseline', 600, [1_000, 40], [49, 0], 'advance'],
];

describe('judgeStep', () => {
  it.each(CASES)('%s', (_, seconds, enabled, disabled, state) => {
    const verdict = judgeStep(settings, started, totals(enabled, disabled), new Date(started.getTime() + seconds * 1_000));
    expect(verdict.state).toBe(state);
    expect(verdict.secondsLeft).toBe(Math.max(0, 600 - seconds));
  });

  it('names the measured rates and the limit in words an operator reads', () => {
    const verdict = judgeStep(settings, started, totals([1_204, 118], [5_000, 20]), started);
    expect(verdict.message).toBe('enabled path 9.8 % errors over 1,204 calls > 1.4 % (disabled 0.4 % over 5,000 calls + 1 % margin)');
    expect(judgeStep(settings, started, totals([1_204, 118], [10, 0]), started).message).toBe('enabled path 9.8 % errors over 1,204 calls > 5 % (disabled path: too few calls for a baseline)');
  });

  it('formats percentages for small steps and starts a window at its minute', () => {
    expect([0.001, 0.05, 0.098, 0.00004, 1].map(percent)).toEqual(['0.1 %', '5 %', '9.8 %', '0.004 %', '100 %']);
    expect(stepWindowStart(new Date('2026-12-02T12:03:45.123Z')).toISOString()).toBe('2026-12-02T12:03:00.000Z');
  });
});
