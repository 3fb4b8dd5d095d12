import type { ReleasePlan } from '@stagegate/db';
import type { Services } from '../services.js';
import { enqueueWebhook } from '../webhooks.js';
import { applyFlagWrite } from './flagAdmin.js';
import { enqueueKillWebhook, killChange } from './killSwitch.js';
import { GUARD_ACTOR } from './planInterference.js';
import { readRouteTotals } from './pipelineMetrics.js';
import { judgeStep, percent, stepWindowStart, type StepVerdict } from './releasePlanGuard.js';
import { checkJson, planRollout, stepLabel, type PlanCheck } from './releasePlans.js';
import { inTransaction, type Tx } from './transaction.js';

export interface PlanOutcome {
  flagKey: string;
  /** advanced / completed / tripped change the flag; the rest only record where the step stands. */
  result: 'advanced' | 'completed' | 'tripped' | 'waiting_for_time' | 'waiting_for_samples' | 'holding';
  step: number;
  rolloutPercentage: number;
  message: string;
  /** What a trip did. */
  onTrip?: ReleasePlan['onTrip'];
}

const checkOf = (now: Date, verdict: StepVerdict, plan: ReleasePlan, state: PlanCheck['state'], message: string, step = plan.currentStep): PlanCheck => ({
  at: now.toISOString(),
  state,
  message,
  step,
  percentage: plan.steps[step] ?? 0,
  secondsLeft: verdict.secondsLeft,
  minCalls: plan.minCalls,
  limit: verdict.limit,
  enabled: verdict.enabled,
  disabled: verdict.disabled,
  fallbacks: verdict.fallbacks,
});

/** One plan's look, in the transaction that holds its flag and plan rows: the decision and its write commit together, once. */
async function evaluateOne(tx: Tx, services: Services, key: string, now: Date): Promise<PlanOutcome | null> {
  // Flag row first, then the plan (every plan write's order); another process evaluating it right now means skip it this tick.
  const [flagLocked] = await tx.$queryRaw<unknown[]>`SELECT key FROM flags WHERE key = ${key} FOR UPDATE SKIP LOCKED`;
  if (!flagLocked) return null;
  const [planLocked] = await tx.$queryRaw<unknown[]>`SELECT flag_key FROM release_plans WHERE flag_key = ${key} AND status = 'running' FOR UPDATE SKIP LOCKED`;
  if (!planLocked) return null;
  const plan = await tx.releasePlan.findUniqueOrThrow({ where: { flagKey: key } });
  const totals = await readRouteTotals(tx, key, stepWindowStart(plan.stepStartedAt));
  const verdict = judgeStep(plan, plan.stepStartedAt, totals, now);
  const current = plan.steps[plan.currentStep] ?? 0;

  if (verdict.state === 'tripped') {
    const previous = plan.currentStep > 0 ? (plan.steps[plan.currentStep - 1] ?? 0) : 0;
    const reason = `Guard tripped at ${stepLabel(plan, plan.currentStep)}: ${verdict.message}; ${plan.onTrip === 'kill' ? 'killed' : `rolled back to ${percent(previous / 100)}`}`;
    if (plan.onTrip === 'kill') {
      const killed = await applyFlagWrite(tx, GUARD_ACTOR, { key, action: 'flag.kill', reason, byPlan: true }, killChange(reason, GUARD_ACTOR), now);
      await enqueueKillWebhook(tx, services, 'flag.killed', GUARD_ACTOR, reason, killed, now);
    } else {
      await planRollout(tx, GUARD_ACTOR, key, previous, reason, now);
    }
    await tx.releasePlan.update({ where: { flagKey: key }, data: { status: 'rolled_back', finishedAt: now, lastCheck: checkJson(checkOf(now, verdict, plan, 'tripped', reason)), version: { increment: 1 } } });
    await enqueueWebhook(tx, services, 'guard.tripped', { flag: key, step: plan.currentStep, rolloutPercentage: current, action: plan.onTrip, rolledBackTo: plan.onTrip === 'kill' ? null : previous, reason, enabled: verdict.enabled, disabled: verdict.disabled, limit: verdict.limit });
    return { flagKey: key, result: 'tripped', onTrip: plan.onTrip, step: plan.currentStep, rolloutPercentage: plan.onTrip === 'kill' ? 0 : previous, message: reason };
  }

  if (verdict.state === 'advance') {
    const next = plan.currentStep + 1;
    const percentage = plan.steps[next] ?? 100;
    const completed = next >= plan.steps.length - 1;
    const reason = `Release plan ${completed ? 'completed' : 'advanced'}: ${stepLabel(plan, plan.currentStep)} → ${stepLabel(plan, next)}; ${verdict.message}`;
    await planRollout(tx, GUARD_ACTOR, key, percentage, reason, now);
    await tx.releasePlan.update({
      where: { flagKey: key },
      data: {
        currentStep: next,
        stepStartedAt: now,
        ...(completed && { status: 'completed', finishedAt: now }),
        lastCheck: checkJson(checkOf(now, verdict, plan, completed ? 'completed' : 'advanced', reason, next)),
        version: { increment: 1 },
      },
    });
    await enqueueWebhook(tx, services, 'plan.step', { flag: key, step: next, rolloutPercentage: percentage, by: GUARD_ACTOR.email, reason });
    if (completed) await enqueueWebhook(tx, services, 'plan.completed', { flag: key, by: GUARD_ACTOR.email });
    return { flagKey: key, result: completed ? 'completed' : 'advanced', step: next, rolloutPercentage: percentage, message: reason };
  }

  await tx.releasePlan.update({ where: { flagKey: key }, data: { lastCheck: checkJson(checkOf(now, verdict, plan, verdict.state, verdict.message)) } });
  return { flagKey: key, result: verdict.state, step: plan.currentStep, rolloutPercentage: current, message: verdict.message };
}

/**
 * Looks at every running plan once: trips, advances or records why it waits. One transaction per
 * plan, its rows claimed with FOR UPDATE SKIP LOCKED, so with several API processes each step and
 * each rollback happens exactly once. What the scheduler's tick calls.
 */
export async function evaluateReleasePlans(services: Services): Promise<PlanOutcome[]> {
  const running = await services.db.prisma.releasePlan.findMany({ where: { status: 'running' }, select: { flagKey: true }, orderBy: { stepStartedAt: 'asc' } });
  const outcomes: PlanOutcome[] = [];
  for (const { flagKey } of running) {
    const now = services.now();
    const outcome = await inTransaction(services, (tx) => evaluateOne(tx, services, flagKey, now));
    if (!outcome) continue;
    outcomes.push(outcome);
    if (outcome.result === 'tripped') {
      services.metrics.guardTrips.inc({ flag: flagKey, action: outcome.onTrip ?? 'kill' });
      if (outcome.onTrip === 'kill') services.metrics.kills.inc({ flag: flagKey, by: 'guard' });
      services.logger.warn({ event: 'guard.tripped', flagKey, reason: outcome.message }, 'A release plan guard tripped and rolled back');
    } else if (outcome.result === 'advanced' || outcome.result === 'completed') {
      services.metrics.planSteps.inc({ flag: flagKey });
      services.logger.info({ event: 'plan.step', flagKey, step: outcome.step, rolloutPercentage: outcome.rolloutPercentage }, 'A release plan advanced');
    }
    if (outcome.result === 'tripped' || outcome.result === 'advanced' || outcome.result === 'completed') services.changes.publish({ kind: 'flags' });
  }
  return outcomes;
}
