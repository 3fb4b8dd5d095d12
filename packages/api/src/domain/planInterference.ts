import type { FlagAdminRow } from '@stagegate/db';
import { recordAudit } from './audit.js';
import type { Tx } from './transaction.js';

/** The actor of a release plan's own steps and rollbacks; `schedule` is a scheduled change's. */
export const GUARD_ACTOR = { email: 'guard' } as const;
export const SCHEDULE_ACTOR = { email: 'schedule' } as const;

/** What decides who gets a flag by rollout: a change to any of them by someone other than the plan takes the wheel from it. */
const STEERING_FIELDS = ['enabled', 'rolloutPercentage', 'killedAt', 'adminOverride', 'archived', 'stage'] as const;

/**
 * An operator (or a scheduled change) steering a flag whose plan is running pauses the plan: the
 * guard never fights a person. Resume puts the step's percentage back and restarts its window.
 * Runs in the flag write's transaction, after the flag row's lock (the order every plan write takes).
 */
export async function pausePlanOnInterference(tx: Tx, actor: { email: string }, before: FlagAdminRow, after: FlagAdminRow, now: Date): Promise<void> {
  const changed = STEERING_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  if (changed.length === 0) return;
  const plan = await tx.releasePlan.findUnique({ where: { flagKey: after.key }, select: { status: true, currentStep: true, steps: true } });
  if (plan?.status !== 'running') return;
  const reason = `Paused: ${actor.email} changed ${changed.join(', ')} by hand while the plan ran (step ${plan.currentStep + 1} of ${plan.steps.length}); resume to put the step back`;
  await tx.releasePlan.update({
    where: { flagKey: after.key },
    data: { status: 'paused', lastCheck: { at: now.toISOString(), state: 'paused', message: reason }, version: { increment: 1 } },
  });
  await recordAudit(tx, { at: now, actor: actor.email, action: 'plan.pause', flagKey: after.key, before: { status: 'running' }, after: { status: 'paused' }, reason });
}
