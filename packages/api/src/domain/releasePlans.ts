import type { z } from 'zod';
import { Prisma, type FlagAdminRow, type ReleasePlan } from '@stagegate/db';
import type { PlanAttachInput, PlanControlInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { enqueueWebhook } from '../webhooks.js';
import { recordAudit } from './audit.js';
import { applyFlagWrite, type Actor } from './flagAdmin.js';
import { percent, type PathRate, type StepState } from './releasePlanGuard.js';
import { asDomainError, inTransaction, type Tx } from './transaction.js';

/** The plan's last look at its step (release_plans.last_check): where it stands and why, with the measured rates. */
export interface PlanCheck {
  at: string;
  state: StepState | 'started' | 'advanced' | 'completed' | 'paused' | 'resumed' | 'skipped' | 'aborted';
  message: string;
  /** Index into steps and its percentage, when the check is about a step. */
  step?: number;
  percentage?: number;
  secondsLeft?: number;
  minCalls?: number;
  limit?: number;
  enabled?: PathRate;
  disabled?: PathRate;
  fallbacks?: number;
}

/** One entry of a plan's history: its audit entries (attach, steps, rollbacks, operators' controls). */
export interface PlanEvent {
  at: string;
  actor: string;
  action: string;
  reason: string | null;
  rolloutPercentage: number | null;
}

/** A release plan as the admin API returns it (JSON-safe). */
export interface PlanView {
  flagKey: string;
  steps: number[];
  currentStep: number;
  currentPercentage: number;
  status: ReleasePlan['status'];
  minStepSeconds: number;
  minCalls: number;
  maxErrorRate: number;
  errorMargin: number;
  onTrip: ReleasePlan['onTrip'];
  stepStartedAt: string;
  lastCheck: PlanCheck | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  version: number;
}

export interface PlanDetail extends PlanView {
  history: PlanEvent[];
}

export const toPlanView = (row: ReleasePlan): PlanView => ({
  flagKey: row.flagKey,
  steps: row.steps,
  currentStep: row.currentStep,
  currentPercentage: row.steps[row.currentStep] ?? 0,
  status: row.status,
  minStepSeconds: row.minStepSeconds,
  minCalls: row.minCalls,
  maxErrorRate: row.maxErrorRate,
  errorMargin: row.errorMargin,
  onTrip: row.onTrip,
  stepStartedAt: row.stepStartedAt.toISOString(),
  lastCheck: row.lastCheck as PlanCheck | null,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
  version: row.version,
});

export const checkJson = (check: PlanCheck) => check as unknown as Prisma.InputJsonObject;
export const stepLabel = (plan: Pick<ReleasePlan, 'steps'>, index: number) => `step ${index + 1} of ${plan.steps.length} (${percent((plan.steps[index] ?? 0) / 100)})`;

/** The plan's own flag writes: audited as flag.set_rollout / flag.kill, never pausing the plan they serve. */
export function planRollout(tx: Tx, actor: Actor, key: string, rolloutPercentage: number, reason: string, now: Date) {
  return applyFlagWrite(tx, actor, { key, action: 'flag.set_rollout', reason, byPlan: true }, () => ({ rolloutPercentage, enabled: false }), now);
}

/** Locks the flag row, then the plan (the order every plan write takes, so none deadlocks with a flag write). */
async function lockPlan(tx: Tx, key: string): Promise<ReleasePlan | null> {
  await tx.$queryRaw`SELECT key FROM flags WHERE key = ${key} FOR UPDATE`;
  await tx.$queryRaw`SELECT flag_key FROM release_plans WHERE flag_key = ${key} FOR UPDATE`;
  return tx.releasePlan.findUnique({ where: { flagKey: key } });
}

/** Why a flag cannot be put on rails as it stands. */
function refuseAttach(flag: FlagAdminRow) {
  if (flag.archived) fail('CONFLICT', `Flag "${flag.key}" is archived`);
  if (flag.killedAt) fail('CONFLICT', `Flag "${flag.key}" is killed: restore it before attaching a plan`);
  if (flag.stage === 'lab') fail('CONFLICT', `Flag "${flag.key}" is in lab, where a rollout reaches no one: move it to alpha, beta or GA first`);
  if (flag.adminOverride) fail('CONFLICT', `Flag "${flag.key}" has an admin override (${flag.adminOverride}) that decides for everyone: clear it first`);
  if (flag.enabled) fail('CONFLICT', `Flag "${flag.key}" is already on for everyone (global): nothing to roll out`);
}

/**
 * Puts a flag's rollout on rails. The plan starts at the first step at or above the flag's current
 * rollout (attaching never takes the flag away from anyone) and sets the flag's rollout to it, with
 * `enabled` off so the percentage alone decides (flags-core: rollout, else the global `enabled`).
 * CONFLICT while a plan runs or is paused; a finished one is replaced (the audit log keeps it).
 */
export async function attachPlan(services: Services, actor: Actor, input: z.infer<typeof PlanAttachInput>): Promise<PlanView> {
  const now = services.now();
  const row = await inTransaction(services, async (tx) => {
    const existing = await lockPlan(tx, input.key);
    const flag = await tx.flag.findUnique({ where: { key: input.key }, select: { key: true, rolloutPercentage: true } });
    if (!flag) fail('FLAG_NOT_FOUND', `No flag "${input.key}"`);
    if (existing && (existing.status === 'running' || existing.status === 'paused')) {
      fail('CONFLICT', `Flag "${input.key}" already has a ${existing.status} plan (${stepLabel(existing, existing.currentStep)}): abort it first`);
    }
    const first = input.steps.findIndex((step) => step >= flag.rolloutPercentage);
    if (first === input.steps.length - 1) fail('CONFLICT', `Flag "${input.key}" is already at ${percent(flag.rolloutPercentage / 100)}: the plan's only step at or above it is its last (100 %), nothing to roll out`);
    const settings = {
      steps: input.steps,
      minStepSeconds: input.minStepSeconds,
      minCalls: input.minCalls,
      maxErrorRate: input.maxErrorRate,
      errorMargin: input.errorMargin,
      onTrip: input.onTrip,
    };
    const message = `Release plan attached by ${actor.email}: ${stepLabel(settings, first)}${input.reason ? `: ${input.reason}` : ''}`;
    await applyFlagWrite(
      tx,
      actor,
      { key: input.key, action: 'flag.set_rollout', reason: message, byPlan: true },
      (before) => (refuseAttach(before), { rolloutPercentage: input.steps[first], enabled: false }),
      now,
    );
    const fresh = {
      ...settings,
      status: 'running' as const,
      currentStep: first,
      stepStartedAt: now,
      lastCheck: checkJson({ at: now.toISOString(), state: 'started', message, step: first, percentage: input.steps[first] ?? 0 }),
      createdBy: actor.email,
      createdAt: now,
      finishedAt: null,
    };
    const plan = existing
      ? await tx.releasePlan.update({ where: { flagKey: input.key }, data: { ...fresh, version: { increment: 1 } } })
      : await tx.releasePlan.create({ data: { flagKey: input.key, ...fresh } });
    await recordAudit(tx, { at: now, actor: actor.email, action: 'plan.attach', flagKey: input.key, before: existing && toPlanView(existing), after: toPlanView(plan), reason: input.reason });
    return plan;
  });
  services.changes.publish({ kind: 'flags' });
  return toPlanView(row);
}

export async function getPlan(services: Services, key: string): Promise<PlanDetail> {
  const row = await asDomainError(services.db.prisma.releasePlan.findUnique({ where: { flagKey: key } }));
  if (!row) fail('PLAN_NOT_FOUND', `Flag "${key}" has no release plan`);
  const entries = await asDomainError(
    services.db.prisma.auditEntry.findMany({
      // Everything that happened to the flag since the plan began: its steps and trips, and the hands that steered it.
      where: { flagKey: key, at: { gte: row.createdAt } },
      orderBy: { id: 'asc' },
      take: 200,
    }),
  );
  const history = entries.map((entry) => {
    const after = entry.after as { rolloutPercentage?: unknown } | null;
    return {
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      reason: entry.reason,
      rolloutPercentage: typeof after?.rolloutPercentage === 'number' ? after.rolloutPercentage : null,
    };
  });
  return { ...toPlanView(row), history };
}

/** Running and paused plans first (what needs watching), then finished ones, newest first. */
export async function listPlans(services: Services): Promise<PlanView[]> {
  const rows = await asDomainError(services.db.prisma.releasePlan.findMany({ orderBy: [{ updatedAt: 'desc' }], take: 500 }));
  const live = (row: ReleasePlan) => (row.status === 'running' || row.status === 'paused' ? 0 : 1);
  return rows.sort((a, b) => live(a) - live(b)).map(toPlanView);
}

/**
 * An operator's hand on the plan. pause: the guard stops looking (the rollout stays). resume: the
 * step's percentage is put back (an operator may have changed it) and its window restarts. skip: on
 * to the next step now (the last one completes the plan). abort: the plan ends; the flag keeps its
 * current rollout (kill it if it must go off).
 */
export async function controlPlan(services: Services, actor: Actor, input: z.infer<typeof PlanControlInput>): Promise<PlanView> {
  const now = services.now();
  let stepped: { percentage: number; completed: boolean } | null = null;
  const row = await inTransaction(services, async (tx) => {
    const plan = await lockPlan(tx, input.key);
    if (!plan) fail('PLAN_NOT_FOUND', `Flag "${input.key}" has no release plan`);
    const live = plan.status === 'running' || plan.status === 'paused';
    const refuse = (wanted: string) => fail('CONFLICT', `The plan of "${input.key}" is ${plan.status}: ${input.action} needs a ${wanted} plan`);
    const by = `${actor.email}: ${input.reason}`;
    let data: Prisma.ReleasePlanUpdateInput;
    switch (input.action) {
      case 'pause':
        if (plan.status !== 'running') refuse('running');
        data = { status: 'paused', lastCheck: checkJson({ at: now.toISOString(), state: 'paused', message: `Paused by ${by}`, step: plan.currentStep }) };
        break;
      case 'resume': {
        if (plan.status !== 'paused') refuse('paused');
        const flag = await tx.flag.findUniqueOrThrow({ where: { key: input.key }, select: { killedAt: true, archived: true } });
        if (flag.killedAt || flag.archived) fail('CONFLICT', `Flag "${input.key}" is ${flag.killedAt ? 'killed: restore it' : 'archived'} before resuming its plan`);
        const percentage = plan.steps[plan.currentStep] ?? 0;
        await planRollout(tx, actor, input.key, percentage, `Release plan resumed by ${by}: back to ${stepLabel(plan, plan.currentStep)}`, now);
        data = { status: 'running', stepStartedAt: now, lastCheck: checkJson({ at: now.toISOString(), state: 'resumed', message: `Resumed by ${by}`, step: plan.currentStep, percentage }) };
        break;
      }
      case 'skip': {
        if (!live) refuse('running or paused');
        const next = plan.currentStep + 1;
        const percentage = plan.steps[next] ?? 100;
        const completed = next >= plan.steps.length - 1;
        await planRollout(tx, actor, input.key, percentage, `Release plan step skipped by ${by}: on to ${stepLabel(plan, Math.min(next, plan.steps.length - 1))}`, now);
        stepped = { percentage, completed };
        data = {
          currentStep: Math.min(next, plan.steps.length - 1),
          stepStartedAt: now,
          ...(completed && { status: 'completed', finishedAt: now }),
          lastCheck: checkJson({ at: now.toISOString(), state: completed ? 'completed' : 'skipped', message: `Skipped by ${by}`, step: next, percentage }),
        };
        break;
      }
      case 'abort':
        if (!live) refuse('running or paused');
        data = { status: 'aborted', finishedAt: now, lastCheck: checkJson({ at: now.toISOString(), state: 'aborted', message: `Aborted by ${by}`, step: plan.currentStep }) };
        break;
    }
    const after = await tx.releasePlan.update({ where: { flagKey: input.key }, data: { ...data, version: { increment: 1 } } });
    await recordAudit(tx, { at: now, actor: actor.email, action: `plan.${input.action}`, flagKey: input.key, before: toPlanView(plan), after: toPlanView(after), reason: input.reason });
    if (stepped) {
      await enqueueWebhook(tx, services, 'plan.step', { flag: input.key, step: after.currentStep, rolloutPercentage: stepped.percentage, by: actor.email, reason: input.reason });
      if (stepped.completed) await enqueueWebhook(tx, services, 'plan.completed', { flag: input.key, by: actor.email });
    }
    return after;
  });
  if (stepped) {
    services.changes.publish({ kind: 'flags' });
    services.metrics.planSteps.inc({ flag: input.key });
  } else if (input.action === 'resume') services.changes.publish({ kind: 'flags' });
  return toPlanView(row);
}
