import type { z } from 'zod';
import type { ScheduledChange } from '@stagegate/db';
import { DomainError } from '../contract/errors.js';
import type { ScheduleCancelInput, ScheduleCreateInput, ScheduleListInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { recordAudit } from './audit.js';
import { applyFlagWrite, type Actor, type FlagChangeFn, type FlagWrite } from './flagAdmin.js';
import { enqueueKillWebhook, killChange, restoreChange } from './killSwitch.js';
import { SCHEDULE_ACTOR } from './planInterference.js';
import { inTransaction, asDomainError, type Tx } from './transaction.js';

/** A scheduled change as the admin API returns it (JSON-safe). */
export interface ScheduledChangeItem {
  id: number;
  flagKey: string;
  action: ScheduledChange['action'];
  stage: ScheduledChange['stage'];
  rolloutPercentage: number | null;
  reason: string;
  runAt: string;
  status: ScheduledChange['status'];
  createdBy: string;
  createdAt: string;
  executedAt: string | null;
  /** Why it failed: `CODE: message`. */
  error: string | null;
}

export function toScheduledChangeItem(row: ScheduledChange): ScheduledChangeItem {
  return {
    id: row.id,
    flagKey: row.flagKey,
    action: row.action,
    stage: row.stage,
    rolloutPercentage: row.rolloutPercentage,
    reason: row.reason,
    runAt: row.runAt.toISOString(),
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    executedAt: row.executedAt?.toISOString() ?? null,
    error: row.error,
  };
}

export async function createScheduledChange(services: Services, actor: Actor, input: z.infer<typeof ScheduleCreateInput>): Promise<ScheduledChangeItem> {
  const now = services.now();
  if (input.runAt.getTime() <= now.getTime()) {
    const message = `runAt must be in the future (it is ${input.runAt.toISOString()}, the server's clock says ${now.toISOString()})`;
    throw new DomainError('VALIDATION_FAILED', message, { fieldErrors: { runAt: [message] } });
  }
  const row = await inTransaction(services, async (tx) => {
    const flag = await tx.flag.findUnique({ where: { key: input.key }, select: { archived: true } });
    if (!flag) fail('FLAG_NOT_FOUND', `No flag "${input.key}"`);
    if (flag.archived) fail('CONFLICT', `Flag "${input.key}" is archived: nothing to schedule`);
    const created = await tx.scheduledChange.create({
      data: {
        flagKey: input.key,
        action: input.action,
        stage: input.action === 'set_stage' ? input.stage : null,
        rolloutPercentage: input.action === 'set_rollout' ? input.rolloutPercentage : null,
        reason: input.reason,
        runAt: input.runAt,
        createdBy: actor.email,
        createdAt: now,
      },
    });
    await recordAudit(tx, { at: now, actor: actor.email, action: 'schedule.create', flagKey: input.key, before: null, after: toScheduledChangeItem(created), reason: input.reason });
    return created;
  });
  return toScheduledChangeItem(row);
}

/** Soonest first; the pending ones are what will happen next. */
export async function listScheduledChanges(services: Services, input: z.infer<typeof ScheduleListInput> = {}): Promise<ScheduledChangeItem[]> {
  const rows = await asDomainError(
    services.db.prisma.scheduledChange.findMany({
      where: { ...(input?.key && { flagKey: input.key }), ...(input?.status && { status: input.status }) },
      orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
      take: 500,
    }),
  );
  return rows.map(toScheduledChangeItem);
}

export async function cancelScheduledChange(services: Services, actor: Actor, input: z.infer<typeof ScheduleCancelInput>): Promise<ScheduledChangeItem> {
  const now = services.now();
  const row = await inTransaction(services, async (tx) => {
    // The lock: a scheduler claiming this row waits (then sees it cancelled) or has it and we wait (then see it done).
    await tx.$queryRaw`SELECT id FROM scheduled_changes WHERE id = ${input.id} FOR UPDATE`;
    const before = await tx.scheduledChange.findUnique({ where: { id: input.id } });
    if (!before) fail('SCHEDULED_CHANGE_NOT_FOUND', `No scheduled change ${input.id}`);
    if (before.status !== 'pending') fail('CONFLICT', `Scheduled change ${input.id} is ${before.status}: only a pending one can be cancelled`);
    const after = await tx.scheduledChange.update({ where: { id: input.id }, data: { status: 'cancelled', executedAt: now } });
    await recordAudit(tx, {
      at: now,
      actor: actor.email,
      action: 'schedule.cancel',
      flagKey: before.flagKey,
      before: toScheduledChangeItem(before),
      after: toScheduledChangeItem(after),
      reason: input.reason,
    });
    return after;
  });
  return toScheduledChangeItem(row);
}

/** The flag write a scheduled change makes, through the same audited path an operator's takes. */
function flagWriteFor(change: ScheduledChange): { write: FlagWrite; apply: FlagChangeFn } {
  const reason = `Scheduled by ${change.createdBy} for ${change.runAt.toISOString()}: ${change.reason}`;
  const refuseArchived = (before: { archived: boolean }) => {
    if (before.archived) fail('CONFLICT', `Flag "${change.flagKey}" is archived`);
  };
  switch (change.action) {
    case 'set_stage':
      return {
        write: { key: change.flagKey, action: 'flag.set_stage', reason },
        apply: (before, now) => (refuseArchived(before), { stage: change.stage ?? before.stage, ttlStart: now }),
      };
    case 'set_rollout':
      return {
        write: { key: change.flagKey, action: 'flag.set_rollout', reason },
        apply: (before) => (refuseArchived(before), { rolloutPercentage: change.rolloutPercentage ?? before.rolloutPercentage }),
      };
    case 'kill':
      return {
        write: { key: change.flagKey, action: 'flag.kill', reason, lane: 'priority' },
        apply: (before, now) => (refuseArchived(before), killChange(reason, SCHEDULE_ACTOR)(before, now)),
      };
    case 'restore':
      return {
        write: { key: change.flagKey, action: 'flag.restore', reason, lane: 'priority' },
        apply: (before, now) => (refuseArchived(before), restoreChange(before, now)),
      };
    default:
      return fail('VALIDATION_FAILED', `Unknown scheduled action "${String(change.action)}"`);
  }
}

type Outcome = { id: number; action: ScheduledChange['action']; flagKey: string; result: 'done' | 'failed'; error: string | null };

/**
 * Claims the oldest due change of these actions (skipping any another process holds) and runs it in
 * the claim's transaction: the flag write and `done` commit together, so it happens exactly once.
 * A domain refusal rolls the write back to a savepoint and records `failed` (never retried).
 */
async function runOne(tx: Tx, services: Services, now: Date, actions: ScheduledChange['action'][]): Promise<Outcome | null> {
  const due = `${now.toISOString()}`;
  const [claimed] = await tx.$queryRaw<Array<{ id: number }>>`
    SELECT id FROM scheduled_changes
    WHERE status = 'pending' AND run_at <= ${due}::timestamp(3) AND action::text = ANY(${actions})
    ORDER BY run_at, id
    FOR UPDATE SKIP LOCKED
    LIMIT 1`;
  if (!claimed) return null;
  const change = await tx.scheduledChange.findUniqueOrThrow({ where: { id: claimed.id } });
  const { write, apply } = flagWriteFor(change);
  await tx.$executeRaw`SAVEPOINT scheduled_change`;
  let error: string | null = null;
  try {
    const after = await applyFlagWrite(tx, SCHEDULE_ACTOR, write, apply, now);
    // The same signal an operator's kill or restore sends, in the same transaction.
    if (change.action === 'kill' || change.action === 'restore') {
      await enqueueKillWebhook(tx, services, change.action === 'kill' ? 'flag.killed' : 'flag.restored', SCHEDULE_ACTOR, write.reason ?? change.reason, after, now);
    }
  } catch (failure) {
    // Only the domain's refusals are final; anything else (the database) fails the transaction and the row stays pending.
    if (!(failure instanceof DomainError) || failure.code === 'BUSY') throw failure;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT scheduled_change`;
    error = `${failure.code}: ${failure.message}`;
  }
  await tx.scheduledChange.update({ where: { id: change.id }, data: { status: error ? 'failed' : 'done', executedAt: now, error } });
  return { id: change.id, action: change.action, flagKey: change.flagKey, result: error ? 'failed' : 'done', error };
}

/** Kills and restores first, on the priority lane (a kill never queues behind user traffic); then the rest. */
const LANES = [
  { actions: ['kill', 'restore'] as ScheduledChange['action'][], lane: 'priority' as const },
  { actions: ['set_stage', 'set_rollout'] as ScheduledChange['action'][], lane: 'main' as const },
];

/** Runs every due scheduled change (at most `limit` per call), one transaction each. What the scheduler's tick calls. */
export async function runDueScheduledChanges(services: Services, { limit = 50 }: { limit?: number } = {}): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const { actions, lane } of LANES) {
    while (outcomes.length < limit) {
      const now = services.now();
      const outcome = await inTransaction(services, (tx) => runOne(tx, services, now, actions), { lane });
      if (!outcome) break;
      outcomes.push(outcome);
      services.metrics.scheduledChanges.inc({ action: outcome.action, result: outcome.result });
      if (outcome.result === 'done') {
        services.changes.publish({ kind: 'flags' });
        if (outcome.action === 'kill') services.metrics.kills.inc({ flag: outcome.flagKey, by: 'schedule' });
      } else {
        services.logger.warn({ event: 'schedule.failed', id: outcome.id, flagKey: outcome.flagKey, error: outcome.error }, 'A scheduled change was refused');
      }
    }
  }
  return outcomes;
}
