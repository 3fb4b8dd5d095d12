import { DEMO_TOKENS, DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalytics } from '../analytics/posthog.js';
import { countingDatabase, createUser, expectCode, settle, snapshotWrites, startHarness, type Harness } from '../testing/harness.js';
import { startIngestion } from '../testing/posthogIngestion.js';

let h: Harness;
let ingestion: Awaited<ReturnType<typeof startIngestion>>;
let counted: ReturnType<typeof countingDatabase>;

beforeAll(async () => {
  ingestion = await startIngestion();
  // The real posthog-node client, sending each event at once to the loopback ingestion server.
  const analytics = createAnalytics({ apiKey: 'phc_test', host: ingestion.host, flushAt: 1, flushIntervalMs: 50, log: () => undefined });
  h = await startHarness({ analytics, wrapDb: (db) => (counted = countingDatabase(db)).db });
});
afterAll(async () => {
  await h.close();
  await ingestion.close();
});

const memberId = () => h.seed.memberId;
const eventsNamed = (name: string) => ingestion.events.filter((e) => e.event === name);

describe('betaFeatures.list', () => {
  it('lists the live alpha and beta flags with the resolved value for the caller', async () => {
    const live = await h.db.prisma.flag.findMany({ where: { stage: { in: ['alpha', 'beta'] }, killedAt: null, archived: false } });
    const { features, meta } = await h.member.betaFeatures.list();

    expect(features.map((f) => f.key).sort()).toEqual(live.map((f) => f.key).sort());
    expect(features.map((f) => f.key)).toContain('auto-tagging-v2');
    // Lab, GA and the killed demo flag never show up.
    expect(features.map((f) => f.key)).not.toContain('process-agent');
    expect(features.map((f) => f.key)).not.toContain('smart-summaries');
    expect(features.map((f) => f.key)).not.toContain('legacy-export');
    expect(features.find((f) => f.key === 'auto-tagging-v2')).toEqual({
      key: 'auto-tagging-v2',
      name: 'Auto-Tagging V2',
      description: 'Automatically tag meetings based on content',
      stage: 'beta',
      enabled: false,
      reason: 'DEFAULT',
      kbArticle: 'https://help.stagegate.dev/auto-tagging',
      category: 'automation',
    });
    expect(meta).toEqual({ totalAvailable: live.length, totalEnabled: 0 });
  });

  it('reports what evaluation says, so an override beats the opt-in', async () => {
    await h.editor.admin.userOverrides.set({ userId: memberId(), flagKey: 'internal-search', enabled: true, reason: 'early access for support' });
    const { features, meta } = await h.member.betaFeatures.list();
    expect(features.find((f) => f.key === 'internal-search')?.enabled).toBe(true);
    expect(meta.totalEnabled).toBe(1);
    await h.editor.admin.userOverrides.remove({ userId: memberId(), flagKey: 'internal-search' });
    expect((await h.member.betaFeatures.list()).features.find((f) => f.key === 'internal-search')?.enabled).toBe(false);
  });
});

describe('betaFeatures.toggle', () => {
  it('opts in: one preference row, an audit entry, the list updated at once, an analytics event', async () => {
    const before = eventsNamed('beta_feature_enabled').length;
    const result = await h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true });
    expect(result).toEqual({
      success: true,
      feature: { key: 'auto-tagging-v2', name: 'Auto-Tagging V2', enabled: true },
      message: 'Auto-Tagging V2 has been enabled',
    });

    const rows = await h.db.prisma.betaPreference.findMany({ where: { userId: memberId(), flagKey: 'auto-tagging-v2' } });
    expect(rows).toEqual([expect.objectContaining({ workspaceId: h.seed.workspaceId, enabled: true })]);
    const [audit] = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(audit).toMatchObject({
      actor: DEMO_USERS.member.email,
      action: 'beta_feature.enabled',
      flagKey: 'auto-tagging-v2',
      before: null,
      after: { userId: memberId(), workspaceId: h.seed.workspaceId, enabled: true },
    });
    expect((await h.member.betaFeatures.list()).features.find((f) => f.key === 'auto-tagging-v2')?.enabled).toBe(true);

    await expect.poll(() => eventsNamed('beta_feature_enabled').length).toBe(before + 1);
    expect(eventsNamed('beta_feature_enabled').at(-1)).toMatchObject({
      distinct_id: memberId(),
      properties: { feature_key: 'auto-tagging-v2', feature_stage: 'beta', workspace_id: h.seed.workspaceId },
    });
  });

  it('opts out by updating the same row and says so', async () => {
    const result = await h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: false });
    expect(result.message).toBe('Auto-Tagging V2 has been disabled');
    expect(result.feature.enabled).toBe(false);
    const rows = await h.db.prisma.betaPreference.findMany({ where: { userId: memberId(), flagKey: 'auto-tagging-v2' } });
    expect(rows.map((r) => r.enabled)).toEqual([false]);
    const [audit] = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(audit).toMatchObject({ action: 'beta_feature.disabled', before: { enabled: true }, after: { enabled: false } });
    await expect.poll(() => eventsNamed('beta_feature_disabled').length).toBe(1);
    expect(eventsNamed('beta_feature_disabled')[0]?.properties).toMatchObject({ feature_key: 'auto-tagging-v2', feature_stage: 'beta' });
  });

  it.each([
    ['a lab flag', 'process-agent'],
    ['a GA flag', 'smart-summaries'],
    ['a killed flag', 'legacy-export'],
    ['an unknown flag', 'no-such-feature'],
  ])('refuses %s with FEATURE_NOT_AVAILABLE and writes nothing', async (_, key) => {
    const before = await snapshotWrites(h.db);
    await expectCode(h.member.betaFeatures.toggle({ key, enabled: true }), 'FEATURE_NOT_AVAILABLE', 404);
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('answers CONFLICT and writes nothing when the workspace was deleted after sign-in', async () => {
    const gone = await createUser(h.db, { email: 'gone@stagegate.dev', role: 'member', token: 'gone-token' });
    const caller = await h.callerFor(gone.token);
    await h.db.prisma.workspace.delete({ where: { id: gone.workspaceId } });
    const before = await snapshotWrites(h.db);
    await expectCode(caller.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true }), 'CONFLICT', 409);
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('refuses an archived flag', async () => {
    await h.editor.admin.flags.create({ key: 'archived-beta', name: 'Archived Beta', stage: 'beta', ttlDays: 30 });
    await h.editor.admin.flags.archive({ key: 'archived-beta', reason: 'replaced' });
    const before = await snapshotWrites(h.db);
    await expectCode(h.member.betaFeatures.toggle({ key: 'archived-beta', enabled: true }), 'FEATURE_NOT_AVAILABLE');
    expect(await snapshotWrites(h.db)).toEqual(before);
    expect((await h.member.betaFeatures.list()).features.map((f) => f.key)).not.toContain('archived-beta');
  });
});

describe('betaFeatures.trackViewed and trackDiscovered', () => {
  it('captures beta_features_viewed with the counts the server computed', async () => {
    await h.member.betaFeatures.toggle({ key: 'global-chat-enabled', enabled: true });
    const { meta } = await h.member.betaFeatures.list();
    const result = await h.member.betaFeatures.trackViewed();
    expect(result).toEqual({ tracked: true, featureCount: meta.totalAvailable, enabledCount: meta.totalEnabled });
    await expect.poll(() => eventsNamed('beta_features_viewed').length).toBe(1);
    expect(eventsNamed('beta_features_viewed')[0]).toMatchObject({
      distinct_id: memberId(),
      properties: { feature_count: meta.totalAvailable, enabled_count: 1, workspace_id: h.seed.workspaceId },
    });
  });

  it('captures beta_feature_discovered for a live feature and refuses made-up keys', async () => {
    expect(await h.member.betaFeatures.trackDiscovered({ key: 'internal-search', location: 'sidebar' })).toEqual({ tracked: true });
    await expect.poll(() => eventsNamed('beta_feature_discovered').length).toBe(1);
    expect(eventsNamed('beta_feature_discovered')[0]?.properties).toMatchObject({ feature_key: 'internal-search', location: 'sidebar' });
    await expectCode(h.member.betaFeatures.trackDiscovered({ key: 'no-such-feature', location: 'sidebar' }), 'FEATURE_NOT_AVAILABLE');
  });
});

describe('the cache', () => {
  it('serves a warm betaFeatures.list without a single database query, and a toggle still reaches the next list', async () => {
    await settle(h.services);
    // Warm: the token, the flag set and this user's state are loaded now (and lastUsedAt written).
    await (await h.callerFor(DEMO_TOKENS.member)).betaFeatures.list();
    await expect.poll(async () => (await h.db.prisma.apiToken.findFirst({ where: { userId: memberId() } }))?.lastUsedAt).not.toBeNull();
    await settle(h.services);

    const queries = counted.queries();
    const sourceQueries = h.services.flagSource.stats().queries;
    for (let i = 0; i < 25; i++) {
      // A fresh caller each time: authentication runs per request, as over HTTP.
      const caller = await h.callerFor(DEMO_TOKENS.member);
      await caller.betaFeatures.list();
    }
    expect(counted.queries() - queries).toBe(0);
    expect(h.services.flagSource.stats().queries - sourceQueries).toBe(0);

    // The counter does see queries: a toggle writes, and the next list reloads this user's state.
    await h.member.betaFeatures.toggle({ key: 'internal-search', enabled: true });
    const afterToggle = counted.queries();
    expect(afterToggle).toBeGreaterThan(queries);
    expect((await h.member.betaFeatures.list()).features.find((f) => f.key === 'internal-search')?.enabled).toBe(true);
    expect(h.services.flagSource.stats().queries).toBeGreaterThan(sourceQueries);
  });
});
