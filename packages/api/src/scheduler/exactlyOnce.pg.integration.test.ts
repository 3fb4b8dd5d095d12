// Two API processes on one PostgreSQL (two services, each with its own connection pools), four
// schedulers ticking at once, round after round: every scheduled change, every plan step and every
// rollback happens exactly once, counted in the audit log and the webhook outbox. PGlite lives in one
// process, so this file only runs with STAGEGATE_TEST_PG.
import { openDatabase, type Database } from '@stagegate/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../createServices.js';
import { ingestMetricsReport } from '../domain/pipelineMetrics.js';
import { pathCounts, reportOf, routed } from '../domain/pipelineMetrics.fixtures.js';
import { createLogger } from '../logger.js';
import type { Services } from '../services.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { createScheduler } from './index.js';

let h: Harness;
let db2: Database;
let second: Services;
let clock = new Date('2026-12-02T12:00:00.000Z');
const later = (seconds: number) => new Date(clock.getTime() + seconds * 1_000);
// Deliveries go nowhere (a closed port); what is counted is what went into the outbox.
const webhooks = { url: 'http://127.0.0.1:9/hooks', secret: 'two-processes' };

beforeAll(async () => {
  h = await startHarness({ now: () => clock, webhooks });
  if (!h.db.url) throw new Error('this test needs STAGEGATE_TEST_PG');
  db2 = await openDatabase({ url: h.db.url });
  second = createServices({ db: db2, now: () => clock, logger: createLogger({ level: 'silent' }), webhooks, flagsTtlMs: 600_000 });
  await second.flagSource.listening();
});
afterAll(async () => {
  await second.close();
  await db2.close();
  await h.close();
});

const CHANGES = 24;
const HEALTHY = ['eo-healthy-1', 'eo-healthy-2', 'eo-healthy-3'];
const KILLED = ['eo-trip-kill-1', 'eo-trip-kill-2'];
const STEPPED_BACK = ['eo-trip-back-1', 'eo-trip-back-2'];

describe('two API processes ticking at once', () => {
  it('run each scheduled change, each plan step and each rollback exactly once', async () => {
    // Scheduled changes: rollouts on flags of their own, due over the first rounds.
    for (let i = 0; i < CHANGES; i++) {
      const key = `eo-scheduled-${i}`;
      await h.editor.admin.flags.create({ key, name: `Scheduled ${i}`, stage: 'ga', ttlDays: 30 });
      await h.editor.admin.schedule.create({ key, action: 'set_rollout', rolloutPercentage: i + 1, runAt: later(30 + (i % 6) * 60), reason: `change ${i}` });
    }
    await h.editor.admin.flags.create({ key: 'eo-killed-on-time', name: 'Killed on time', stage: 'ga', ttlDays: 30 });
    await h.editor.admin.schedule.create({ key: 'eo-killed-on-time', action: 'kill', runAt: later(90), reason: 'window' });
    await h.editor.admin.schedule.create({ key: 'eo-killed-on-time', action: 'restore', runAt: later(200), reason: 'window over' });

    for (const key of [...HEALTHY, ...KILLED, ...STEPPED_BACK]) {
      await h.editor.admin.flags.create({ key, name: key, stage: 'ga', ttlDays: 30 });
      await h.editor.admin.plans.attach({ key, steps: [10, 50, 100], minStepSeconds: 60, minCalls: 100, onTrip: key.includes('kill') ? 'kill' : 'previous_step' });
    }
    const schedulers = [createScheduler(h.services), createScheduler(h.services), createScheduler(second), createScheduler(second)];

    for (let round = 1; round <= 8; round++) {
      clock = later(61);
      // Healthy plans get clean traffic every round; the failing ones start failing at their second step.
      const flags = [];
      for (const key of HEALTHY) flags.push(routed(key, pathCounts(300, 1), pathCounts(300, 1)));
      for (const key of [...KILLED, ...STEPPED_BACK]) {
        const step = (await h.db.prisma.releasePlan.findUniqueOrThrow({ where: { flagKey: key } })).currentStep;
        flags.push(routed(key, pathCounts(300, step >= 1 ? 60 : 0), pathCounts(300, 0)));
      }
      await ingestMetricsReport(round % 2 ? h.services : second, reportOf(clock, [{ endsAgoMs: 0, flags }]));
      // Many ticks at once, from both processes, several times a round.
      for (let burst = 0; burst < 3; burst++) await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
    }

    const audit = await h.db.prisma.auditEntry.findMany({ where: { actor: { in: ['schedule', 'guard'] } }, orderBy: { id: 'asc' } });
    const count = (predicate: (entry: (typeof audit)[number]) => boolean) => audit.filter(predicate).length;

    // Scheduled: each once, all done.
    for (let i = 0; i < CHANGES; i++) expect(count((e) => e.flagKey === `eo-scheduled-${i}` && e.action === 'flag.set_rollout'), `change ${i}`).toBe(1);
    expect(count((e) => e.flagKey === 'eo-killed-on-time')).toBe(2);
    expect(await h.db.prisma.scheduledChange.groupBy({ by: ['status'], _count: true })).toEqual([{ status: 'done', _count: CHANGES + 2 }]);

    // Plans: two steps each for the healthy ones, one rollback for each failing one.
    for (const key of HEALTHY) {
      expect(count((e) => e.flagKey === key && e.action === 'flag.set_rollout'), key).toBe(2);
      expect(await h.db.prisma.releasePlan.findUniqueOrThrow({ where: { flagKey: key } })).toMatchObject({ status: 'completed', currentStep: 2 });
    }
    for (const key of KILLED) {
      expect(audit.filter((e) => e.flagKey === key).map((e) => e.action), key).toEqual(['flag.set_rollout', 'flag.kill']);
      expect(await h.db.prisma.flag.findUniqueOrThrow({ where: { key } })).toMatchObject({ killedBy: 'guard' });
    }
    for (const key of STEPPED_BACK) {
      expect(audit.filter((e) => e.flagKey === key).map((e) => (e.after as { rolloutPercentage: number }).rolloutPercentage), key).toEqual([50, 10]);
      expect(await h.db.prisma.releasePlan.findUniqueOrThrow({ where: { flagKey: key } })).toMatchObject({ status: 'rolled_back' });
    }

    // The outbox agrees: one delivery per step, completion and trip.
    const outbox = await h.db.prisma.webhookDelivery.groupBy({ by: ['event'], _count: true, orderBy: { event: 'asc' } });
    expect(outbox).toEqual([
      { event: 'flag.killed', _count: KILLED.length + 1 },
      { event: 'flag.restored', _count: 1 },
      { event: 'guard.tripped', _count: KILLED.length + STEPPED_BACK.length },
      { event: 'plan.completed', _count: HEALTHY.length },
      { event: 'plan.step', _count: HEALTHY.length * 2 + KILLED.length + STEPPED_BACK.length },
    ]);

    // Whichever process ran each, the two processes' counts add up to the work done once.
    const steps = async (services: Services) => (await services.metrics.planSteps.get()).values.reduce((sum, value) => sum + value.value, 0);
    expect((await steps(h.services)) + (await steps(second))).toBe(HEALTHY.length * 2 + KILLED.length + STEPPED_BACK.length);
    const runs = async (services: Services) => (await services.metrics.scheduledChanges.get()).values.reduce((sum, value) => sum + value.value, 0);
    expect((await runs(h.services)) + (await runs(second))).toBe(CHANGES + 2);
  }, 120_000);
});
