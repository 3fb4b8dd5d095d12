import type { FlagDefinition, UserState, WorkspacePolicy } from '@stagegate/flags-core';
import type { Prisma } from './generated/prisma/client.js';

/** The columns of a flag that make up flags-core's FlagDefinition. */
export const flagDefinitionSelect = {
  key: true,
  name: true,
  description: true,
  stage: true,
  ttlStart: true,
  ttlDays: true,
  kbArticle: true,
  category: true,
  owner: true,
  enabled: true,
  rolloutPercentage: true,
  bucketBy: true,
  adminOverride: true,
  killReason: true,
  killedAt: true,
  killedBy: true,
  archived: true,
  version: true,
} satisfies Prisma.FlagSelect;

/** A flag as the admin screens list it: its definition plus when it was created and last changed. */
export const flagAdminSelect = { ...flagDefinitionSelect, createdAt: true, updatedAt: true } satisfies Prisma.FlagSelect;

/** One user's opt-in choices (filter by userId and workspaceId). */
export const betaPreferenceSelect = { flagKey: true, enabled: true } satisfies Prisma.BetaPreferenceSelect;

/** One user's overrides (filter by userId). */
export const userOverrideSelect = { flagKey: true, enabled: true, reason: true, expiresAt: true } satisfies Prisma.UserOverrideSelect;

export type FlagDefinitionRow = Prisma.FlagGetPayload<{ select: typeof flagDefinitionSelect }>;
export type FlagAdminRow = Prisma.FlagGetPayload<{ select: typeof flagAdminSelect }>;
export type BetaPreferenceRow = Prisma.BetaPreferenceGetPayload<{ select: typeof betaPreferenceSelect }>;
export type UserOverrideRow = Prisma.UserOverrideGetPayload<{ select: typeof userOverrideSelect }>;

/** A flag row as flags-core sees it; the three kill columns become `kill` (a CHECK keeps them set together). */
export function toFlagDefinition(row: FlagDefinitionRow): FlagDefinition {
  const { killReason, killedAt, killedBy } = row;
  // Field by field, so a wider row (e.g. with timestamps) does not leak into the definition.
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    stage: row.stage,
    ttlStart: row.ttlStart,
    ttlDays: row.ttlDays,
    kbArticle: row.kbArticle,
    category: row.category,
    owner: row.owner,
    enabled: row.enabled,
    rolloutPercentage: row.rolloutPercentage,
    bucketBy: row.bucketBy,
    adminOverride: row.adminOverride,
    kill: killReason !== null && killedAt !== null && killedBy !== null ? { reason: killReason, at: killedAt, by: killedBy } : null,
    archived: row.archived,
    version: row.version,
  };
}

/** The columns to write for a FlagDefinition (create or full update). */
export function toFlagData(flag: FlagDefinition): FlagDefinitionRow {
  const { kill, ...rest } = flag;
  return { ...rest, killReason: kill?.reason ?? null, killedAt: kill?.at ?? null, killedBy: kill?.by ?? null };
}

/** A workspace's beta policy (filter by id). */
export const workspacePolicySelect = { optInBlocked: true, flagPolicies: { select: { flagKey: true, policy: true } } } satisfies Prisma.WorkspaceSelect;
export type WorkspacePolicyRow = Prisma.WorkspaceGetPayload<{ select: typeof workspacePolicySelect }>;

/** A workspace's rows as flags-core's WorkspacePolicy (no row: the open policy). */
export function toWorkspacePolicy(row: WorkspacePolicyRow | null): WorkspacePolicy {
  const policy: WorkspacePolicy = { optInBlocked: row?.optInBlocked ?? false, flags: {} };
  for (const { flagKey, policy: decided } of row?.flagPolicies ?? []) policy.flags[flagKey] = decided;
  return policy;
}

/** One user's rows as flags-core's UserState; `workspace` only when that workspace has a policy of its own. */
export function toUserState(preferences: readonly BetaPreferenceRow[], overrides: readonly UserOverrideRow[], workspace: WorkspacePolicyRow | null = null): UserState {
  const state: UserState = { optIns: {}, overrides: {} };
  for (const { flagKey, enabled } of preferences) state.optIns[flagKey] = enabled;
  for (const { flagKey, enabled, reason, expiresAt } of overrides) state.overrides[flagKey] = { enabled, reason, expiresAt };
  if (workspace && (workspace.optInBlocked || workspace.flagPolicies.length > 0)) state.workspace = toWorkspacePolicy(workspace);
  return state;
}
