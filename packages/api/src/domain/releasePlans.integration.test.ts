import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../scheduler/index.js';
import { expectCode, startHarness, type Harness } from '../testing/harness.js';
import { ingestMetricsReport } from './pipelineMetrics.js';
import { pathCounts, reportOf, routed } from './pipelineMetrics.fixtures.js';

let h: Harness;
let scheduler: Scheduler;
let clock = new Date('2026-12-02T12:00:00.000Z');
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1_000);
};

beforeAll(async () => {
  // Deliveries go nowhere (a closed port): what is checked is what the plan put in the outbox.
  h = await startHarness({ now: () => clock, webhooks: { url: 'http://127.0.0.1:9/hooks', secret: 'plan-test' } });
  scheduler = createScheduler(h.services);
});
afterAll(() => h.close());

let flags = 0;
/** A fresh GA flag at 0 % with a plan of short steps attached. */
async function planned(options: { steps?: number[]; onTrip?: 'kill' | 'previous_step'; minCalls?: number; errorMargin?: number } = {}) {
  const key = `guarded-${++flags}`;
  await h.editor.admin.flags.create({ key, name: `Guarded ${flags}`, stage: 'ga', ttlDays: 60 });
  const plan = await h.editor.admin.plans.attach({ key, steps: options.steps ?? [10, 50, 100], minStepSeconds: 60, minCalls: options.minCalls ?? 100, onTrip: options.onTrip ?? 'kill', errorMargin: options.errorMargin ?? 0.01 });
  return { key, plan };
}

/** What SDKs reported for the flag in the last window: [calls, errors] per path, arriving now at the server. */
async function traffic(key: string, enabled: [number, number], disabled: [number, number] = [0, 0]) {
  await ingestMetricsReport(h.services, reportOf(clock, [{ endsAgoMs: 0, flags: [routed(key, pathCounts(...enabled), pathCounts(...disabled))] }]));
}

const flag = (key: string) => h.db.prisma.flag.findUniqueOrThrow({ where: { key } });
const webhooksOf = async (key: string) =>
  (await h.db.prisma.webhookDelivery.findMany({ orderBy: { id: 'asc' } })).filter((row) => (row.payload as { flag?: string }).flag === key).map((row) => row.event);
const guardWrites = (key: string) => h.db.prisma.auditEntry.findMany({ where: { flagKey: key, actor: 'guard' }, orderBy: { id: 'asc' } });

describe('attaching a release plan', () => {
  it('puts the flag at the first step with enabled off (the percentage decides), audited; a second plan is CONFLICT', async () => {
    const { key, plan } = await planned();
    expect(plan).toMatchObject({ flagKey: key, status: 'running', currentStep: 0, currentPercentage: 10, steps: [10, 50, 100], stepStartedAt: clock.toISOString(), lastCheck: { state: 'started' } });
    expect(await flag(key)).toMatchObject({ rolloutPercentage: 10, enabled: false });
    const audit = await h.db.prisma.auditEntry.findMany({ where: { flagKey: key, action: { in: ['plan.attach', 'flag.set_rollout'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
      ['flag.set_rollout', DEMO_USERS.editor.email],
      ['plan.attach', DEMO_USERS.editor.email],
    ]);
    await expectCode(h.editor.admin.plans.attach({ key }), 'CONFLICT', 409);
    const detail = await h.viewer.admin.plans.get({ key });
    expect(detail.history.map((event) => event.action).slice(-2)).toEqual(['flag.set_rollout', 'plan.attach']);
    expect((await h.viewer.admin.plans.list()).map((p) => p.flagKey)).toContain(key);
  });

  it('starts at the first step at or above the current rollout, and refuses flags a rollout cannot steer', async () => {
    await h.editor.admin.flags.create({ key: 'already-at-20', name: 'At 20', stage: 'ga', ttlDays: 60, rolloutPercentage: 20 });
    expect(await h.editor.admin.plans.attach({ key: 'already-at-20', steps: [10, 25, 100] })).toMatchObject({ currentStep: 1, currentPercentage: 25 });
    await expectCode(h.editor.admin.plans.attach({ key: 'process-agent' }), 'CONFLICT', 409); // lab
    await expectCode(h.editor.admin.plans.attach({ key: 'legacy-export' }), 'CONFLICT', 409); // killed
    await expectCode(h.editor.admin.plans.attach({ key: 'smart-summaries' }), 'CONFLICT', 409); // on for everyone
    await expectCode(h.editor.admin.plans.attach({ key: 'no-such-flag' }), 'FLAG_NOT_FOUND', 404);
    await expectCode(h.viewer.admin.plans.get({ key: 'auto-tagging-v2' }), 'PLAN_NOT_FOUND', 404);
  });
});

describe('the guard', () => {
  it('waits for time, then for samples, then advances while healthy, to 100 % and completed', async () => {
    const { key } = await planned();
    await traffic(key, [150, 1], [1_000, 4]);
    advance(30);
    await scheduler.tick();
    expect((await h.viewer.admin.plans.get({ key })).lastCheck).toMatchObject({ state: 'waiting_for_time', secondsLeft: 30, enabled: { calls: 150, errors: 1 } });

    advance(31);
    await scheduler.tick();
    const advanced = await h.viewer.admin.plans.get({ key });
    expect(advanced).toMatchObject({ status: 'running', currentStep: 1, currentPercentage: 50, lastCheck: { state: 'advanced' } });
    expect(await flag(key)).toMatchObject({ rolloutPercentage: 50, enabled: false });

    // The new step counts from its own start: the first step's calls do not carry over.
    advance(61);
    await traffic(key, [40, 0], [40, 0]);
    await scheduler.tick();
    expect((await h.viewer.admin.plans.get({ key })).lastCheck).toMatchObject({ state: 'waiting_for_samples', message: expect.stringContaining('40 of 100 enabled-path calls') });

    await traffic(key, [80, 0], [80, 0]);
    await scheduler.tick();
    expect(await h.viewer.admin.plans.get({ key })).toMatchObject({ status: 'completed', currentStep: 2, currentPercentage: 100, finishedAt: clock.toISOString() });
    expect((await flag(key)).rolloutPercentage).toBe(100);
    const writes = await guardWrites(key);
    expect(writes.map((entry) => [entry.action, (entry.after as { rolloutPercentage: number }).rolloutPercentage])).toEqual([
      ['flag.set_rollout', 50],
      ['flag.set_rollout', 100],
    ]);
    expect(writes[0]!.reason).toContain('step 1 of 3 (10 %) → step 2 of 3 (50 %)');
    expect((await h.services.metrics.planSteps.get()).values).toContainEqual(expect.objectContaining({ labels: { flag: key }, value: 2 }));
    await scheduler.tick();
    expect(await guardWrites(key)).toHaveLength(2);
    expect(await webhooksOf(key)).toEqual(['plan.step', 'plan.step', 'plan.completed']);
  });

  it('holds on an over-limit rate below the least sample (1 error in 3 calls kills nothing)', async () => {
    const { key } = await planned();
    await traffic(key, [3, 1]);
    advance(61);
    await scheduler.tick();
    expect(await h.viewer.admin.plans.get({ key })).toMatchObject({ status: 'running', currentStep: 0, lastCheck: { state: 'holding', enabled: { calls: 3, errors: 1 } } });
    expect((await flag(key)).killedAt).toBeNull();
  });

  it('trips at 10 % errors and kills, with the measured rates in the audit reason', async () => {
    const { key } = await planned({ onTrip: 'kill' });
    await traffic(key, [1_204, 118], [5_000, 20]);
    advance(5);
    await scheduler.tick();
    const tripped = await h.viewer.admin.plans.get({ key });
    expect(tripped).toMatchObject({ status: 'rolled_back', lastCheck: { state: 'tripped' } });
    const killed = await flag(key);
    expect(killed).toMatchObject({ killedBy: 'guard' });
    const [kill] = await guardWrites(key);
    expect(kill).toMatchObject({ action: 'flag.kill' });
    expect(kill!.reason).toContain('enabled path 9.8 % errors over 1,204 calls > 1.4 % (disabled 0.4 % over 5,000 calls + 1 % margin)');
    expect((await h.services.metrics.guardTrips.get()).values).toContainEqual(expect.objectContaining({ labels: { flag: key, action: 'kill' }, value: 1 }));
    expect((await h.services.metrics.kills.get()).values).toContainEqual(expect.objectContaining({ labels: { flag: key, by: 'guard' }, value: 1 }));
    expect(await webhooksOf(key)).toEqual(['flag.killed', 'guard.tripped']);
    // A finished plan is replaced by a new one (after a restore).
    await h.editor.admin.flags.restore({ key, reason: 'fixed' });
    // Metrics are per minute and a step's window starts at its minute: the fix ships in a later one.
    advance(60);
    expect(await h.editor.admin.plans.attach({ key, steps: [20, 100] })).toMatchObject({ status: 'running', currentStep: 0 });
  });

  it('trips back to the previous step, or to 0 % before the first', async () => {
    const { key } = await planned({ onTrip: 'previous_step' });
    await traffic(key, [200, 0]);
    advance(61);
    await scheduler.tick();
    expect((await flag(key)).rolloutPercentage).toBe(50);
    await traffic(key, [200, 20]);
    await scheduler.tick();
    expect(await flag(key)).toMatchObject({ rolloutPercentage: 10, killedAt: null });
    expect(await h.viewer.admin.plans.get({ key })).toMatchObject({ status: 'rolled_back', lastCheck: { state: 'tripped', message: expect.stringContaining('rolled back to 10 %') } });

    const first = await planned({ onTrip: 'previous_step' });
    await traffic(first.key, [100, 10]);
    await scheduler.tick();
    expect((await flag(first.key)).rolloutPercentage).toBe(0);
  });

  it('judges the enabled path against the disabled path plus the margin, under the 5 % ceiling', async () => {
    const worse = await planned();
    await traffic(worse.key, [400, 12], [400, 2]); // 3 % vs 0.5 % + 1 %
    const shared = await planned();
    await traffic(shared.key, [400, 12], [400, 12]); // 3 % vs 3 % + 1 %: the downstream fails both paths alike
    advance(61);
    await scheduler.tick();
    expect(await h.viewer.admin.plans.get({ key: worse.key })).toMatchObject({ status: 'rolled_back', lastCheck: { message: expect.stringContaining('> 1.5 % (disabled 0.5 % over 400 calls + 1 % margin)') } });
    expect(await h.viewer.admin.plans.get({ key: shared.key })).toMatchObject({ status: 'running', currentStep: 1 });
  });
});

describe('operators and the plan', () => {
  it('pause stops the guard, resume restarts the step, skip moves on, abort ends it; wrong states are CONFLICT', async () => {
    const { key } = await planned();
    const paused = await h.editor.admin.plans.control({ key, action: 'pause', reason: 'incident review' });
    expect(paused).toMatchObject({ status: 'paused', lastCheck: { state: 'paused', message: `Paused by ${DEMO_USERS.editor.email}: incident review` } });
    await traffic(key, [500, 100]);
    advance(61);
    await scheduler.tick();
    expect((await flag(key)).killedAt).toBeNull();
    await expectCode(h.editor.admin.plans.control({ key, action: 'pause', reason: 'again' }), 'CONFLICT', 409);

    advance(120);
    const resumed = await h.editor.admin.plans.control({ key, action: 'resume', reason: 'review done' });
    expect(resumed).toMatchObject({ status: 'running', stepStartedAt: clock.toISOString() });
    const skipped = await h.editor.admin.plans.control({ key, action: 'skip', reason: 'confident' });
    expect(skipped).toMatchObject({ currentStep: 1, currentPercentage: 50 });
    expect((await flag(key)).rolloutPercentage).toBe(50);
    const aborted = await h.editor.admin.plans.control({ key, action: 'abort', reason: 'going another way' });
    expect(aborted).toMatchObject({ status: 'aborted', finishedAt: clock.toISOString() });
    expect((await flag(key)).rolloutPercentage).toBe(50);
    await expectCode(h.editor.admin.plans.control({ key, action: 'resume', reason: 'no' }), 'CONFLICT', 409);
    await expectCode(h.editor.admin.plans.control({ key: 'auto-tagging-v2', action: 'pause', reason: 'no' }), 'PLAN_NOT_FOUND', 404);
    const history = (await h.viewer.admin.plans.get({ key })).history.map((event) => event.action);
    expect(history.filter((action) => action.startsWith('plan.'))).toEqual(['plan.attach', 'plan.pause', 'plan.resume', 'plan.skip', 'plan.abort']);
  });

  it("an operator's own rollout change or kill pauses the plan; resume puts the step back, not while killed", async () => {
    const { key } = await planned();
    await h.editor.admin.flags.setRollout({ key, rolloutPercentage: 30, reason: 'by hand' });
    expect(await h.viewer.admin.plans.get({ key })).toMatchObject({ status: 'paused', lastCheck: { state: 'paused', message: expect.stringContaining('changed rolloutPercentage by hand') } });
    expect(await h.db.prisma.auditEntry.findFirst({ where: { flagKey: key, action: 'plan.pause' } })).toMatchObject({ actor: DEMO_USERS.editor.email });
    await h.editor.admin.plans.control({ key, action: 'resume', reason: 'back on rails' });
    expect((await flag(key)).rolloutPercentage).toBe(10);

    await h.editor.admin.flags.kill({ key, reason: 'pager' });
    expect((await h.viewer.admin.plans.get({ key })).status).toBe('paused');
    await expectCode(h.editor.admin.plans.control({ key, action: 'resume', reason: 'too soon' }), 'CONFLICT', 409);
    await h.editor.admin.flags.restore({ key, reason: 'pager resolved' });
    expect(await h.editor.admin.plans.control({ key, action: 'resume', reason: 'again' })).toMatchObject({ status: 'running' });
    // A scheduled change steers too: it pauses the plan, as actor schedule.
    await h.editor.admin.schedule.create({ key, action: 'set_rollout', rolloutPercentage: 75, runAt: new Date(clock.getTime() + 1_000), reason: 'planned before the plan' });
    advance(2);
    await scheduler.tick();
    expect(await h.viewer.admin.plans.get({ key })).toMatchObject({ status: 'paused', currentPercentage: 10 });
    expect(await h.db.prisma.auditEntry.findFirst({ where: { flagKey: key, action: 'plan.pause' }, orderBy: { id: 'desc' } })).toMatchObject({ actor: 'schedule' });
    await h.editor.admin.plans.control({ key, action: 'resume', reason: 'the plan decides' });
    // A change to a field that does not steer who gets the flag leaves the plan alone.
    await h.editor.admin.flags.update({ key, description: 'clarified' });
    expect((await h.viewer.admin.plans.get({ key })).status).toBe('running');
  });
});
