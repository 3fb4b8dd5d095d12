import type { z } from 'zod';
import { flagDefinitionSelect, toFlagDefinition } from '@stagegate/db';
import { bucketingId, explainFlag, isInRollout, type Explanation } from '@stagegate/flags-core';
import type { FlagExplainInput, FlagReachInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';

export interface FlagExplanation extends Explanation {
  user: { id: string; email: string };
  workspace: { id: string; slug: string; name: string };
}

/**
 * "Why is this on for her?": the flag and the user's state read fresh from the database (not the
 * cache an operator may be doubting), then every rule of the precedence table with its outcome.
 */
export async function explainForUser(services: Services, input: z.infer<typeof FlagExplainInput>): Promise<FlagExplanation> {
  const { prisma } = services.db;
  const user = await prisma.user.findFirst({
    where: input.userId !== undefined ? { id: input.userId } : { email: input.email },
    select: { id: true, email: true, memberships: { select: { workspace: { select: { id: true, slug: true, name: true } } } } },
  });
  if (!user) fail('USER_NOT_FOUND', `No user ${input.userId ?? input.email}`);
  const workspaces = user.memberships.map((m) => m.workspace);
  const workspace = input.workspace ? workspaces.find((w) => w.id === input.workspace || w.slug === input.workspace) : workspaces.length === 1 ? workspaces[0] : undefined;
  if (!workspace) {
    fail('VALIDATION_FAILED', input.workspace ? `workspace: ${user.email} is not a member of "${input.workspace}"` : `workspace: ${user.email} belongs to ${workspaces.length} workspaces; name one`);
  }
  const row = await prisma.flag.findUnique({ where: { key: input.key }, select: flagDefinitionSelect });
  if (!row) fail('FLAG_NOT_FOUND', `No flag "${input.key}"`);
  const state = await services.flagSource.loadUserState(user.id, workspace.id);
  const explanation = explainFlag(toFlagDefinition(row), state, { userId: user.id, workspaceId: workspace.id, now: services.now() });
  return { ...explanation, user: { id: user.id, email: user.email }, workspace };
}

export interface RolloutReach {
  bucketBy: 'user' | 'workspace';
  rolloutPercentage: number;
  /** Known users (or workspaces) whose bucket is in at that percentage, of all known. */
  inRollout: number;
  total: number;
}

/** What a percentage means in people before an operator sets it: the same hash the SDKs use. */
export async function rolloutReach(services: Services, input: z.infer<typeof FlagReachInput>): Promise<RolloutReach> {
  const { prisma } = services.db;
  const flag = await prisma.flag.findUnique({ where: { key: input.key }, select: { bucketBy: true } });
  if (!flag) fail('FLAG_NOT_FOUND', `No flag "${input.key}"`);
  const bucketBy = input.bucketBy ?? flag.bucketBy;
  const ids =
    bucketBy === 'workspace'
      ? (await prisma.workspace.findMany({ select: { id: true } })).map((w) => w.id)
      : (await prisma.user.findMany({ where: { memberships: { some: {} } }, select: { id: true } })).map((u) => u.id);
  const inRollout = ids.filter((id) => isInRollout(input.key, bucketingId({ bucketBy }, id, id), input.rolloutPercentage)).length;
  return { bucketBy, rolloutPercentage: input.rolloutPercentage, inRollout, total: ids.length };
}
