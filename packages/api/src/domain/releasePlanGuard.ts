import type { RouteTotals } from './pipelineMetrics.js';

/**
 * The guard's least sample before it may trip: this many enabled-path calls in the step AND this many
 * errors among them. Below it an over-limit rate only holds the step (1 error in 3 calls kills
 * nothing); a path failing 10 % of calls reaches 5 errors in about 50 calls, so one SDK window with
 * ~60 enabled-path calls is enough to trip.
 */
export const GUARD_MIN_CALLS = 50;
export const GUARD_MIN_ERRORS = 5;

export interface GuardSettings {
  minStepSeconds: number;
  minCalls: number;
  maxErrorRate: number;
  errorMargin: number;
}

export interface PathRate {
  calls: number;
  errors: number;
  errorRate: number;
}

export type StepState = 'waiting_for_time' | 'waiting_for_samples' | 'holding' | 'advance' | 'tripped';

/** One look at a step: where it stands, why, and what was measured (stored as last_check for the dashboard). */
export interface StepVerdict {
  state: StepState;
  message: string;
  /** The rate the enabled path must stay at or under: maxErrorRate, or the disabled path's + margin when lower. */
  limit: number;
  secondsInStep: number;
  secondsLeft: number;
  enabled: PathRate;
  disabled: PathRate;
  fallbacks: number;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
/** 0.098 → "9.8 %", 0.001 → "0.1 %", 0.00004 → "0.004 %". */
export const percent = (rate: number) => `${Number((rate * 100).toPrecision(rate * 100 >= 1 ? 3 : 2)).toString()} %`;

/** The step's window starts at the minute it began: metrics are stored per minute, and losing that minute could hide a failing start. */
export const stepWindowStart = (stepStartedAt: Date) => new Date(Math.floor(stepStartedAt.getTime() / 60_000) * 60_000);

/**
 * The guard's rule, a pure function of the plan's settings, the step's route() totals and the clock:
 * trip when the enabled path's error rate is over the limit on at least the minimum sample; hold
 * when it is over on less; otherwise wait for the step's time, then for its samples, then advance.
 * The disabled path sets a baseline only once it has GUARD_MIN_CALLS calls of its own.
 */
export function judgeStep(settings: GuardSettings, stepStartedAt: Date, totals: RouteTotals, now: Date): StepVerdict {
  const enabled = { calls: totals.enabled.calls, errors: totals.enabled.errors, errorRate: totals.enabled.errorRate };
  const disabled = { calls: totals.disabled.calls, errors: totals.disabled.errors, errorRate: totals.disabled.errorRate };
  const baseline = disabled.calls >= GUARD_MIN_CALLS;
  const byMargin = disabled.errorRate + settings.errorMargin;
  const limit = baseline ? Math.min(settings.maxErrorRate, byMargin) : settings.maxErrorRate;
  const secondsInStep = Math.max(0, Math.floor((now.getTime() - stepStartedAt.getTime()) / 1_000));
  const secondsLeft = Math.max(0, settings.minStepSeconds - secondsInStep);
  const base = { limit, secondsInStep, secondsLeft, enabled, disabled, fallbacks: totals.fallbacks };
  const measured = `enabled path ${percent(enabled.errorRate)} errors over ${count(enabled.calls)} calls`;
  const disabledText = baseline ? `disabled ${percent(disabled.errorRate)} over ${count(disabled.calls)} calls` : 'disabled path: too few calls for a baseline';
  const limitText = baseline && byMargin < settings.maxErrorRate ? `${percent(limit)} (${disabledText} + ${percent(settings.errorMargin)} margin)` : `${percent(limit)} (${disabledText})`;

  if (enabled.errorRate > limit) {
    if (enabled.calls >= GUARD_MIN_CALLS && enabled.errors >= GUARD_MIN_ERRORS) {
      return { ...base, state: 'tripped', message: `${measured} > ${limitText}` };
    }
    return {
      ...base,
      state: 'holding',
      message: `${measured} is over ${limitText}, but below the guard's least sample to trip (${GUARD_MIN_CALLS} calls and ${GUARD_MIN_ERRORS} errors): holding the step`,
    };
  }
  if (secondsLeft > 0) return { ...base, state: 'waiting_for_time', message: `${measured} ≤ ${limitText}; ${count(secondsLeft)} s of the step's ${count(settings.minStepSeconds)} s left` };
  if (enabled.calls < settings.minCalls) {
    return { ...base, state: 'waiting_for_samples', message: `${count(enabled.calls)} of ${count(settings.minCalls)} enabled-path calls so far (${measured}): waiting for samples` };
  }
  return { ...base, state: 'advance', message: `${measured} ≤ ${limitText} for ${count(secondsInStep)} s` };
}
