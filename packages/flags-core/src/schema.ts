import { z } from 'zod';

/** The release lifecycle: lab → alpha → beta → GA. */
export const STAGES = ['lab', 'alpha', 'beta', 'ga'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** Stages in which users may opt in or out for themselves. */
export const OPT_IN_STAGES: readonly Stage[] = ['alpha', 'beta'];
export const isOptInStage = (stage: Stage): boolean => stage === 'alpha' || stage === 'beta';

export const FlagKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'a flag key is a lowercase slug: a-z, 0-9, ".", "_" or "-", at most 100 characters');
export type FlagKey = z.infer<typeof FlagKey>;

/** 0–100 with at most two decimals (the rollout plan starts at 0.1 %). */
export const RolloutPercentage = z
  .number()
  .min(0)
  .max(100)
  .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-9, 'at most two decimals');

export const BucketBy = z.enum(['user', 'workspace']);
export type BucketBy = z.infer<typeof BucketBy>;

export const AdminOverride = z.enum(['on', 'off']).nullable();
export type AdminOverride = z.infer<typeof AdminOverride>;

export const KillSwitch = z.object({
  reason: z.string().min(1).max(1000),
  at: z.coerce.date(),
  by: z.string().min(1).max(320),
});
export type KillSwitch = z.infer<typeof KillSwitch>;

export const FlagDefinition = z.object({
  key: FlagKey,
  name: z.string().min(1).max(200),
  description: z.string().max(2000),
  stage: Stage,
  ttlStart: z.coerce.date(),
  ttlDays: z.number().int().positive().max(3650),
  // http(s) only: the apps render it as a link, and `javascript:` is a URL too.
  kbArticle: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  category: z.string().max(100),
  owner: z.email().max(320),
  enabled: z.boolean(),
  rolloutPercentage: RolloutPercentage,
  bucketBy: BucketBy,
  adminOverride: AdminOverride,
  kill: KillSwitch.nullable(),
  archived: z.boolean(),
  version: z.number().int().nonnegative(),
});
export type FlagDefinition = z.infer<typeof FlagDefinition>;

export const UserOverride = z.object({
  enabled: z.boolean(),
  reason: z.string().max(1000),
  expiresAt: z.coerce.date().nullable(),
});
export type UserOverride = z.infer<typeof UserOverride>;

/** What a workspace admin decided for one alpha/beta flag in their workspace. */
export const WorkspaceFlagPolicy = z.enum(['blocked', 'enabled']);
export type WorkspaceFlagPolicy = z.infer<typeof WorkspaceFlagPolicy>;

/**
 * A customer workspace's beta policy (the spec's "workspace policy" box). Only alpha/beta flags
 * are affected: `optInBlocked` blocks them all, `flags` blocks one or switches it on for every member.
 */
export const WorkspacePolicy = z.object({
  optInBlocked: z.boolean(),
  flags: z.record(z.string(), WorkspaceFlagPolicy),
});
export type WorkspacePolicy = z.infer<typeof WorkspacePolicy>;

/** Phase 1 of the spec: everything allowed, nothing switched on. */
export const OPEN_WORKSPACE_POLICY: WorkspacePolicy = Object.freeze({ optInBlocked: false, flags: Object.freeze({}) }) as WorkspacePolicy;

/**
 * One user's state in one workspace: their own opt-in choices, the overrides operators set for them,
 * and the workspace's policy (absent: the open policy).
 */
export const UserState = z.object({
  optIns: z.record(z.string(), z.boolean()),
  overrides: z.record(z.string(), UserOverride),
  workspace: WorkspacePolicy.optional(),
});
export type UserState = z.infer<typeof UserState>;

export const EMPTY_USER_STATE: UserState = Object.freeze({ optIns: Object.freeze({}), overrides: Object.freeze({}) }) as UserState;

export const EvaluationContext = z.object({
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  now: z.date().optional(),
});
export type EvaluationContext = z.infer<typeof EvaluationContext>;

export const REASONS = [
  'FLAG_NOT_FOUND',
  'KILLED',
  'USER_OVERRIDE',
  'ADMIN_OVERRIDE',
  'LAB',
  /** The workspace's admin blocked this alpha/beta flag (or every one) for their workspace. */
  'WORKSPACE_BLOCKED',
  'OPT_IN',
  'OPT_OUT',
  /** The workspace's admin switched this alpha/beta flag on for every member who did not opt out. */
  'WORKSPACE_OPT_IN',
  'ROLLOUT',
  'GLOBAL',
  'DEFAULT',
  /** The client could not load what it needs and knows nothing older: fail safe to off. */
  'SOURCE_ERROR',
  /** Nothing to answer from yet: the first load is still under way (the wait for it ran out, or the caller asked synchronously). Off. */
  'NOT_READY',
  /** No user id to evaluate for (OpenFeature's TARGETING_KEY_MISSING): off, never a shared bucket. */
  'TARGETING_KEY_MISSING',
  /** The context lacks what the flag needs (a workspace id for a workspace-bucketed flag): off. */
  'INVALID_CONTEXT',
] as const;
export const Reason = z.enum(REASONS);
export type Reason = z.infer<typeof Reason>;

export interface FlagResolution {
  key: string;
  enabled: boolean;
  reason: Reason;
  /** null when the flag is unknown. */
  stage: Stage | null;
}
