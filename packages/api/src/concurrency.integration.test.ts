import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalytics } from './analytics/posthog.js';
import { expectCode, startHarness, type Harness } from './testing/harness.js';
import { startIngestion } from './testing/posthogIngestion.js';

let h: Harness;
let ingestion: Awaited<ReturnType<typeof startIngestion>>;

const FEATURES = Array.from({ length: 20 }, (_, i) => `concurrency-${String(i).padStart(2, '0')}`);
const PER_FEATURE = 50;
const SEQUENTIAL_PER_FEATURE = 10;

beforeAll(async () => {
  ingestion = await startIngestion();
  const analytics = createAnalytics({ apiKey: 'phc_test', host: ingestion.host, flushAt: 100, flushIntervalMs: 100, log: () => undefined });
  h = await startHarness({ analytics });
  for (const key of FEATURES) await h.editor.admin.flags.create({ key, name: `Feature ${key}`, stage: 'beta', ttlDays: 30 });
});
afterAll(async () => {
  await h.close();
  await ingestion.close();
});

/** A deterministic pseudo-random sequence, so a failure replays the same plan. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const toggleEntries = async (afterId: number) =>
  h.db.prisma.auditEntry.findMany({
    where: { id: { gt: afterId }, action: { in: ['beta_feature.enabled', 'beta_feature.disabled'] }, flagKey: { in: FEATURES } },
    orderBy: { id: 'asc' },
  });
const lastAuditId = async () => (await h.db.prisma.auditEntry.aggregate({ _max: { id: true } }))._max.id ?? 0;
const rowsByFeature = async () =>
  new Map(
    (await h.db.prisma.betaPreference.findMany({ where: { userId: h.seed.memberId, flagKey: { in: FEATURES } } })).map((row) => [row.flagKey, row.enabled]),
  );

describe('1,000 concurrent toggles by one user over 20 features', () => {
  it('all fired at once: every write lands, the audit trail is one unbroken chain per feature ending in the stored state', async () => {
    const next = random(7);
    const plan = FEATURES.flatMap((key) => Array.from({ length: PER_FEATURE }, () => ({ key, enabled: next() < 0.5 })));
    plan.sort(() => next() - 0.5);
    const since = await lastAuditId();
    const eventsBefore = ingestion.events.length;

    const results = await Promise.all(plan.map(({ key, enabled }) => h.member.betaFeatures.toggle({ key, enabled })));
    expect(results.every((r, i) => r.success && r.feature.enabled === plan[i]?.enabled)).toBe(true);

    const entries = await toggleEntries(since);
    expect(entries).toHaveLength(1_000);
    const rows = await rowsByFeature();
    expect(rows.size).toBe(FEATURES.length);
    for (const key of FEATURES) {
      const planned = plan.filter((p) => p.key === key);
      const chain = entries.filter((e) => e.flagKey === key);
      expect(chain).toHaveLength(PER_FEATURE);
      expect(chain.filter((e) => e.action === 'beta_feature.enabled')).toHaveLength(planned.filter((p) => p.enabled).length);
      // Each write saw the state the previous one left (the row lock orders them, audit ids follow):
      // nothing was lost or overwritten unseen, and the last link is what the database holds.
      chain.forEach((entry, i) => {
        const before = (entry.before as { enabled: boolean } | null)?.enabled ?? null;
        const previous = i === 0 ? null : (chain[i - 1]?.after as { enabled: boolean }).enabled;
        expect(before, `${key} entry ${i}`).toBe(previous);
      });
      expect(rows.get(key), key).toBe((chain.at(-1)?.after as { enabled: boolean }).enabled);
    }

    // What users are shown agrees with the database.
    const listed = (await h.member.betaFeatures.list()).features.filter((f) => FEATURES.includes(f.key));
    expect(new Map(listed.map((f) => [f.key, f.enabled]))).toEqual(rows);

    // And analytics received one event per toggle, with the same split.
    await ingestion.waitFor(eventsBefore + 1_000, 15_000);
    const events = ingestion.events.slice(eventsBefore);
    expect(events.filter((e) => e.event === 'beta_feature_enabled')).toHaveLength(plan.filter((p) => p.enabled).length);
    expect(events.filter((e) => e.event === 'beta_feature_disabled')).toHaveLength(plan.filter((p) => !p.enabled).length);
  }, 120_000);

  it('fired concurrently across features in a known order per feature: each ends in the last value sent for it', async () => {
    const next = random(11);
    // Fewer per feature than above: this one checks the ordering rule, not the volume.
    const plans = new Map(FEATURES.map((key) => [key, Array.from({ length: SEQUENTIAL_PER_FEATURE }, () => next() < 0.5)]));
    const since = await lastAuditId();

    // 20 features at once; within a feature each toggle starts when the previous one answered, so
    // "last written" is the last one sent — known before the run.
    await Promise.all(
      [...plans].map(async ([key, values]) => {
        for (const enabled of values) await h.member.betaFeatures.toggle({ key, enabled });
      }),
    );

    const rows = await rowsByFeature();
    for (const [key, values] of plans) expect(rows.get(key), key).toBe(values.at(-1));
    const entries = await toggleEntries(since);
    expect(entries).toHaveLength(FEATURES.length * SEQUENTIAL_PER_FEATURE);
    for (const [key, values] of plans) {
      expect(entries.filter((e) => e.flagKey === key).map((e) => (e.after as { enabled: boolean }).enabled)).toEqual(values);
    }
  }, 120_000);
});

describe('50 concurrent admin.userOverrides.set on one user and flag', () => {
  it('all land, one after another: each audit entry’s before is the previous entry’s after, the last is what is stored', async () => {
    await h.editor.admin.flags.create({ key: 'override-race', name: 'Override race', stage: 'beta', ttlDays: 30 });
    const next = random(23);
    const plan = Array.from({ length: 50 }, (_, i) => ({ enabled: next() < 0.5, reason: `support ticket ${i}` }));
    const since = await lastAuditId();

    const results = await Promise.allSettled(
      plan.map(({ enabled, reason }) => h.editor.admin.userOverrides.set({ userId: h.seed.memberId, flagKey: 'override-race', enabled, reason })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const chain = await h.db.prisma.auditEntry.findMany({ where: { id: { gt: since }, action: 'user_override.set', flagKey: 'override-race' }, orderBy: { id: 'asc' } });
    expect(chain).toHaveLength(plan.length);
    expect(chain[0]?.before).toBeNull();
    // The user's row lock orders the writes: none saw a state another one had already replaced.
    chain.slice(1).forEach((entry, i) => expect(entry.before, `entry ${i + 1}`).toEqual(chain[i]?.after));
    expect(new Set(chain.map((entry) => (entry.after as { reason: string }).reason))).toEqual(new Set(plan.map((p) => p.reason)));
    const stored = await h.db.prisma.userOverride.findUniqueOrThrow({ where: { userId_flagKey: { userId: h.seed.memberId, flagKey: 'override-race' } } });
    expect(chain.at(-1)?.after).toEqual({ userId: h.seed.memberId, enabled: stored.enabled, reason: stored.reason, expiresAt: null });
  });
});

describe('optimistic concurrency on flags', () => {
  it('lets exactly one of two concurrent updates with the same expectedVersion win, every round', async () => {
    for (let round = 0; round < 10; round++) {
      const { version } = await h.editor.admin.flags.get({ key: 'smart-summaries' });
      const since = await lastAuditId();
      const outcomes = await Promise.allSettled([
        h.editor.admin.flags.update({ key: 'smart-summaries', description: `A ${round}`, expectedVersion: version }),
        h.editor.admin.flags.setRollout({ key: 'smart-summaries', rolloutPercentage: round, expectedVersion: version }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const loser = outcomes.find((o) => o.status === 'rejected');
      await expectCode(Promise.reject(loser?.reason), 'CONFLICT', 409);
      expect((await h.editor.admin.flags.get({ key: 'smart-summaries' })).version).toBe(version + 1);
      expect(await h.db.prisma.auditEntry.count({ where: { id: { gt: since } } })).toBe(1);
    }
  });

  it('creates a key once when two admins create it at the same moment', async () => {
    const input = { key: 'raced-flag', name: 'Raced', stage: 'lab' as const, ttlDays: 10 };
    const outcomes = await Promise.allSettled([h.editor.admin.flags.create(input), h.editor.admin.flags.create(input)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    await expectCode(Promise.reject(outcomes.find((o) => o.status === 'rejected')?.reason), 'CONFLICT');
    expect(await h.db.prisma.auditEntry.count({ where: { flagKey: 'raced-flag' } })).toBe(1);
  });
});
