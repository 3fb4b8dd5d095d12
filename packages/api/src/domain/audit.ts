import type { z } from 'zod';
import type { AuditListInput } from '../contract/inputs.js';
import { Prisma } from '@stagegate/db';
import type { Services } from '../services.js';
import type { Tx } from './transaction.js';

export const AUDIT_ACTIONS = [
  'flag.create',
  'flag.update',
  'flag.set_stage',
  'flag.set_rollout',
  'flag.set_admin_override',
  'flag.kill',
  'flag.restore',
  'flag.archive',
  'user_override.set',
  'user_override.remove',
  'workspace_policy.set_opt_in_blocked',
  'workspace_policy.set_flag',
  'operator.set_role',
  'api_token.create',
  'api_token.revoke',
  'beta_feature.enabled',
  'beta_feature.disabled',
  'schedule.create',
  'schedule.cancel',
  'plan.attach',
  'plan.pause',
  'plan.resume',
  'plan.skip',
  'plan.abort',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an audit entry records about a thing before and after: a JSON object (dates as ISO strings). */
export type AuditState = Record<string, unknown>;

export interface AuditRecord {
  at: Date;
  actor: string;
  action: AuditAction;
  flagKey: string | null;
  before: object | null;
  after: object | null;
  reason?: string | null | undefined;
}

const toJson = (value: object | null): Prisma.InputJsonValue | typeof Prisma.DbNull =>
  value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);

/** Appends an entry; call it inside the transaction that makes the change, so both commit or neither. */
export async function recordAudit(tx: Tx, entry: AuditRecord): Promise<void> {
  await tx.auditEntry.create({
    data: {
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      flagKey: entry.flagKey,
      before: toJson(entry.before),
      after: toJson(entry.after),
      reason: entry.reason ?? null,
    },
  });
}

export type AuditQuery = z.infer<typeof AuditListInput>;

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  flagKey: string | null;
  before: AuditState | null;
  after: AuditState | null;
  reason: string | null;
}

const asState = (value: Prisma.JsonValue | null): AuditState | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;

/** Newest first, a page at a time; `nextCursor` is null on the last page. */
export async function listAudit(services: Services, input: AuditQuery = {}): Promise<{ items: AuditItem[]; nextCursor: number | null }> {
  const limit = input.limit ?? 50;
  const rows = await services.db.prisma.auditEntry.findMany({
    where: {
      ...(input.cursor !== undefined && { id: { lt: input.cursor } }),
      ...(input.flagKey !== undefined && { flagKey: input.flagKey }),
      ...(input.actor !== undefined && { actor: input.actor }),
      ...(input.action !== undefined && { action: input.action }),
      ...((input.from !== undefined || input.to !== undefined) && { at: { ...(input.from && { gte: input.from }), ...(input.to && { lt: input.to }) } }),
    },
    orderBy: { id: 'desc' },
    // One more than asked says whether another page exists.
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      flagKey: row.flagKey,
      before: asState(row.before),
      after: asState(row.after),
      reason: row.reason,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
