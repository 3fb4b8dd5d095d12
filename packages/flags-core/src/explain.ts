import { bucketingId, rolloutHash } from './bucketing.js';
import type { EvaluationContext, FlagDefinition, FlagResolution, Reason, UserState } from './schema.js';

/** One row of the precedence table, in the order the resolver reads them. */
export const EXPLAIN_RULES = ['kill', 'context', 'userOverride', 'adminOverride', 'lab', 'workspaceBlock', 'optIn', 'workspaceOptIn', 'rollout', 'global'] as const;
export type ExplainRule = (typeof EXPLAIN_RULES)[number];

export interface ExplainStep {
  rule: ExplainRule;
  /** Whether the rule's condition holds for this user (whether or not an earlier rule already decided). */
  applies: boolean;
  /** The one rule that decided the answer. */
  decides: boolean;
  /** What the rule saw, for a person: "override on, expires 2026-12-09", "bucket 37.12 % vs 25 %". */
  detail: string;
  /** Only for `rollout`: where the bucketing id falls (0–100) and the percentage it is compared with. */
  bucket?: number;
  percentage?: number;
}

export interface Explanation {
  resolution: FlagResolution;
  steps: ExplainStep[];
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The evaluation debugger ("Why is this on for her?"): every rule of the precedence table with what
 * it saw, and which one decided. Slower than evaluateFlag (it reads every rule and always hashes),
 * and kept apart from it so the hot path stays lean; a test holds the two to the same answers.
 */
export function explainFlag(flag: FlagDefinition | undefined, state: UserState, ctx: EvaluationContext): Explanation {
  if (!flag || flag.archived) return { resolution: { key: flag?.key ?? '', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null }, steps: [] };
  const { key, stage } = flag;
  const now = ctx.now ?? new Date();
  const betaStage = stage === 'alpha' || stage === 'beta';
  const override = own(state.overrides, key);
  const overrideLive = override !== undefined && (override.expiresAt === null || override.expiresAt.getTime() > now.getTime());
  const policy = state.workspace;
  const decided = policy ? own(policy.flags, key) : undefined;
  const choice = own(state.optIns, key);
  const idsPresent = isId(ctx.userId) && isId(ctx.workspaceId);
  const id = idsPresent ? bucketingId(flag, ctx.userId, ctx.workspaceId) : undefined;
  const bucket = id === undefined ? undefined : Math.round(rolloutHash(key, id) * 100 * 10_000) / 10_000;
  const inRollout = flag.rolloutPercentage >= 100 || (bucket !== undefined && flag.rolloutPercentage > 0 && rolloutHash(key, id!) <= flag.rolloutPercentage / 100);

  const rows: Array<{ rule: ExplainRule; applies: boolean; detail: string; answer: () => { enabled: boolean; reason: Reason }; extra?: Partial<ExplainStep> }> = [
    { rule: 'kill', applies: flag.kill !== null, detail: flag.kill ? `killed by ${flag.kill.by} on ${day(flag.kill.at)}: ${flag.kill.reason}` : 'not killed', answer: () => ({ enabled: false, reason: 'KILLED' }) },
    {
      rule: 'context',
      applies: !idsPresent,
      detail: idsPresent ? 'user and workspace ids present' : !isId(ctx.userId) ? 'no user id' : 'no workspace id',
      answer: () => ({ enabled: false, reason: isId(ctx.userId) ? 'INVALID_CONTEXT' : 'TARGETING_KEY_MISSING' }),
    },
    {
      rule: 'userOverride',
      applies: overrideLive,
      detail: override === undefined ? 'no override for this user' : `override ${override.enabled ? 'on' : 'off'} (${override.reason})${override.expiresAt ? `, ${overrideLive ? 'expires' : 'expired'} ${override.expiresAt.toISOString()}` : ', no expiry'}`,
      answer: () => ({ enabled: override!.enabled, reason: 'USER_OVERRIDE' }),
    },
    { rule: 'adminOverride', applies: flag.adminOverride !== null, detail: flag.adminOverride ? `forced ${flag.adminOverride}` : 'none', answer: () => ({ enabled: flag.adminOverride === 'on', reason: 'ADMIN_OVERRIDE' }) },
    { rule: 'lab', applies: stage === 'lab', detail: `stage ${stage}`, answer: () => ({ enabled: false, reason: 'LAB' }) },
    {
      rule: 'workspaceBlock',
      applies: betaStage && (decided === 'blocked' || policy?.optInBlocked === true),
      detail: !betaStage ? `not alpha/beta (${stage})` : policy?.optInBlocked ? 'the workspace blocks every alpha/beta' : decided === 'blocked' ? 'the workspace blocks this flag' : 'not blocked by the workspace',
      answer: () => ({ enabled: false, reason: 'WORKSPACE_BLOCKED' }),
    },
    {
      rule: 'optIn',
      applies: betaStage && choice !== undefined,
      detail: choice === undefined ? 'no choice made' : `${choice ? 'opted in' : 'opted out'}${betaStage ? '' : ` (ignored: ${stage})`}`,
      answer: () => ({ enabled: choice!, reason: choice ? 'OPT_IN' : 'OPT_OUT' }),
    },
    {
      rule: 'workspaceOptIn',
      applies: betaStage && decided === 'enabled',
      detail: decided === 'enabled' ? `the workspace switched it on for its members${betaStage ? '' : ` (ignored: ${stage})`}` : 'not switched on by the workspace',
      answer: () => ({ enabled: true, reason: 'WORKSPACE_OPT_IN' }),
    },
    {
      rule: 'rollout',
      applies: inRollout,
      detail: bucket === undefined ? `rollout ${flag.rolloutPercentage} %, no id to bucket` : `${flag.bucketBy} bucket ${bucket} % vs rollout ${flag.rolloutPercentage} %: ${inRollout ? 'in' : 'out'}`,
      answer: () => ({ enabled: true, reason: 'ROLLOUT' }),
      extra: { ...(bucket !== undefined && { bucket }), percentage: flag.rolloutPercentage },
    },
    { rule: 'global', applies: true, detail: flag.enabled ? 'globally on' : 'globally off', answer: () => ({ enabled: flag.enabled, reason: flag.enabled ? 'GLOBAL' : 'DEFAULT' }) },
  ];

  const deciding = rows.find((row) => row.applies)!;
  return {
    resolution: { key, stage, ...deciding.answer() },
    steps: rows.map((row) => ({ rule: row.rule, applies: row.applies, decides: row === deciding, detail: row.detail, ...row.extra })),
  };
}
