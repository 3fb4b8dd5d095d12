import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createServices } from '../createServices.js';
import { createScheduler } from '../scheduler/index.js';
import { expectCode, startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
let clock = new Date('2026-12-02T12:00:00.000Z');
const later = (seconds: number) => new Date(clock.getTime() + seconds * 1_000);
const advance = (seconds: number) => {
  clock = later(seconds);
};

beforeAll(async () => {
  h = await startHarness({ now: () => clock, webhooks: { url: 'http://127.0.0.1:9/hooks', secret: 'schedule-test' } });
});
afterAll(() => h.close());

const flag = (key: string) => h.db.prisma.flag.findUniqueOrThrow({ where: { key } });
const auditOf = (key: string, action: string) => h.db.prisma.auditEntry.findMany({ where: { flagKey: key, action }, orderBy: { id: 'asc' } });

describe('scheduled changes', () => {
  it('runs once at its time, not before, as actor schedule with who scheduled it and why', async () => {
    const scheduler = createScheduler(h.services);
    const change = await h.editor.admin.schedule.create({ key: 'process-agent', action: 'set_rollout', rolloutPercentage: 25, runAt: later(60), reason: 'widen after the review' });
    expect(change).toMatchObject({ status: 'pending', createdBy: DEMO_USERS.editor.email, runAt: later(60).toISOString(), executedAt: null });
    expect(await auditOf('process-agent', 'schedule.create')).toHaveLength(1);

    advance(30);
    await scheduler.tick();
    expect((await flag('process-agent')).rolloutPercentage).not.toBe(25);

    advance(31);
    await scheduler.tick();
    await scheduler.tick();
    expect((await flag('process-agent')).rolloutPercentage).toBe(25);
    const writes = await auditOf('process-agent', 'flag.set_rollout');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ actor: 'schedule', reason: expect.stringContaining(`Scheduled by ${DEMO_USERS.editor.email}`) });
    expect(writes[0]!.reason).toContain('widen after the review');
    const [done] = await h.viewer.admin.schedule.list({ key: 'process-agent' });
    expect(done).toMatchObject({ id: change.id, status: 'done', executedAt: clock.toISOString(), error: null });
  });

  it('refuses a time that is not in the future with VALIDATION_FAILED naming runAt', async () => {
    const error = await expectCode(h.editor.admin.schedule.create({ key: 'process-agent', action: 'kill', runAt: clock, reason: 'now' }), 'VALIDATION_FAILED', 400);
    expect(error.message).toContain('runAt must be in the future');
    await expectCode(h.editor.admin.schedule.create({ key: 'no-such-flag', action: 'kill', runAt: later(10), reason: 'x' }), 'FLAG_NOT_FOUND', 404);
  });

  it('kills on the priority lane and restores at their times; the kill counts as by schedule', async () => {
    const scheduler = createScheduler(h.services);
    await h.editor.admin.schedule.create({ key: 'auto-tagging-v2', action: 'kill', runAt: later(10), reason: 'maintenance window' });
    await h.editor.admin.schedule.create({ key: 'auto-tagging-v2', action: 'restore', runAt: later(20), reason: 'maintenance over' });
    advance(11);
    await scheduler.tick();
    expect(await flag('auto-tagging-v2')).toMatchObject({ killedBy: 'schedule', killReason: expect.stringContaining('maintenance window') });
    expect((await h.services.metrics.kills.get()).values).toContainEqual(expect.objectContaining({ labels: { flag: 'auto-tagging-v2', by: 'schedule' }, value: 1 }));
    advance(10);
    await scheduler.tick();
    expect((await flag('auto-tagging-v2')).killedAt).toBeNull();
    expect((await auditOf('auto-tagging-v2', 'flag.restore')).map((entry) => entry.actor)).toEqual(['schedule']);
    const outbox = await h.db.prisma.webhookDelivery.findMany({ orderBy: { id: 'asc' } });
    expect(outbox.map((row) => [row.event, (row.payload as { by: string }).by])).toEqual([
      ['flag.killed', 'schedule'],
      ['flag.restored', 'schedule'],
    ]);
  });

  it('cancels a pending change (audited), which then never runs; only pending ones cancel', async () => {
    const scheduler = createScheduler(h.services);
    const change = await h.editor.admin.schedule.create({ key: 'internal-search', action: 'set_stage', stage: 'beta', runAt: later(5), reason: 'beta day' });
    const cancelled = await h.editor.admin.schedule.cancel({ id: change.id, reason: 'not yet' });
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(await auditOf('internal-search', 'schedule.cancel')).toEqual([expect.objectContaining({ actor: DEMO_USERS.editor.email, reason: 'not yet' })]);
    const before = await flag('internal-search');
    advance(6);
    await scheduler.tick();
    expect((await flag('internal-search')).version).toBe(before.version);
    await expectCode(h.editor.admin.schedule.cancel({ id: change.id }), 'CONFLICT', 409);
    await expectCode(h.editor.admin.schedule.cancel({ id: 999_999 }), 'SCHEDULED_CHANGE_NOT_FOUND', 404);
  });

  it('records a refused change as failed with its code and never retries it', async () => {
    const scheduler = createScheduler(h.services);
    const change = await h.editor.admin.schedule.create({ key: 'smart-summaries', action: 'restore', runAt: later(5), reason: 'undo a kill that never happened' });
    const before = await flag('smart-summaries');
    advance(6);
    await scheduler.tick();
    await scheduler.tick();
    const [failed] = await h.viewer.admin.schedule.list({ key: 'smart-summaries', status: 'failed' });
    expect(failed).toMatchObject({ id: change.id, status: 'failed', error: 'CONFLICT: Flag "smart-summaries" is not killed' });
    expect((await flag('smart-summaries')).version).toBe(before.version);
    expect(await auditOf('smart-summaries', 'flag.restore')).toHaveLength(0);
    expect((await h.services.metrics.scheduledChanges.get()).values).toContainEqual(expect.objectContaining({ labels: { action: 'restore', result: 'failed' }, value: 1 }));
  });

  it('survives a restart: services started afresh on the same database run a change scheduled before', async () => {
    const change = await h.editor.admin.schedule.create({ key: 'global-chat-enabled', action: 'set_rollout', rolloutPercentage: 40, runAt: later(120), reason: 'after the restart' });
    const restarted = createServices({ db: h.db, now: () => clock, logger: createLogger({ level: 'silent' }) });
    try {
      advance(121);
      await createScheduler(restarted).tick();
      expect((await flag('global-chat-enabled')).rolloutPercentage).toBe(40);
      expect((await h.viewer.admin.schedule.list({ status: 'done' })).map((item) => item.id)).toContain(change.id);
    } finally {
      await restarted.close();
    }
  });
});
