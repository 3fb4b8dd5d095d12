import { flagAdminSelect, toFlagDefinition, type FlagAdminRow } from '@stagegate/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness.js';
import { killChange, restoreChange, switchKillInOneStatement } from './killSwitch.js';

// The kill switch's one-statement path must write exactly what the locked path writes (the row, its
// audit entry, the webhook's outbox row), and step aside whenever it cannot vouch for the row before.

let h: Harness;
beforeAll(async () => {
  // Webhooks on (nothing listens: only the outbox rows are looked at).
  h = await startHarness({ webhooks: { url: 'http://127.0.0.1:9/hooks', secret: 'test-secret' } });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.services.flags.flagSet();
});

const editor = { email: 'editor@stagegate.dev' };
const row = (key: string) => h.db.prisma.flag.findUniqueOrThrow({ where: { key }, select: flagAdminSelect });
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const latest = async <T>(rows: Promise<T[]>) => (await rows)[0];
const lastAudit = () => latest(h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 }));
const lastDelivery = () => latest(h.db.prisma.webhookDelivery.findMany({ orderBy: { id: 'desc' }, take: 1 }));

function kill(key: string, reason: string, now = new Date()) {
  return switchKillInOneStatement(h.services, editor, { key, reason, action: 'flag.kill' }, killChange(reason, editor), 'flag.killed', now);
}

describe('the kill switch in one statement', () => {
  it('kills and restores with the row, audit entry and outbox row the locked path writes', async () => {
    const before = await row('smart-summaries');
    const now = new Date();
    const killed = await kill('smart-summaries', 'error spike', now);
    const after = await row('smart-summaries');
    expect(killed).toEqual<FlagAdminRow>(after);
    expect(after).toMatchObject({ killReason: 'error spike', killedAt: now, killedBy: editor.email, version: before.version + 1, updatedAt: now, createdAt: before.createdAt });
    expect(await lastAudit()).toMatchObject({
      at: now,
      actor: editor.email,
      action: 'flag.kill',
      flagKey: 'smart-summaries',
      reason: 'error spike',
      before: asJson(toFlagDefinition(before)),
      after: asJson(toFlagDefinition(after)),
    });
    expect(await lastDelivery()).toMatchObject({
      event: 'flag.killed',
      status: 'pending',
      createdAt: now,
      nextAttemptAt: now,
      payload: { flag: 'smart-summaries', reason: 'error spike', by: editor.email, version: after.version, at: now.toISOString() },
    });

    // The process's flag set hears of the kill before the restore reads it.
    await h.services.flags.flagSet();
    const restoredAt = new Date();
    const restored = await switchKillInOneStatement(h.services, editor, { key: 'smart-summaries', reason: 'fixed', action: 'flag.restore' }, restoreChange, 'flag.restored', restoredAt);
    expect(restored).toEqual(await row('smart-summaries'));
    expect(restored).toMatchObject({ killReason: null, killedAt: null, killedBy: null, version: before.version + 2 });
    expect(await lastAudit()).toMatchObject({ action: 'flag.restore', before: asJson(toFlagDefinition(after)), after: asJson(toFlagDefinition(restored!)) });
    expect(await lastDelivery()).toMatchObject({ event: 'flag.restored', payload: { version: before.version + 2 } });
  });

  it('steps aside, writing nothing, when the row changed since this process read it (an SQL edit), a plan runs, or the change refuses', async () => {
    const audited = await h.db.prisma.auditEntry.count();
    // An edit by SQL: the trigger moves the version on. This process's flag set hears of it within
    // milliseconds, so the set from before the edit stands in for one that has not heard yet.
    const before = h.services.flags.flagSetSync();
    await h.db.exec(`UPDATE flags SET description = 'edited by SQL' WHERE key = 'internal-search'`);
    const stale = { ...h.services, flags: { ...h.services.flags, flagSetSync: () => before } };
    expect(await switchKillInOneStatement(stale, editor, { key: 'internal-search', reason: 'spike', action: 'flag.kill' }, killChange('spike', editor), 'flag.killed', new Date())).toBeUndefined();
    expect(await h.db.prisma.auditEntry.count()).toBe(audited);
    // Through the API, the locked path takes over and records the row as it truly was.
    await h.editor.admin.flags.kill({ key: 'internal-search', reason: 'spike' });
    expect((await lastAudit())?.before).toMatchObject({ description: 'edited by SQL', kill: null });
    await h.services.flags.flagSet();
    // Already killed: the refusal is the locked path's to word.
    expect(await kill('internal-search', 'again')).toBeUndefined();
    await h.editor.admin.flags.restore({ key: 'internal-search', reason: 'cleanup' });

    await h.editor.admin.plans.attach({ key: 'internal-search', steps: [10, 100], minStepSeconds: 60, minCalls: 10, onTrip: 'kill' });
    await h.services.flags.flagSet();
    const count = await h.db.prisma.auditEntry.count();
    expect(await kill('internal-search', 'spike')).toBeUndefined();
    expect(await h.db.prisma.auditEntry.count()).toBe(count);
    // The locked path pauses the plan as it kills.
    await h.editor.admin.flags.kill({ key: 'internal-search', reason: 'spike' });
    expect(await h.db.prisma.releasePlan.findUniqueOrThrow({ where: { flagKey: 'internal-search' } })).toMatchObject({ status: 'paused' });
    expect(await h.db.prisma.auditEntry.count()).toBeGreaterThan(audited);
  });

  it('takes an expected version the flag set does not hold to the locked path, which refuses it', async () => {
    const { version } = await row('global-chat-enabled');
    expect(await switchKillInOneStatement(h.services, editor, { key: 'global-chat-enabled', expectedVersion: version + 1, reason: 'x', action: 'flag.kill' }, killChange('x', editor), 'flag.killed', new Date())).toBeUndefined();
    await expect(h.editor.admin.flags.kill({ key: 'global-chat-enabled', expectedVersion: version + 1, reason: 'x' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await row('global-chat-enabled')).version).toBe(version);
  });
});
