import type { z } from 'zod';
import type { Stage, WorkspaceFlagPolicy } from '@stagegate/flags-core';
import type { WorkspaceSetFlagPolicyInput, WorkspaceSetOptInBlockedInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { MemberGrant } from '../policy.js';
import type { Services } from '../services.js';
import { recordAudit } from './audit.js';
import { inTransaction, type Tx } from './transaction.js';

export interface WorkspaceBeta {
  key: string;
  name: string;
  description: string;
  stage: Stage;
  /** The admin's decision: blocked, switched on for everyone, or null (each member decides). */
  policy: WorkspaceFlagPolicy | null;
  /** This workspace's members who chose it on / off themselves. */
  optedIn: number;
  optedOut: number;
}

export interface WorkspacePolicyView {
  workspace: { id: string; slug: string; name: string };
  members: number;
  /** No member may opt in to any alpha/beta. */
  optInBlocked: boolean;
  betas: WorkspaceBeta[];
}

/** One workspace's beta policy with its own members' choices: never another workspace's. */
export async function getWorkspacePolicy(services: Services, member: MemberGrant): Promise<WorkspacePolicyView> {
  const workspaceId = member.workspace.id;
  const { prisma } = services.db;
  const [workspace, members, flags, choices] = await Promise.all([
    prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { id: true, slug: true, name: true, optInBlocked: true, flagPolicies: true } }),
    prisma.membership.count({ where: { workspaceId } }),
    prisma.flag.findMany({
      where: { stage: { in: ['alpha', 'beta'] }, archived: false, killedAt: null },
      select: { key: true, name: true, description: true, stage: true },
      orderBy: [{ name: 'asc' }, { key: 'asc' }],
    }),
    prisma.betaPreference.groupBy({ by: ['flagKey', 'enabled'], where: { workspaceId }, _count: { _all: true } }),
  ]);
  const policies = new Map(workspace.flagPolicies.map((entry) => [entry.flagKey, entry.policy]));
  const count = (key: string, enabled: boolean) => choices.find((c) => c.flagKey === key && c.enabled === enabled)?._count._all ?? 0;
  return {
    workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
    members,
    optInBlocked: workspace.optInBlocked,
    betas: flags.map((flag) => ({ ...flag, policy: policies.get(flag.key) ?? null, optedIn: count(flag.key, true), optedOut: count(flag.key, false) })),
  };
}

/** Serialises policy writes per workspace, so each audit entry's `before` is the previous one's `after`. */
async function lockWorkspace(tx: Tx, workspaceId: string): Promise<{ optInBlocked: boolean }> {
  const [row] = await tx.$queryRaw<Array<{ opt_in_blocked: boolean }>>`SELECT opt_in_blocked FROM workspaces WHERE id = ${workspaceId} FOR UPDATE`;
  if (!row) fail('FORBIDDEN', 'That workspace no longer exists');
  return { optInBlocked: row.opt_in_blocked };
}

export async function setOptInBlocked(services: Services, member: MemberGrant, input: z.infer<typeof WorkspaceSetOptInBlockedInput>): Promise<WorkspacePolicyView> {
  const workspaceId = member.workspace.id;
  await inTransaction(services, async (tx) => {
    const before = await lockWorkspace(tx, workspaceId);
    if (before.optInBlocked === input.blocked) return;
    await tx.workspace.update({ where: { id: workspaceId }, data: { optInBlocked: input.blocked } });
    await recordAudit(tx, {
      at: services.now(),
      actor: member.user.email,
      action: 'workspace_policy.set_opt_in_blocked',
      flagKey: null,
      before: { workspaceId, optInBlocked: before.optInBlocked },
      after: { workspaceId, optInBlocked: input.blocked },
      reason: input.reason,
    });
  });
  services.changes.publish({ kind: 'workspace', workspaceId });
  return getWorkspacePolicy(services, member);
}

export async function setFlagPolicy(services: Services, member: MemberGrant, input: z.infer<typeof WorkspaceSetFlagPolicyInput>): Promise<WorkspacePolicyView> {
  const workspaceId = member.workspace.id;
  const { flagKey, policy } = input;
  await inTransaction(services, async (tx) => {
    await lockWorkspace(tx, workspaceId);
    const flag = await tx.flag.findUnique({ where: { key: flagKey }, select: { stage: true, archived: true } });
    // Only alpha and beta are the workspace's to decide; lab is nobody's yet and GA is everybody's.
    if (!flag || flag.archived || (flag.stage !== 'alpha' && flag.stage !== 'beta')) fail('FEATURE_NOT_AVAILABLE', `"${flagKey}" is not an alpha or beta feature`);
    const id = { workspaceId_flagKey: { workspaceId, flagKey } };
    const before = (await tx.workspaceFlagPolicyEntry.findUnique({ where: id }))?.policy ?? null;
    if (before === policy) return;
    if (policy === null) await tx.workspaceFlagPolicyEntry.delete({ where: id });
    else await tx.workspaceFlagPolicyEntry.upsert({ where: id, create: { workspaceId, flagKey, policy, updatedBy: member.user.email }, update: { policy, updatedBy: member.user.email } });
    await recordAudit(tx, {
      at: services.now(),
      actor: member.user.email,
      action: 'workspace_policy.set_flag',
      flagKey,
      before: { workspaceId, policy: before },
      after: { workspaceId, policy },
      reason: input.reason,
    });
  });
  services.changes.publish({ kind: 'workspace', workspaceId });
  return getWorkspacePolicy(services, member);
}
