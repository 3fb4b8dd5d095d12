import { bucketingId, isInRollout } from './bucketing.js';
import type { EvaluationContext, FlagDefinition, FlagResolution, UserState } from './schema.js';

const isId = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/**
 * Decides whether one flag is on for one user in one workspace. Pure and total: it reads no clock
 * (`ctx.now` comes in) and never throws. First match wins, in the order of the precedence table in
 * the README; `resolver.cases.ts` pins every row.
 */
export function evaluateFlag(
  flag: FlagDefinition | undefined,
  state: UserState,
  ctx: EvaluationContext,
): FlagResolution {
  if (!flag || flag.archived) return { key: flag?.key ?? '', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null };
  const { key, stage } = flag;
  if (flag.kill) return { key, enabled: false, reason: 'KILLED', stage };
  // Typed callers cannot pass these, but JavaScript and JSON can: without an id everyone would share one bucket.
  if (!isId(ctx.userId)) return { key, enabled: false, reason: 'TARGETING_KEY_MISSING', stage };
  if (!isId(ctx.workspaceId)) return { key, enabled: false, reason: 'INVALID_CONTEXT', stage };

  // Own keys only: a flag keyed `constructor` must not find Object.prototype's.
  const override = Object.hasOwn(state.overrides, key) ? state.overrides[key] : undefined;
  if (override && (override.expiresAt === null || override.expiresAt.getTime() > (ctx.now ?? new Date()).getTime())) {
    return { key, enabled: override.enabled, reason: 'USER_OVERRIDE', stage };
  }
  if (flag.adminOverride) return { key, enabled: flag.adminOverride === 'on', reason: 'ADMIN_OVERRIDE', stage };
  if (stage === 'lab') return { key, enabled: false, reason: 'LAB', stage };

  if (stage === 'alpha' || stage === 'beta') {
    const policy = state.workspace;
    const decided = policy !== undefined && Object.hasOwn(policy.flags, key) ? policy.flags[key] : undefined;
    if (decided === 'blocked' || policy?.optInBlocked === true) return { key, enabled: false, reason: 'WORKSPACE_BLOCKED', stage };
    const choice = Object.hasOwn(state.optIns, key) ? state.optIns[key] : undefined;
    if (choice !== undefined) return { key, enabled: choice, reason: choice ? 'OPT_IN' : 'OPT_OUT', stage };
    if (decided === 'enabled') return { key, enabled: true, reason: 'WORKSPACE_OPT_IN', stage };
  }
  if (isInRollout(key, bucketingId(flag, ctx.userId, ctx.workspaceId), flag.rolloutPercentage)) {
    return { key, enabled: true, reason: 'ROLLOUT', stage };
  }
  return { key, enabled: flag.enabled, reason: flag.enabled ? 'GLOBAL' : 'DEFAULT', stage };
}

/** The resolution for a key the caller asked about but that does not exist. */
export function notFound(key: string): FlagResolution {
  return { key, enabled: false, reason: 'FLAG_NOT_FOUND', stage: null };
}
