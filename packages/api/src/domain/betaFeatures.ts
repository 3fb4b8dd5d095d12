import { z } from 'zod';
import { FlagKey, isOptInStage, type FlagDefinition } from '@stagegate/flags-core';
import type { Auth } from '../context.js';
import { fail } from '../errors.js';
import type { AnalyticsEventName, Services } from '../services.js';
import { recordAudit } from './audit.js';
import { inTransaction } from './transaction.js';

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
 * concurrent toggles of different features never overwrite each other, plus its audit entry.
 * `feature.enabled` is the choice recorded; the list shows the resolved value, which a user override can differ from.
 */
export async function toggleBetaFeature(services: Services, auth: UserAuth, input: z.infer<typeof ToggleInput>) {
  const { key, enabled } = input;
  const { id: userId, email } = auth.user;
  const { workspaceId } = auth;
  const now = services.now();
  const flag = await inTransaction(services, async (tx) => {
    // Checked against the database, not the cache: a flag killed a moment ago takes no new opt-ins.
    const flag = await tx.flag.findUnique({ where: { key }, select: { key: true, name: true, stage: true, archived: true, killedAt: true } });
    if (!flag || !isAvailable({ ...flag, killed: flag.killedAt !== null })) fail('FEATURE_NOT_AVAILABLE', NOT_AVAILABLE);

    const row = { userId, workspaceId, flagKey: key };
    // Insert-or-lock: either we create the row, or we lock the existing one and read what it said.
    // Holding the row lock before the audit insert makes audit ids follow the order the writes commit.
    const inserted = await tx.betaPreference.createMany({ data: [{ ...row, enabled }], skipDuplicates: true });
    let before: boolean | null = null;
    if (inserted.count === 0) {
      const locked = await tx.$queryRaw<Array<{ enabled: boolean }>>`
        SELECT enabled FROM beta_preferences
        WHERE user_id = ${userId} AND workspace_id = ${workspaceId} AND flag_key = ${key} FOR UPDATE`;
      before = locked[0]?.enabled ?? null;
      await tx.betaPreference.update({ where: { userId_workspaceId_flagKey: row }, data: { enabled } });
    }
    await recordAudit(tx, {
      at: now,
      actor: email,
      action: enabled ? 'beta_feature.enabled' : 'beta_feature.disabled',
      flagKey: key,
      before: before === null ? null : { userId, workspaceId, enabled: before },
      after: { userId, workspaceId, enabled },
    });
    return flag;
  });
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
