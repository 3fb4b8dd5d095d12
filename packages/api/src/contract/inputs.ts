// Every procedure's input schema, in one pure module: the API validates with these and the apps'
// forms validate with the same ones (field errors inline, before a round trip).
import { z } from 'zod';
// The schema subpath: the apps bundle this contract, and must not pull in the SDK client with it.
import { AdminOverride, BucketBy, FlagDefinition, FlagKey, RolloutPercentage, Stage, WorkspaceFlagPolicy } from '@stagegate/flags-core/schema';
import { OPERATOR_ROLES } from './access.js';

const fields = FlagDefinition.shape;
const Reason = z.string().trim().min(1).max(1000);
const Version = z.number().int().positive().max(2_147_483_647);
/** A date: a Date in-process, an ISO 8601 string over JSON. */
const Instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));

/** For procedures that take nothing: a stray field is a client bug worth a 400, not silence. */
export const NoInput = z.strictObject({}).optional();

// --- Beta features (members) ---
export const ToggleInput = z.strictObject({ key: FlagKey, enabled: z.boolean() });
export const DiscoveredInput = z.strictObject({ key: FlagKey, location: z.string().trim().min(1).max(100) });
/** Enough for any screen; a larger list is a client asking for everything, which `keys` unset does. */
export const MAX_EVALUATE_KEYS = 200;
export const EvaluateInput = z
  .strictObject({
    /** Unset: every live flag. Unknown keys come back with reason FLAG_NOT_FOUND rather than failing the call. */
    keys: z.array(z.string().min(1).max(200)).max(MAX_EVALUATE_KEYS).optional(),
  })
  .optional();

// --- Flags (operators) ---
/** Every write names its flag and may say which version it was looking at (stale → CONFLICT). */
const target = { key: FlagKey, expectedVersion: Version.optional() };

export const FlagListInput = z
  .strictObject({ archived: z.enum(['exclude', 'include', 'only']).optional(), stage: Stage.optional() })
  .optional();
export const FlagGetInput = z.strictObject({ key: FlagKey });
export const FlagCreateInput = z.strictObject({
  key: FlagKey,
  name: fields.name,
  description: fields.description.optional(),
  stage: Stage,
  ttlDays: fields.ttlDays,
  kbArticle: fields.kbArticle.optional(),
  category: fields.category.optional(),
  /** Defaults to the operator creating it. */
  owner: fields.owner.optional(),
  bucketBy: BucketBy.optional(),
  enabled: z.boolean().optional(),
  rolloutPercentage: RolloutPercentage.optional(),
  reason: Reason.optional(),
});
export const FLAG_METADATA_FIELDS = ['name', 'description', 'ttlDays', 'kbArticle', 'category', 'owner', 'bucketBy'] as const;
const metadata = {
  name: fields.name.optional(),
  description: fields.description.optional(),
  ttlDays: fields.ttlDays.optional(),
  kbArticle: fields.kbArticle.optional(),
  category: fields.category.optional(),
  owner: fields.owner.optional(),
  bucketBy: BucketBy.optional(),
} satisfies Record<(typeof FLAG_METADATA_FIELDS)[number], z.ZodType>;
export const FlagUpdateInput = z
  .strictObject({ ...target, ...metadata, reason: Reason.optional() })
  .refine((input) => FLAG_METADATA_FIELDS.some((field) => input[field] !== undefined), 'Change at least one field');
export const FlagSetStageInput = z.strictObject({ ...target, stage: Stage, reason: Reason.optional() });
export const FlagSetRolloutInput = z.strictObject({ ...target, rolloutPercentage: RolloutPercentage, enabled: z.boolean().optional(), reason: Reason.optional() });
export const FlagSetAdminOverrideInput = z.strictObject({ ...target, adminOverride: AdminOverride, reason: Reason.optional() });
/** The kill switch and its undo always say why: they are what an incident review reads first. */
export const FlagKillInput = z.strictObject({ ...target, reason: Reason });
export const FlagRestoreInput = z.strictObject({ ...target, reason: Reason });
export const FlagArchiveInput = z.strictObject({ ...target, reason: Reason.optional() });

// --- User overrides (operators) ---
/** The user an override is for: by id or by email, exactly one of them. */
const who = { userId: z.string().min(1).max(100).optional(), email: z.email().max(320).optional() };
const oneUser = (input: { userId?: string | undefined; email?: string | undefined }) => (input.userId === undefined) !== (input.email === undefined);
const ONE_USER = { message: 'Name the user by userId or by email (one of them)' };

export const OverrideListInput = z
  .strictObject({ flagKey: FlagKey.optional(), ...who })
  .refine((input) => input.userId === undefined || input.email === undefined, ONE_USER)
  .optional();
export const OverrideSetInput = z
  .strictObject({
    ...who,
    flagKey: FlagKey,
    enabled: z.boolean(),
    reason: Reason,
    /** Unset or null: until removed. */
    expiresAt: Instant.nullable().optional(),
  })
  .refine(oneUser, ONE_USER);
export const OverrideRemoveInput = z.strictObject({ ...who, flagKey: FlagKey, reason: Reason.optional() }).refine(oneUser, ONE_USER);

// --- Audit and analytics (operators) ---
export const AuditListInput = z
  .strictObject({
    /** The `nextCursor` of the previous page: entries older than it. */
    cursor: z.number().int().positive().max(2_147_483_647).optional(),
    limit: z.number().int().min(1).max(100).optional(),
    flagKey: z.string().min(1).max(100).optional(),
    actor: z.string().min(1).max(320).optional(),
    action: z.string().min(1).max(100).optional(),
    /** Entries at or after / before these instants. */
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .optional();
export const AnalyticsInput = z.strictObject({ days: z.number().int().min(1).max(90).default(14) }).default({ days: 14 });

// --- Operators and API tokens (owners) ---
export const OperatorSetRoleInput = z.strictObject({
  email: z.email().max(320),
  /** null: no longer an operator. */
  role: z.enum(OPERATOR_ROLES).nullable(),
});
export const TokenCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** service: reads flags for SDKs; user: acts as the user named by `email` (default: the owner creating it). */
  kind: z.enum(['service', 'user']),
  email: z.email().max(320).optional(),
});
export const TokenRevokeInput = z.strictObject({ id: z.string().min(1).max(100) });

// --- Workspace policy (workspace admins) ---
export const WorkspaceSetOptInBlockedInput = z.strictObject({ blocked: z.boolean(), reason: Reason.optional() });
export const WorkspaceSetFlagPolicyInput = z.strictObject({
  flagKey: FlagKey,
  /** null: leave it to each member again. */
  policy: WorkspaceFlagPolicy.nullable(),
  reason: Reason.optional(),
});

// --- The spec's REST contract (same rules, its own shapes) ---
export const FlagKeyParam = FlagKey;
export const ToggleBody = z.strictObject({ enabled: z.boolean() });
/** `/api/flags/state?userId=&workspaceId=` for backend SDKs. */
export const UserStateQuery = z.strictObject({ userId: z.string().min(1).max(200), workspaceId: z.string().min(1).max(200) });

// --- Release tools (operators) ---
/** Whose evaluation to explain: a user by id or email, in a workspace (id or slug; default their only one). */
export const FlagExplainInput = z
  .strictObject({ key: FlagKey, ...who, workspace: z.string().min(1).max(200).optional() })
  .refine(oneUser, ONE_USER);
/** How many known users or workspaces a rollout percentage would reach. */
export const FlagReachInput = z.strictObject({ key: FlagKey, rolloutPercentage: RolloutPercentage, bucketBy: BucketBy.optional() });
export const MAX_BULK_FLAGS = 100;
/** One change to many flags, each audited on its own; a refusal of one does not stop the others. */
export const FlagBulkInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('setStage'), keys: z.array(FlagKey).min(1).max(MAX_BULK_FLAGS), stage: Stage, reason: Reason }),
  z.strictObject({ action: z.literal('archive'), keys: z.array(FlagKey).min(1).max(MAX_BULK_FLAGS), reason: Reason }),
]);
/** One row of a metadata file (the spec's Phase 1 migration): what to set on one existing flag. */
export const FlagAnnotation = z.strictObject({
  key: FlagKey,
  name: fields.name.optional(),
  description: fields.description.optional(),
  stage: Stage.optional(),
  ttlDays: fields.ttlDays.optional(),
  kbArticle: fields.kbArticle.optional(),
  category: fields.category.optional(),
  owner: fields.owner.optional(),
});
export const MAX_ANNOTATIONS = 500;
export const FlagAnnotateInput = z.strictObject({
  flags: z.array(FlagAnnotation).min(1).max(MAX_ANNOTATIONS),
  /** Only say what would change. */
  dryRun: z.boolean().optional(),
  reason: Reason.optional(),
});

// --- Pipeline health, release plans and scheduled changes (operators) ---
/** How far back a flag's pipeline health goes: minutes for the last 48 h, hours before that. */
export const FlagHealthInput = z.strictObject({ key: FlagKey, hours: z.number().int().min(1).max(24 * 90).default(24) });

/** ADR-074's rollout: 0.1 % → 5 % → 25 % → 50 % → 100 %. */
export const DEFAULT_PLAN_STEPS = [0.1, 5, 25, 50, 100] as const;
export const PLAN_ACTIONS = ['pause', 'resume', 'skip', 'abort'] as const;
export const PlanSteps = z
  .array(RolloutPercentage.refine((value) => value > 0, 'A step must be above 0 %'))
  .min(1)
  .max(20)
  .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]!), 'Steps must go up, each above the one before')
  .refine((steps) => steps.at(-1) === 100, 'The last step must be 100 %');
export const PlanAttachInput = z.strictObject({
  key: FlagKey,
  steps: PlanSteps.default([...DEFAULT_PLAN_STEPS]),
  /** The least time a step runs before it may advance. */
  minStepSeconds: z.number().int().min(1).max(30 * 86_400).default(3_600),
  /** The least route() calls the enabled path serves in a step before it may advance. */
  minCalls: z.number().int().min(0).max(1_000_000_000).default(100),
  /** The guard: the enabled path's error rate stays ≤ maxErrorRate and ≤ the disabled path's + errorMargin. */
  maxErrorRate: z.number().min(0).max(1).default(0.05),
  errorMargin: z.number().min(0).max(1).default(0.01),
  onTrip: z.enum(['kill', 'previous_step']).default('kill'),
  reason: Reason.optional(),
});
export const PlanGetInput = z.strictObject({ key: FlagKey });
export const PlanControlInput = z.strictObject({ key: FlagKey, action: z.enum(PLAN_ACTIONS), reason: Reason });

const scheduled = { key: FlagKey, runAt: Instant, reason: Reason };
/** A change at a set time; it runs once, on whichever API process claims it first. */
export const ScheduleCreateInput = z.discriminatedUnion('action', [
  z.strictObject({ ...scheduled, action: z.literal('set_stage'), stage: Stage }),
  z.strictObject({ ...scheduled, action: z.literal('set_rollout'), rolloutPercentage: RolloutPercentage }),
  z.strictObject({ ...scheduled, action: z.literal('kill') }),
  z.strictObject({ ...scheduled, action: z.literal('restore') }),
]);
export const ScheduleListInput = z
  .strictObject({ key: FlagKey.optional(), status: z.enum(['pending', 'done', 'failed', 'cancelled']).optional() })
  .optional();
export const ScheduleCancelInput = z.strictObject({ id: z.number().int().positive().max(2_147_483_647), reason: Reason.optional() });
