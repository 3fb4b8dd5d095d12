import type { RouterOutputs } from '@stagegate/api';
import { formatCount, formatRate } from './healthModel.js';

export type ReleasePlan = RouterOutputs['admin']['plans']['get'];
export type PlanStatus = ReleasePlan['status'];
export type PlanCheck = NonNullable<ReleasePlan['lastCheck']>;

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = { running: 'Running', paused: 'Paused', completed: 'Completed', rolled_back: 'Rolled back', aborted: 'Aborted' };

export type StepMark = 'done' | 'current' | 'paused' | 'tripped' | 'stopped' | 'next';
export const STEP_MARK_LABELS: Record<StepMark, string> = { done: 'Done', current: 'Current', paused: 'Paused here', tripped: 'Tripped here', stopped: 'Aborted here', next: 'Next' };

/** Where each step stands: the ones before the current step are done; the current one says what the plan is doing there. */
export function stepMarks(plan: Pick<ReleasePlan, 'steps' | 'currentStep' | 'status'>): StepMark[] {
  const here: Record<PlanStatus, StepMark> = { running: 'current', paused: 'paused', rolled_back: 'tripped', aborted: 'stopped', completed: 'done' };
  return plan.steps.map((_, i) => (i < plan.currentStep ? 'done' : i === plan.currentStep ? here[plan.status] : 'next'));
}

/** 45 s, 12 min, 1 h 5 min, 2 d 3 h: the two largest units. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

const rates = (check: PlanCheck) => {
  const parts: string[] = [];
  if (check.enabled) parts.push(`new path ${formatRate(check.enabled.errorRate)} errors over ${formatCount(check.enabled.calls)} calls`);
  if (check.disabled) parts.push(`legacy ${formatRate(check.disabled.errorRate)} over ${formatCount(check.disabled.calls)}`);
  if (check.limit !== undefined) parts.push(`limit ${formatRate(check.limit)}`);
  return parts.join('; ');
};

export interface PlanWhy {
  /** What the step is waiting for, or what happened: the words an operator reads first. */
  headline: string;
  /** The measurement or the person behind it. */
  detail: string;
  tone: 'info' | 'warning' | 'danger' | 'success' | 'neutral';
}

/**
 * Why the plan stands where it stands, from its last check (and, for time, the clock: the check is at
 * most a minute old, the countdown is now). `now` comes in so tests pin it.
 */
export function planWhy(plan: Pick<ReleasePlan, 'status' | 'steps' | 'currentStep' | 'stepStartedAt' | 'minStepSeconds' | 'minCalls' | 'lastCheck' | 'onTrip'>, now: Date): PlanWhy {
  const check = plan.lastCheck;
  const step = `step ${plan.currentStep + 1} of ${plan.steps.length} (${plan.steps[plan.currentStep] ?? 0} %)`;
  const measured = check ? rates(check) : '';
  switch (plan.status) {
    case 'completed':
      return { headline: 'Completed: the flag is at 100 %', detail: check?.message ?? '', tone: 'success' };
    case 'rolled_back':
      return {
        headline: `Tripped at ${step}: ${plan.onTrip === 'kill' ? 'the flag was killed' : 'rolled back to the previous step'}`,
        detail: measured || (check?.message ?? ''),
        tone: 'danger',
      };
    case 'aborted':
      return { headline: `Aborted at ${step}`, detail: check?.message ?? '', tone: 'neutral' };
    case 'paused':
      return { headline: `Paused at ${step}: the guard is not looking`, detail: check?.message ?? '', tone: 'warning' };
    case 'running':
      break;
  }
  const secondsLeft = plan.minStepSeconds - (now.getTime() - Date.parse(plan.stepStartedAt)) / 1000;
  switch (check?.state) {
    case 'holding':
      return { headline: `Holding ${step}: the new path's error rate is over the limit, on too few calls to trip yet`, detail: measured, tone: 'warning' };
    case 'tripped':
      return { headline: `Tripped at ${step}`, detail: measured, tone: 'danger' };
    case 'waiting_for_samples':
      return {
        headline: `Waiting for samples: ${formatCount(check.enabled?.calls ?? 0)} of ${formatCount(check.minCalls ?? plan.minCalls)} calls on the new path`,
        detail: measured,
        tone: 'info',
      };
    case 'advance':
      return { headline: `Healthy at ${step}: advances at the next check`, detail: measured, tone: 'success' };
    default:
      // waiting_for_time, or a step that has just started and not been checked yet.
      if (secondsLeft > 0) return { headline: `Waiting for time: ${formatDuration(secondsLeft)} left at ${step}`, detail: measured || `the guard checks every minute; at least ${formatCount(plan.minCalls)} new-path calls needed too`, tone: 'info' };
      return { headline: `At ${step}: waiting for the next check`, detail: measured || (check?.message ?? ''), tone: 'info' };
  }
}

/** A plan that ran into trouble: the page shows it in an alert banner. */
export const planAlarm = (plan: Pick<ReleasePlan, 'status' | 'lastCheck'>) => plan.status === 'rolled_back' || (plan.status === 'running' && plan.lastCheck?.state === 'tripped');
