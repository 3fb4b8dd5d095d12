import { z } from 'zod';
import { FlagKey, isOptInStage, type FlagDefinition } from '@stagegate/flags-core';
import type { Auth } from '../context.js';
import { fail } from '../errors.js';
import type { AnalyticsEventName, Services } from '../services.js';
import { asDomainError } from './transaction.js';

export type UserAuth = Extract<Auth, { kind: 'user' }>;

export const ToggleInput = z.strictObject({ key: FlagKey, enabled: z.boolean() });
export const DiscoveredInput = z.strictObject({ key: FlagKey, location: z.string().trim().min(1).max(100) });

export interface BetaFeature {
  key: string;
  name: string;
  description: string;
  stage: 'alpha' | 'beta';
  /** The flag's resolved value for this user: their opt-in, unless an override or the kill switch says otherwise. */
  enabled: boolean;
  kbArticle: string | null;
  category: string;
}

export interface BetaFeatureList {
  features: BetaFeature[];
  meta: { totalAvailable: number; totalEnabled: number };
}

const NOT_AVAILABLE = 'Feature not found or not available for beta';

/** Users may opt in to a flag only while it is in alpha or beta and neither killed nor archived. */
const isAvailable = (flag: Pick<FlagDefinition, 'stage' | 'archived'> & { killed: boolean }): boolean =>
  isOptInStage(flag.stage) && !flag.killed && !flag.archived;

/** Never awaited and never thrown: analytics must not delay or fail the user's request. */
function track(services: Services, distinctId: string, event: AnalyticsEventName, properties: Record<string, string | number>) {
  try {
    services.analytics.capture({ distinctId, event, properties });
  } catch (error) {
    console.error('analytics: capture failed', error);
  }
}

/** Served from the FlagClient's cache: no database query once the flag set and the user's state are warm. */
export async function listBetaFeatures(services: Services, auth: UserAuth): Promise<BetaFeatureList> {
  const ctx = { userId: auth.user.id, workspaceId: auth.workspaceId, now: services.now() };
  const flags = (await services.flags.flags())
    .filter((flag) => isAvailable({ ...flag, killed: flag.kill !== null }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  const features = await Promise.all(
    flags.map(async (flag) => ({
      key: flag.key,
      name: flag.name,
      description: flag.description,
      stage: flag.stage as BetaFeature['stage'],
      enabled: (await services.flags.evaluate(flag.key, ctx)).enabled,
      kbArticle: flag.kbArticle,
      category: flag.category,
    })),
  );
  return { features, meta: { totalAvailable: features.length, totalEnabled: features.filter((f) => f.enabled).length } };
}

/**
 * Records one user's choice for one feature: one beta_preferences row (user × workspace × flag), so
 * concurrent toggles of different features never overwrite each other. One autocommitted statement:
 * the database's trigger on beta_preferences writes the audit entry under the row lock.
 * `feature.enabled` is the choice recorded; the list shows the resolved value, which a user override can differ from.
 */
export async function toggleBetaFeature(services: Services, auth: UserAuth, input: z.infer<typeof ToggleInput>) {
  const { key, enabled } = input;
  const { id: userId } = auth.user;
  const { workspaceId } = auth;
  // `timestamp` columns hold UTC wall-clock time, as Prisma writes them.
  const now = services.now().toISOString();
  // isAvailable, checked against the database, not the cache: a flag killed a moment ago takes no new opt-ins,
  // and FOR SHARE holds off a kill or stage change until this opt-in has committed.
  const [flag] = await asDomainError(
    services.db.prisma.$queryRaw<Array<{ name: string; stage: string }>>`
      WITH flag AS (
        SELECT key, name, stage FROM flags
        WHERE key = ${key} AND stage IN ('alpha', 'beta') AND NOT archived AND killed_at IS NULL
        FOR SHARE
      ), saved AS (
        INSERT INTO beta_preferences (user_id, workspace_id, flag_key, enabled, updated_at)
        SELECT ${userId}, ${workspaceId}, key, ${enabled}, ${now}::timestamptz AT TIME ZONE 'UTC' FROM flag
        ON CONFLICT (user_id, workspace_id, flag_key) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at
        RETURNING flag_key
      )
      SELECT flag.name, flag.stage::text AS stage FROM flag JOIN saved ON saved.flag_key = flag.key`,
  );
  if (!flag) fail('FEATURE_NOT_AVAILABLE', NOT_AVAILABLE);
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
export async function trackViewed(services: Services, auth: UserAuth) {
  const { meta } = await listBetaFeatures(services, auth);
  track(services, auth.user.id, 'beta_features_viewed', {
    feature_count: meta.totalAvailable,
    enabled_count: meta.totalEnabled,
    workspace_id: auth.workspaceId,
  });
  return { tracked: services.analytics.enabled, featureCount: meta.totalAvailable, enabledCount: meta.totalEnabled };
}

/** The user first saw a feature's beta badge somewhere in the app. */
export async function trackDiscovered(services: Services, auth: UserAuth, input: z.infer<typeof DiscoveredInput>) {
  // Against the cached flag set: an analytics beacon must not cost a query, nor record made-up keys.
  const flag = (await services.flags.flags()).find((f) => f.key === input.key);
  if (!flag || !isAvailable({ ...flag, killed: flag.kill !== null })) fail('FEATURE_NOT_AVAILABLE', NOT_AVAILABLE);
  track(services, auth.user.id, 'beta_feature_discovered', {
    feature_key: flag.key,
    feature_stage: flag.stage,
    location: input.location,
    workspace_id: auth.workspaceId,
  });
  return { tracked: services.analytics.enabled };
}
