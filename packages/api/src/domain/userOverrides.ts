import type { z } from 'zod';
import type { OverrideListInput, OverrideRemoveInput, OverrideSetInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { recordAudit } from './audit.js';
import type { Actor } from './flagAdmin.js';
import { inTransaction, type Tx } from './transaction.js';

export interface OverrideView {
  userId: string;
  email: string;
  flagKey: string;
  enabled: boolean;
  reason: string;
  expiresAt: string | null;
  /** Past its expiry: kept for the record, ignored by evaluation. */
  expired: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

interface OverrideRow {
  userId: string;
  flagKey: string;
  enabled: boolean;
  reason: string;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const LIST_LIMIT = 500;

/**
 * The user an override is for, with their row locked: two operators changing overrides of one
 * user take turns, so each audit entry's `before` is the previous entry's `after`.
 */
async function lockUser(tx: Tx, who: { userId?: string | undefined; email?: string | undefined }) {
  const [user] =
    who.userId !== undefined
      ? await tx.$queryRaw<Array<{ id: string; email: string }>>`SELECT id, email FROM users WHERE id = ${who.userId} FOR UPDATE`
      : await tx.$queryRaw<Array<{ id: string; email: string }>>`SELECT id, email FROM users WHERE email = ${who.email} FOR UPDATE`;
  if (!user) fail('USER_NOT_FOUND', `No user ${who.userId ?? who.email}`);
  return user;
}

/** Operators see overrides across every workspace: overrides are per user, and users are anyone's customers. */
export async function listOverrides(services: Services, input: z.infer<typeof OverrideListInput> = {}): Promise<OverrideView[]> {
  const now = services.now();
  const rows = await services.db.prisma.userOverride.findMany({
    where: {
      ...(input.flagKey !== undefined && { flagKey: input.flagKey }),
      user: {
        ...(input.userId !== undefined && { id: input.userId }),
        ...(input.email !== undefined && { email: input.email }),
      },
    },
    include: { user: { select: { email: true } } },
    orderBy: [{ updatedAt: 'desc' }, { flagKey: 'asc' }],
    take: LIST_LIMIT,
  });
  return rows.map((row) => toView(row, row.user.email, now));
}

function toView(row: OverrideRow, email: string, now: Date): OverrideView {
  return {
    userId: row.userId,
    email,
    flagKey: row.flagKey,
    enabled: row.enabled,
    reason: row.reason,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime(),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const overrideState = (row: { enabled: boolean; reason: string; expiresAt: Date | null } | null) =>
  row && { enabled: row.enabled, reason: row.reason, expiresAt: row.expiresAt?.toISOString() ?? null };

export async function setOverride(services: Services, actor: Actor, input: z.infer<typeof OverrideSetInput>): Promise<OverrideView> {
  const now = services.now();
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) fail('VALIDATION_FAILED', 'expiresAt: must be in the future');
  const { flagKey, enabled, reason } = input;
  const view = await inTransaction(services, async (tx) => {
    const user = await lockUser(tx, input);
    if (!(await tx.flag.findUnique({ where: { key: flagKey }, select: { key: true } }))) fail('FLAG_NOT_FOUND', `No flag "${flagKey}"`);
    const id = { userId_flagKey: { userId: user.id, flagKey } };
    const before = await tx.userOverride.findUnique({ where: id });
    // Two admins setting the same override at once: the loser's insert is P2002 → CONFLICT, not a 500.
    const row = await tx.userOverride.upsert({
      where: id,
      create: { userId: user.id, flagKey, enabled, reason, expiresAt, createdBy: actor.email },
      update: { enabled, reason, expiresAt, createdBy: actor.email },
    });
    await recordAudit(tx, {
      at: now,
      actor: actor.email,
      action: 'user_override.set',
      flagKey,
      before: before && { userId: user.id, ...overrideState(before) },
      after: { userId: user.id, ...overrideState({ enabled, reason, expiresAt }) },
      reason,
    });
    return toView(row, user.email, now);
  });
  services.changes.publish({ kind: 'user', userId: view.userId });
  return view;
}

export async function removeOverride(services: Services, actor: Actor, input: z.infer<typeof OverrideRemoveInput>) {
  const now = services.now();
  const { flagKey } = input;
  const userId = await inTransaction(services, async (tx) => {
    const user = await lockUser(tx, input);
    const before = await tx.userOverride.findUnique({ where: { userId_flagKey: { userId: user.id, flagKey } } });
    if (!before) fail('OVERRIDE_NOT_FOUND', `${user.email} has no override for "${flagKey}"`);
    await tx.userOverride.delete({ where: { userId_flagKey: { userId: user.id, flagKey } } });
    await recordAudit(tx, {
      at: now,
      actor: actor.email,
      action: 'user_override.remove',
      flagKey,
      before: { userId: user.id, ...overrideState(before) },
      after: null,
      reason: input.reason,
    });
    return user.id;
  });
  services.changes.publish({ kind: 'user', userId });
  return { removed: true as const, userId, flagKey };
}
