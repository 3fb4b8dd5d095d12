import type { z } from 'zod';
import { flagAdminSelect, toFlagDefinition, type FlagAdminRow, type Prisma } from '@stagegate/db';
import { daysRemaining, type AdminOverride, type BucketBy, type Stage } from '@stagegate/flags-core';
import type {
  FlagArchiveInput,
  FlagCreateInput,
  FlagKillInput,
  FlagListInput,
  FlagRestoreInput,
  FlagSetAdminOverrideInput,
  FlagSetRolloutInput,
  FlagSetStageInput,
  FlagUpdateInput,
} from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { recordAudit, type AuditAction } from './audit.js';
import { enqueueKillWebhook, killChange, restoreChange, switchKillInOneStatement, type KillSwitchChange, type KillSwitchEvent } from './killSwitch.js';
import { pausePlanOnInterference } from './planInterference.js';
import { asDomainError, inTransaction, type TransactionOptions, type Tx } from './transaction.js';

/** A flag as the admin API returns it: JSON-safe (dates as ISO strings) with its TTL worked out. */
export interface AdminFlag {
  key: string;
  name: string;
  description: string;
  stage: Stage;
  ttlStart: string;
  ttlDays: number;
  daysRemaining: number;
  kbArticle: string | null;
  category: string;
  owner: string;
  enabled: boolean;
  rolloutPercentage: number;
  bucketBy: BucketBy;
  adminOverride: AdminOverride;
  kill: { reason: string; at: string; by: string } | null;
  archived: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toAdminFlag(row: FlagAdminRow, now: Date): AdminFlag {
  const flag = toFlagDefinition(row);
  return {
    ...flag,
    ttlStart: flag.ttlStart.toISOString(),
    daysRemaining: daysRemaining(flag, now),
    kill: flag.kill && { reason: flag.kill.reason, at: flag.kill.at.toISOString(), by: flag.kill.by },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Who made a change, as the audit log names them. */
export interface Actor {
  email: string;
}

export async function listFlags(services: Services, input: z.infer<typeof FlagListInput> = {}): Promise<AdminFlag[]> {
  const archived = input.archived ?? 'exclude';
  const rows = await asDomainError(
    services.db.prisma.flag.findMany({
      where: { ...(archived !== 'include' && { archived: archived === 'only' }), ...(input.stage && { stage: input.stage }) },
      select: flagAdminSelect,
      orderBy: { key: 'asc' },
    }),
  );
  const now = services.now();
  return rows.map((row) => toAdminFlag(row, now));
}

export async function getFlag(services: Services, key: string): Promise<AdminFlag> {
  const row = await asDomainError(services.db.prisma.flag.findUnique({ where: { key }, select: flagAdminSelect }));
  if (!row) fail('FLAG_NOT_FOUND', `No flag "${key}"`);
  return toAdminFlag(row, services.now());
}

export async function createFlag(services: Services, actor: Actor, input: z.infer<typeof FlagCreateInput>): Promise<AdminFlag> {
  const now = services.now();
  const { reason, ...fieldsIn } = input;
  const row = await inTransaction(services, async (tx) => {
    if (await tx.flag.findUnique({ where: { key: input.key }, select: { key: true } })) fail('CONFLICT', `A flag "${input.key}" already exists`);
    // A concurrent create of the same key still ends here as P2002, which inTransaction turns into CONFLICT.
    const created = await tx.flag.create({ data: { ...fieldsIn, owner: input.owner ?? actor.email, ttlStart: now }, select: flagAdminSelect });
    await recordAudit(tx, { at: now, actor: actor.email, action: 'flag.create', flagKey: created.key, before: null, after: toFlagDefinition(created), reason });
    return created;
  });
  services.changes.publish({ kind: 'flags' });
  return toAdminFlag(row, now);
}

export interface FlagWrite {
  key: string;
  expectedVersion?: number | undefined;
  action: AuditAction;
  reason?: string | undefined;
  lane?: TransactionOptions['lane'];
  /** The release plan itself makes this write (a step, a rollback, attach, resume, skip): it does not pause the plan. */
  byPlan?: boolean;
}

export type FlagChangeFn = (before: FlagAdminRow, now: Date) => Prisma.FlagUpdateInput;

/**
 * The audited, versioned write inside a caller's transaction: lock the row, check the version the
 * admin saw, apply the change, bump the version and audit it. The caller publishes after commit.
 * A scheduled change or a plan step commits with the row that claimed it, which makes it exactly once.
 */
export async function applyFlagWrite(tx: Tx, actor: Actor, write: FlagWrite, change: FlagChangeFn, now: Date): Promise<FlagAdminRow> {
  // The lock makes "read, compare version, write" atomic: a concurrent writer waits, then sees our version.
  await tx.$queryRaw`SELECT key FROM flags WHERE key = ${write.key} FOR UPDATE`;
  const before = await tx.flag.findUnique({ where: { key: write.key }, select: flagAdminSelect });
  if (!before) fail('FLAG_NOT_FOUND', `No flag "${write.key}"`);
  if (write.expectedVersion !== undefined && before.version !== write.expectedVersion) {
    fail('CONFLICT', `Flag "${write.key}" is at version ${before.version}, not ${write.expectedVersion}: someone changed it meanwhile; reload and retry`);
  }
  const after = await tx.flag.update({
    where: { key: write.key },
    data: { ...change(before, now), version: { increment: 1 } },
    select: flagAdminSelect,
  });
  await recordAudit(tx, {
    at: now,
    actor: actor.email,
    action: write.action,
    flagKey: write.key,
    before: toFlagDefinition(before),
    after: toFlagDefinition(after),
    reason: write.reason,
  });
  if (!write.byPlan) await pausePlanOnInterference(tx, actor, before, after, now);
  return after;
}

/**
 * The one path every change to an existing flag takes: applyFlagWrite in its own transaction, then
 * tell this process's caches (other processes hear it from the database trigger). `alsoInTx` adds
 * writes that must commit or roll back with the change (a webhook's outbox row).
 */
async function writeFlag(
  services: Services,
  actor: Actor,
  write: FlagWrite,
  change: FlagChangeFn,
  alsoInTx?: (tx: Tx, after: FlagAdminRow, now: Date) => Promise<void>,
): Promise<AdminFlag> {
  const now = services.now();
  const row = await inTransaction(
    services,
    async (tx) => {
      const after = await applyFlagWrite(tx, actor, write, change, now);
      await alsoInTx?.(tx, after, now);
      return after;
    },
    { lane: write.lane },
  );
  services.changes.publish({ kind: 'flags' });
  return toAdminFlag(row, now);
}

export function updateFlag(services: Services, actor: Actor, input: z.infer<typeof FlagUpdateInput>) {
  const { key, expectedVersion, reason, ...data } = input;
  return writeFlag(services, actor, { key, expectedVersion, reason, action: 'flag.update' }, () => data);
}

/** A new stage starts a new TTL: the clock measures time spent in the current stage. */
export function setStage(services: Services, actor: Actor, input: z.infer<typeof FlagSetStageInput>) {
  const { key, expectedVersion, reason, stage } = input;
  return writeFlag(services, actor, { key, expectedVersion, reason, action: 'flag.set_stage' }, (_, now) => ({ stage, ttlStart: now }));
}

export function setRollout(services: Services, actor: Actor, input: z.infer<typeof FlagSetRolloutInput>) {
  const { key, expectedVersion, reason, rolloutPercentage, enabled } = input;
  return writeFlag(services, actor, { key, expectedVersion, reason, action: 'flag.set_rollout' }, () => ({
    rolloutPercentage,
    ...(enabled !== undefined && { enabled }),
  }));
}

export function setAdminOverride(services: Services, actor: Actor, input: z.infer<typeof FlagSetAdminOverrideInput>) {
  const { key, expectedVersion, reason, adminOverride } = input;
  return writeFlag(services, actor, { key, expectedVersion, reason, action: 'flag.set_admin_override' }, () => ({ adminOverride }));
}

export async function kill(services: Services, actor: Actor, input: z.infer<typeof FlagKillInput>): Promise<AdminFlag> {
  const { key, expectedVersion, reason } = input;
  const killed = await switchKill(services, actor, { key, expectedVersion, reason, action: 'flag.kill', lane: 'priority' }, killChange(reason, actor), 'flag.killed');
  services.metrics.kills.inc({ flag: key, by: 'operator' });
  return killed;
}

export function restore(services: Services, actor: Actor, input: z.infer<typeof FlagRestoreInput>) {
  const { key, expectedVersion, reason } = input;
  return switchKill(services, actor, { key, expectedVersion, reason, action: 'flag.restore', lane: 'priority' }, restoreChange, 'flag.restored');
}

/**
 * Kill and restore run on the priority lane, connections no user traffic queues for, and in one
 * statement when they can, so a burst that holds every main connection and keeps the event loop
 * busy does not hold them up; otherwise (a plan to pause, a refusal to explain) the locked path.
 */
async function switchKill(services: Services, actor: Actor, write: FlagWrite & { reason: string }, change: KillSwitchChange, event: KillSwitchEvent): Promise<AdminFlag> {
  const now = services.now();
  const row = await switchKillInOneStatement(services, actor, write, change, event, now);
  if (!row) return writeFlag(services, actor, write, change, (tx, after, at) => enqueueKillWebhook(tx, services, event, actor, write.reason, after, at));
  services.changes.publish({ kind: 'flags' });
  return toAdminFlag(row, now);
}

export function archive(services: Services, actor: Actor, input: z.infer<typeof FlagArchiveInput>) {
  const { key, expectedVersion, reason } = input;
  return writeFlag(services, actor, { key, expectedVersion, reason, action: 'flag.archive' }, (before) => {
    if (before.archived) fail('CONFLICT', `Flag "${key}" is already archived`);
    return { archived: true };
  });
}
