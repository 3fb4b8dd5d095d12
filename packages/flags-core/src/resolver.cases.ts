/**
 * The resolver's contract as a table (in the style of the GrowthBook and Unleash client specs): each
 * row is one flag, one user's state, one context and the resolution they must give. A new rule or a
 * bug fix is a new row. Rows are grouped by the precedence row they pin (first match wins):
 *
 * | # | when                                                     | enabled  | reason              |
 * | 1 | flag unknown or archived                                 | false    | FLAG_NOT_FOUND      |
 * | 2 | kill switch set                                          | false    | KILLED              |
 * | 3 | user override, expiresAt null or later than now          | override | USER_OVERRIDE       |
 * | 4 | adminOverride 'on' / 'off'                               | on/off   | ADMIN_OVERRIDE      |
 * | 5 | stage lab                                                | false    | LAB                 |
 * | 6 | alpha/beta, the workspace blocked it (or all opt-ins)    | false    | WORKSPACE_BLOCKED   |
 * | 7 | stage alpha/beta and the user made a choice              | choice   | OPT_IN / OPT_OUT    |
 * | 8 | alpha/beta the workspace switched on for its members     | true     | WORKSPACE_OPT_IN    |
 * | 9 | rolloutPercentage > 0 and the bucket is in               | true     | ROLLOUT             |
 * |10 | otherwise                                                | enabled  | GLOBAL / DEFAULT    |
 */
import type { EvaluationContext, FlagDefinition, KillSwitch, Reason, UserOverride, WorkspacePolicy } from './schema.js';
import { TEST_FLAG_KEY as KEY, TEST_NOW as NOW, findBucketingId, makeOverride } from './testing.js';

export interface ResolverCase {
  name: string;
  /** undefined: no such flag. Fields not given come from `makeFlag` (GA, off, 0 %, bucketed by user). */
  flag: Partial<FlagDefinition> | undefined;
  /** The user's own opt-in choices and the overrides admins set for them, keyed by flag key. */
  state?: { optIns?: Record<string, boolean>; overrides?: Record<string, UserOverride>; workspace?: WorkspacePolicy };
  /** Defaults: `user-1` in `ws-1` at TEST_NOW. */
  ctx?: Partial<EvaluationContext>;
  expected: { enabled: boolean; reason: Reason };
}

const MS = 1;
const DAY = 86_400_000;
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);
const KILL: KillSwitch = { reason: 'checkout errors at 4 %', at: at(-DAY), by: 'oncall@example.com' };

// Ids chosen by their hash, so each rollout row says why its user is in or out.
const IN_AT_01 = findBucketingId(KEY, 0.1, true);
const OUT_AT_01 = findBucketingId(KEY, 0.1, false);
const IN_AT_50 = findBucketingId(KEY, 50, true);
const OUT_AT_50 = findBucketingId(KEY, 50, false);
const WORKSPACE_IN_AT_50 = findBucketingId(KEY, 50, true, 'ws');
const WORKSPACE_OUT_AT_50 = findBucketingId(KEY, 50, false, 'ws');

const on = { [KEY]: makeOverride(true) };
const off = { [KEY]: makeOverride(false) };
const optedIn = { [KEY]: true };
const optedOut = { [KEY]: false };
const blockedAll: WorkspacePolicy = { optInBlocked: true, flags: {} };
const blockedHere: WorkspacePolicy = { optInBlocked: false, flags: { [KEY]: 'blocked' } };
const switchedOn: WorkspacePolicy = { optInBlocked: false, flags: { [KEY]: 'enabled' } };

export const resolverCases: readonly ResolverCase[] = [
  // 1 — unknown or archived
  { name: 'unknown flag is off', flag: undefined, expected: { enabled: false, reason: 'FLAG_NOT_FOUND' } },
  { name: 'unknown flag ignores a leftover override', flag: undefined, state: { overrides: on }, expected: { enabled: false, reason: 'FLAG_NOT_FOUND' } },
  { name: 'archived flag is not found even when globally on', flag: { archived: true, enabled: true, rolloutPercentage: 100 }, expected: { enabled: false, reason: 'FLAG_NOT_FOUND' } },
  { name: 'archived beats the kill switch', flag: { archived: true, kill: KILL }, expected: { enabled: false, reason: 'FLAG_NOT_FOUND' } },
  { name: 'archived beats a user override', flag: { archived: true }, state: { overrides: on }, expected: { enabled: false, reason: 'FLAG_NOT_FOUND' } },
  { name: 'archived beats an admin override', flag: { archived: true, adminOverride: 'on' }, expected: { enabled: false, reason: 'FLAG_NOT_FOUND' } },

  // 2 — kill switch
  { name: 'kill switch turns a fully rolled-out GA flag off', flag: { kill: KILL, enabled: true, rolloutPercentage: 100 }, expected: { enabled: false, reason: 'KILLED' } },
  { name: 'kill switch beats a user override', flag: { kill: KILL }, state: { overrides: on }, expected: { enabled: false, reason: 'KILLED' } },
  { name: 'kill switch beats an admin override', flag: { kill: KILL, adminOverride: 'on' }, expected: { enabled: false, reason: 'KILLED' } },
  { name: 'kill switch beats an opt-in in beta', flag: { kill: KILL, stage: 'beta' }, state: { optIns: optedIn }, expected: { enabled: false, reason: 'KILLED' } },

  // 2b — a context without ids answers off rather than sharing one bucket (OpenFeature's reasons)
  { name: 'an empty user id is off at 100 %', flag: { rolloutPercentage: 100, enabled: true }, ctx: { userId: '' }, expected: { enabled: false, reason: 'TARGETING_KEY_MISSING' } },
  { name: 'a null user id is off (JavaScript callers)', flag: { enabled: true }, ctx: { userId: null as unknown as string }, expected: { enabled: false, reason: 'TARGETING_KEY_MISSING' } },
  { name: 'a null workspace id with workspace bucketing is off, not a TypeError', flag: { rolloutPercentage: 50, bucketBy: 'workspace' }, ctx: { workspaceId: null as unknown as string }, expected: { enabled: false, reason: 'INVALID_CONTEXT' } },
  { name: 'a missing workspace id is off', flag: { enabled: true }, ctx: { workspaceId: undefined as unknown as string }, expected: { enabled: false, reason: 'INVALID_CONTEXT' } },
  { name: 'the kill switch is reported before a missing id', flag: { kill: KILL }, ctx: { userId: '' }, expected: { enabled: false, reason: 'KILLED' } },

  // 3 — user override
  { name: 'user override on turns an off flag on', flag: {}, state: { overrides: on }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },
  { name: 'user override off turns a 100 % flag off', flag: { enabled: true, rolloutPercentage: 100 }, state: { overrides: off }, expected: { enabled: false, reason: 'USER_OVERRIDE' } },
  { name: 'user override on beats admin override off', flag: { adminOverride: 'off' }, state: { overrides: on }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },
  { name: 'user override off beats admin override on', flag: { adminOverride: 'on' }, state: { overrides: off }, expected: { enabled: false, reason: 'USER_OVERRIDE' } },
  { name: 'lab flag is reachable through a user override', flag: { stage: 'lab' }, state: { overrides: on }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },
  { name: 'user override on beats an opt-out in beta', flag: { stage: 'beta' }, state: { overrides: on, optIns: optedOut }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },
  { name: 'override expiring 1 ms after now still applies', flag: {}, state: { overrides: { [KEY]: makeOverride(true, at(MS)) } }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },
  { name: 'override expiring exactly now has expired', flag: { enabled: true }, state: { overrides: { [KEY]: makeOverride(false, NOW) } }, expected: { enabled: true, reason: 'GLOBAL' } },
  { name: 'expired override falls through to the default', flag: {}, state: { overrides: { [KEY]: makeOverride(true, at(-DAY)) } }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'expired override falls through to the admin override', flag: { adminOverride: 'off' }, state: { overrides: { [KEY]: makeOverride(true, at(-MS)) } }, expected: { enabled: false, reason: 'ADMIN_OVERRIDE' } },
  { name: 'expired override falls through to the opt-in', flag: { stage: 'alpha' }, state: { overrides: { [KEY]: makeOverride(false, at(-MS)) }, optIns: optedIn }, expected: { enabled: true, reason: 'OPT_IN' } },
  { name: 'override for another flag does not apply', flag: {}, state: { overrides: { 'other-flag': makeOverride(true) } }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'without ctx.now the real clock expires a long-past override', flag: {}, state: { overrides: { [KEY]: makeOverride(true, new Date('2000-01-01T00:00:00Z')) } }, ctx: { now: undefined }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'without ctx.now a far-future override applies', flag: {}, state: { overrides: { [KEY]: makeOverride(true, new Date('9999-12-31T00:00:00Z')) } }, ctx: { now: undefined }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },

  // 4 — admin override
  { name: 'admin override on turns an off flag on', flag: { adminOverride: 'on' }, expected: { enabled: true, reason: 'ADMIN_OVERRIDE' } },
  { name: 'admin override off turns a 100 % flag off', flag: { adminOverride: 'off', enabled: true, rolloutPercentage: 100 }, expected: { enabled: false, reason: 'ADMIN_OVERRIDE' } },
  { name: 'admin override on beats lab', flag: { adminOverride: 'on', stage: 'lab' }, expected: { enabled: true, reason: 'ADMIN_OVERRIDE' } },
  { name: 'admin override off beats an opt-in in beta', flag: { adminOverride: 'off', stage: 'beta' }, state: { optIns: optedIn }, expected: { enabled: false, reason: 'ADMIN_OVERRIDE' } },
  { name: 'admin override on beats an opt-out in alpha', flag: { adminOverride: 'on', stage: 'alpha' }, state: { optIns: optedOut }, expected: { enabled: true, reason: 'ADMIN_OVERRIDE' } },

  // 5 — lab
  { name: 'lab flag is off', flag: { stage: 'lab' }, expected: { enabled: false, reason: 'LAB' } },
  { name: 'lab flag stays off at 100 % rollout and globally on', flag: { stage: 'lab', enabled: true, rolloutPercentage: 100 }, expected: { enabled: false, reason: 'LAB' } },
  { name: 'lab flag ignores an opt-in', flag: { stage: 'lab' }, state: { optIns: optedIn }, expected: { enabled: false, reason: 'LAB' } },

  // 6 — the workspace blocks alpha/beta opt-in (all of it, or this flag)
  { name: 'workspace blocking all opt-ins turns a beta opt-in off', flag: { stage: 'beta' }, state: { optIns: optedIn, workspace: blockedAll }, expected: { enabled: false, reason: 'WORKSPACE_BLOCKED' } },
  { name: 'workspace blocking this flag turns an alpha opt-in off', flag: { stage: 'alpha' }, state: { optIns: optedIn, workspace: blockedHere }, expected: { enabled: false, reason: 'WORKSPACE_BLOCKED' } },
  { name: 'workspace block beats a 100 % rollout in beta', flag: { stage: 'beta', rolloutPercentage: 100, enabled: true }, state: { workspace: blockedAll }, expected: { enabled: false, reason: 'WORKSPACE_BLOCKED' } },
  { name: 'workspace block beats its own switch-on of every beta', flag: { stage: 'beta' }, state: { workspace: { optInBlocked: true, flags: { [KEY]: 'enabled' } } }, expected: { enabled: false, reason: 'WORKSPACE_BLOCKED' } },
  { name: 'a user override beats the workspace block', flag: { stage: 'beta' }, state: { overrides: on, workspace: blockedAll }, expected: { enabled: true, reason: 'USER_OVERRIDE' } },
  { name: 'an admin override beats the workspace block', flag: { stage: 'beta', adminOverride: 'on' }, state: { workspace: blockedHere }, expected: { enabled: true, reason: 'ADMIN_OVERRIDE' } },
  { name: 'the kill switch beats a workspace switch-on', flag: { stage: 'beta', kill: KILL }, state: { workspace: switchedOn }, expected: { enabled: false, reason: 'KILLED' } },
  { name: 'lab beats a workspace switch-on', flag: { stage: 'lab' }, state: { workspace: switchedOn }, expected: { enabled: false, reason: 'LAB' } },
  { name: 'the workspace policy does not touch GA flags', flag: { stage: 'ga', enabled: true }, state: { workspace: { optInBlocked: true, flags: { [KEY]: 'blocked' } } }, expected: { enabled: true, reason: 'GLOBAL' } },
  { name: 'blocking another flag leaves this one alone', flag: { stage: 'beta' }, state: { optIns: optedIn, workspace: { optInBlocked: false, flags: { 'other-flag': 'blocked' } } }, expected: { enabled: true, reason: 'OPT_IN' } },

  // 7 — opt-in / opt-out in alpha and beta
  { name: 'opt-in in alpha turns it on', flag: { stage: 'alpha' }, state: { optIns: optedIn }, expected: { enabled: true, reason: 'OPT_IN' } },
  { name: 'opt-in in beta turns it on', flag: { stage: 'beta' }, state: { optIns: optedIn }, expected: { enabled: true, reason: 'OPT_IN' } },
  { name: 'opt-out in beta turns it off', flag: { stage: 'beta' }, state: { optIns: optedOut }, expected: { enabled: false, reason: 'OPT_OUT' } },
  { name: 'opt-out in alpha beats globally on', flag: { stage: 'alpha', enabled: true }, state: { optIns: optedOut }, expected: { enabled: false, reason: 'OPT_OUT' } },
  { name: 'opt-out in beta beats a 100 % rollout', flag: { stage: 'beta', rolloutPercentage: 100 }, state: { optIns: optedOut }, expected: { enabled: false, reason: 'OPT_OUT' } },
  { name: 'opt-in in beta beats a rollout the user is out of', flag: { stage: 'beta', rolloutPercentage: 50 }, state: { optIns: optedIn }, ctx: { userId: OUT_AT_50 }, expected: { enabled: true, reason: 'OPT_IN' } },
  { name: 'a choice about another flag does not count', flag: { stage: 'beta' }, state: { optIns: { 'other-flag': true } }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'beta without a choice follows the rollout', flag: { stage: 'beta', rolloutPercentage: 50 }, ctx: { userId: IN_AT_50 }, expected: { enabled: true, reason: 'ROLLOUT' } },
  { name: 'opt-in on a GA flag is ignored', flag: { stage: 'ga' }, state: { optIns: optedIn }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'opt-out of a beta gets GA like everyone once it is GA', flag: { stage: 'ga', enabled: true }, state: { optIns: optedOut }, expected: { enabled: true, reason: 'GLOBAL' } },
  { name: 'opt-out on a GA flag at 100 % is ignored', flag: { stage: 'ga', rolloutPercentage: 100 }, state: { optIns: optedOut }, expected: { enabled: true, reason: 'ROLLOUT' } },

  // 8 — the workspace switched it on for its members
  { name: 'workspace switch-on turns a beta on for a member without a choice', flag: { stage: 'beta' }, state: { workspace: switchedOn }, expected: { enabled: true, reason: 'WORKSPACE_OPT_IN' } },
  { name: 'workspace switch-on turns an alpha on', flag: { stage: 'alpha' }, state: { workspace: switchedOn }, expected: { enabled: true, reason: 'WORKSPACE_OPT_IN' } },
  { name: 'a member’s own opt-out beats the workspace switch-on', flag: { stage: 'beta' }, state: { optIns: optedOut, workspace: switchedOn }, expected: { enabled: false, reason: 'OPT_OUT' } },
  { name: 'a member’s own opt-in is reported as theirs under a switch-on', flag: { stage: 'beta' }, state: { optIns: optedIn, workspace: switchedOn }, expected: { enabled: true, reason: 'OPT_IN' } },
  { name: 'workspace switch-on beats a rollout the user is out of', flag: { stage: 'beta', rolloutPercentage: 50 }, state: { workspace: switchedOn }, ctx: { userId: OUT_AT_50 }, expected: { enabled: true, reason: 'WORKSPACE_OPT_IN' } },
  { name: 'a workspace switch-on of a GA flag is ignored', flag: { stage: 'ga' }, state: { workspace: switchedOn }, expected: { enabled: false, reason: 'DEFAULT' } },

  // 9 — rollout
  { name: '0 % rollout leaves an off flag off', flag: { rolloutPercentage: 0 }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: '100 % rollout turns everyone on', flag: { rolloutPercentage: 100 }, expected: { enabled: true, reason: 'ROLLOUT' } },
  { name: '0.1 % rollout includes a user whose bucket is in', flag: { rolloutPercentage: 0.1 }, ctx: { userId: IN_AT_01 }, expected: { enabled: true, reason: 'ROLLOUT' } },
  { name: '0.1 % rollout leaves out a user whose bucket is out', flag: { rolloutPercentage: 0.1 }, ctx: { userId: OUT_AT_01 }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: '50 % rollout includes a user whose bucket is in', flag: { rolloutPercentage: 50 }, ctx: { userId: IN_AT_50 }, expected: { enabled: true, reason: 'ROLLOUT' } },
  { name: '50 % rollout leaves out a user whose bucket is out', flag: { rolloutPercentage: 50 }, ctx: { userId: OUT_AT_50 }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'rollout is reported before globally on', flag: { rolloutPercentage: 50, enabled: true }, ctx: { userId: IN_AT_50 }, expected: { enabled: true, reason: 'ROLLOUT' } },
  { name: 'a user out of the rollout still gets globally on', flag: { rolloutPercentage: 50, enabled: true }, ctx: { userId: OUT_AT_50 }, expected: { enabled: true, reason: 'GLOBAL' } },
  { name: 'workspace bucketing: a user out by id is in with their workspace', flag: { rolloutPercentage: 50, bucketBy: 'workspace' }, ctx: { userId: OUT_AT_50, workspaceId: WORKSPACE_IN_AT_50 }, expected: { enabled: true, reason: 'ROLLOUT' } },
  { name: 'workspace bucketing: a user in by id is out with their workspace', flag: { rolloutPercentage: 50, bucketBy: 'workspace' }, ctx: { userId: IN_AT_50, workspaceId: WORKSPACE_OUT_AT_50 }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'user bucketing ignores the workspace', flag: { rolloutPercentage: 50, bucketBy: 'user' }, ctx: { userId: OUT_AT_50, workspaceId: WORKSPACE_IN_AT_50 }, expected: { enabled: false, reason: 'DEFAULT' } },

  // 10 — global / default
  { name: 'globally on flag is on', flag: { enabled: true }, expected: { enabled: true, reason: 'GLOBAL' } },
  { name: 'globally off flag is off', flag: { enabled: false }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'alpha without a choice falls to globally on', flag: { stage: 'alpha', enabled: true }, expected: { enabled: true, reason: 'GLOBAL' } },

  // Keys that are also Object.prototype names must read only the user's own entries.
  { name: 'flag keyed "constructor" with no user state', flag: { key: 'constructor', stage: 'beta' }, expected: { enabled: false, reason: 'DEFAULT' } },
  { name: 'flag keyed "constructor" with an opt-in', flag: { key: 'constructor', stage: 'beta' }, state: { optIns: { constructor: true } }, expected: { enabled: true, reason: 'OPT_IN' } },
];
