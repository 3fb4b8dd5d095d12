import type { z } from 'zod';
import { isOptInStage, type FlagDefinition, type FlagResolution, type FlagSetView, type Reason } from '@stagegate/flags-core';
import type { DiscoveredInput, ToggleInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { MemberGrant } from '../policy.js';
import type { AnalyticsEventName, EvaluationCounter, Services } from '../services.js';
import { inStatement } from './transaction.js';

export interface BetaFeature {
  key: string;
  name: string;
  description: string;
  stage: 'alpha' | 'beta';
  /** The flag's resolved value for this user: their opt-in, unless an override or the kill switch says otherwise. */
  enabled: boolean;
  /** Why: OPT_IN / OPT_OUT (their choice), WORKSPACE_OPT_IN (their workspace's admin switched it on), USER_OVERRIDE, … */
  reason: Reason;
  kbArticle: string | null;
  category: string;
}

export interface BetaFeatureList {
  features: BetaFeature[];
  meta: { totalAvailable: number; totalEnabled: number };
}

const NOT_AVAILABLE = 'Feature not found or not available for beta';
const BLOCKED = 'Your workspace admin has turned this beta off for your workspace';

/** Users may opt in to a flag only while it is in alpha or beta and neither killed nor archived. */
const isAvailable = (flag: Pick<FlagDefinition, 'stage' | 'archived'> & { killed: boolean }): boolean =>
  isOptInStage(flag.stage) && !flag.killed && !flag.archived;

/** Never awaited and never thrown: analytics must not delay or fail the user's request. */
function track(services: Services, distinctId: string, event: AnalyticsEventName, properties: Record<string, string | number>) {
  try {
    services.analytics.capture({ distinctId, event, properties });
  } catch (error) {
    services.logger.warn({ event: 'analytics.capture_failed', err: error }, 'analytics: capture failed');
  }
}

/** One listable flag, and the feature objects handed out for it: one per answer, shared by every user who gets it. */
class ListedFlag {
  readonly key: string;
  private readonly on = new Map<Reason, BetaFeature>();
  private readonly off = new Map<Reason, BetaFeature>();

  constructor(private readonly flag: FlagDefinition) {
    this.key = flag.key;
  }

  feature(enabled: boolean, reason: Reason): BetaFeature {
    const known = enabled ? this.on : this.off;
    let feature = known.get(reason);
    if (feature === undefined) {
      const { key, name, description, kbArticle, category } = this.flag;
      feature = Object.freeze({ key, name, description, stage: this.flag.stage as BetaFeature['stage'], enabled, reason, kbArticle, category });
      known.set(reason, feature);
    }
    return feature;
  }
}

interface Listing {
  readonly flags: readonly ListedFlag[];
  readonly keys: readonly string[];
}

/** Per flag set: the listable flags sorted by name, built when a set is first listed and dropped with it. */
const listings = new WeakMap<FlagSetView, Listing>();

function listingOf(set: FlagSetView): Listing {
  let listing = listings.get(set);
  if (listing === undefined) {
    const flags = set.definitions
      .filter((flag) => isAvailable({ ...flag, killed: flag.kill !== null }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
      .map((flag) => new ListedFlag(flag));
    listing = { flags, keys: flags.map((flag) => flag.key) };
    listings.set(set, listing);
  }
  return listing;
}

/** Answers the resolver never lists: the workspace's admin blocked it, or it left the flag set after it was read. */
const UNLISTED = new Set<Reason>(['WORKSPACE_BLOCKED', 'FLAG_NOT_FOUND']);

/** A list as answered for one state version: handed out again, and its resolutions counted again, while it holds. */
interface Answered {
  readonly list: BetaFeatureList;
  readonly resolutions: readonly FlagResolution[];
}
const answered = new WeakMap<object, Answered>();

/**
 * Served from the FlagClient's cache: no database query once the flag set and the user's state are
 * warm. While the client vouches that nothing this user's answers depend on has changed (its
 * stateVersion), the list is the one answered last time, the same object, so callers can cache what
 * they derive from it (the REST body); each serving still counts its evaluations. Betas the
 * workspace's admin blocked are not listed: they are not the member's to try.
 */
export async function listBetaFeatures(
  services: Pick<Services, 'flags' | 'now'> & { evaluations: Pick<EvaluationCounter, 'recordAll'> },
  member: MemberGrant,
): Promise<BetaFeatureList> {
  const ctx = { userId: member.user.id, workspaceId: member.workspace.id };
  const version = services.flags.stateVersion(ctx);
  const known = version && answered.get(version);
  if (known) {
    services.evaluations.recordAll(known.resolutions);
    return known.list;
  }
  const set = await services.flags.flagSet();
  const listing = set === undefined ? { flags: [], keys: [] } : listingOf(set);
  const resolutions = await services.flags.evaluateMany(listing.keys, { ...ctx, now: services.now() });
  const features: BetaFeature[] = [];
  let totalEnabled = 0;
  for (let i = 0; i < resolutions.length; i++) {
    const { enabled, reason } = resolutions[i]!;
    if (UNLISTED.has(reason)) continue;
    features.push(listing.flags[i]!.feature(enabled, reason));
    if (enabled) totalEnabled++;
  }
  const list: BetaFeatureList = Object.freeze({ features, meta: { totalAvailable: features.length, totalEnabled } });
  // Kept only when the state it was answered from is the one still vouched for (a change meanwhile makes another).
  if (version !== undefined && set !== undefined && services.flags.stateVersion(ctx) === version) answered.set(version, { list, resolutions });
  return list;
}

/**
 * Records one user's choice for one feature: one beta_preferences row (user × workspace × flag), so
 * concurrent toggles of different features never overwrite each other. One autocommitted statement:
 * the database's trigger on beta_preferences writes the audit entry under the row lock.
 * `feature.enabled` is the choice recorded; the list shows the resolved value, which a user override can differ from.
 */
export async function toggleBetaFeature(services: Services, member: MemberGrant, input: z.infer<typeof ToggleInput>) {
  const { key, enabled } = input;
  const { id: userId } = member.user;
  const { id: workspaceId } = member.workspace;
  // `timestamp` columns hold UTC wall-clock time, as Prisma writes them.
  const now = services.now().toISOString();
  // isAvailable, checked against the database, not the cache: a flag killed a moment ago takes no new opt-ins,
  // and FOR SHARE holds off a kill or stage change until this opt-in has committed.
  // The workspace's policy is read in the same statement: a blocked beta takes no opt-in.
  const [flag] = await inStatement(services, () =>
    services.db.prisma.$queryRaw<Array<{ name: string; stage: string; blocked: boolean }>>`
      WITH flag AS (
        SELECT key, name, stage FROM flags
        WHERE key = ${key} AND stage IN ('alpha', 'beta') AND NOT archived AND killed_at IS NULL
        FOR SHARE
      ), policy AS (
        SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = ${workspaceId} AND opt_in_blocked)
            OR EXISTS (SELECT 1 FROM workspace_flag_policies WHERE workspace_id = ${workspaceId} AND flag_key = ${key} AND policy = 'blocked') AS blocked
      ), saved AS (
        INSERT INTO beta_preferences (user_id, workspace_id, flag_key, enabled, updated_at)
        SELECT ${userId}, ${workspaceId}, key, ${enabled}, ${now}::timestamptz AT TIME ZONE 'UTC' FROM flag, policy WHERE NOT policy.blocked
        ON CONFLICT (user_id, workspace_id, flag_key) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at
        RETURNING flag_key
      )
      SELECT flag.name, flag.stage::text AS stage, policy.blocked FROM flag CROSS JOIN policy LEFT JOIN saved ON saved.flag_key = flag.key`,
  );
  if (!flag) fail('FEATURE_NOT_AVAILABLE', NOT_AVAILABLE);
  if (flag.blocked) fail('BLOCKED_BY_WORKSPACE', BLOCKED);
  services.changes.publish({ kind: 'user', userId, workspaceId });
  track(services, userId, enabled ? 'beta_feature_enabled' : 'beta_feature_disabled', {
    feature_key: key,
    feature_stage: flag.stage,
    workspace_id: workspaceId,
  });
  return {
    success: true as const,
    feature: { key, name: flag.name, enabled },
    message: `${flag.name} has been ${enabled ? 'enabled' : 'disabled'}`,
  };
}

/** The user opened the beta features settings; the counts come from the server's own list. */
export async function trackViewed(services: Services, member: MemberGrant) {
  const { meta } = await listBetaFeatures(services, member);
  track(services, member.user.id, 'beta_features_viewed', {
    feature_count: meta.totalAvailable,
    enabled_count: meta.totalEnabled,
    workspace_id: member.workspace.id,
  });
  return { tracked: services.analytics.enabled, featureCount: meta.totalAvailable, enabledCount: meta.totalEnabled };
}

/** The user first saw a feature's beta badge somewhere in the app. */
export async function trackDiscovered(services: Services, member: MemberGrant, input: z.infer<typeof DiscoveredInput>) {
  // Against the cached flag set: an analytics beacon must not cost a query, nor record made-up keys.
  const flag = (await services.flags.flagSet())?.definitions.find((f) => f.key === input.key);
  if (!flag || !isAvailable({ ...flag, killed: flag.kill !== null })) fail('FEATURE_NOT_AVAILABLE', NOT_AVAILABLE);
  track(services, member.user.id, 'beta_feature_discovered', {
    feature_key: flag.key,
    feature_stage: flag.stage,
    location: input.location,
    workspace_id: member.workspace.id,
  });
  return { tracked: services.analytics.enabled };
}
