import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, snapshotWrites, startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const memberCtx = () => ({ userId: h.seed.memberId, workspaceId: h.seed.workspaceId });

describe('admin.userOverrides', () => {
  it('sets an override by email, which evaluation honours at once, and audits it', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const view = await h.editor.admin.userOverrides.set({ email: DEMO_USERS.member.email, flagKey: 'process-agent', enabled: true, reason: 'design partner', expiresAt });
    expect(view).toMatchObject({
      userId: h.seed.memberId,
      email: DEMO_USERS.member.email,
      flagKey: 'process-agent',
      enabled: true,
      reason: 'design partner',
      expiresAt: expiresAt.toISOString(),
      expired: false,
      createdBy: DEMO_USERS.editor.email,
    });
    expect(await h.services.flags.evaluate('process-agent', memberCtx())).toMatchObject({ enabled: true, reason: 'USER_OVERRIDE' });
    const [audit] = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(audit).toMatchObject({ action: 'user_override.set', flagKey: 'process-agent', before: null, after: { userId: h.seed.memberId, enabled: true } });
  });

  it('replaces an override by userId (one row per user and flag)', async () => {
    await h.editor.admin.userOverrides.set({ userId: h.seed.memberId, flagKey: 'process-agent', enabled: false, reason: 'partner asked to stop' });
    const rows = await h.db.prisma.userOverride.findMany({ where: { userId: h.seed.memberId, flagKey: 'process-agent' } });
    expect(rows).toEqual([expect.objectContaining({ enabled: false, expiresAt: null })]);
    expect(await h.services.flags.evaluate('process-agent', memberCtx())).toMatchObject({ enabled: false, reason: 'USER_OVERRIDE' });
  });

  it('lists by flag, by user, or all', async () => {
    await h.editor.admin.userOverrides.set({ userId: h.seed.adminId, flagKey: 'smart-summaries', enabled: false, reason: 'admin testing the off path' });
    expect((await h.editor.admin.userOverrides.list({ flagKey: 'process-agent' })).map((o) => o.userId)).toEqual([h.seed.memberId]);
    expect((await h.editor.admin.userOverrides.list({ email: DEMO_USERS.admin.email })).map((o) => o.flagKey)).toEqual(['smart-summaries']);
    expect(await h.editor.admin.userOverrides.list()).toHaveLength(2);
  });

  it('refuses an expiry in the past, an unknown user and an unknown flag, writing nothing', async () => {
    const before = await snapshotWrites(h.db);
    const past = new Date(Date.now() - 1_000);
    await expectCode(h.editor.admin.userOverrides.set({ userId: h.seed.memberId, flagKey: 'process-agent', enabled: true, reason: 'x', expiresAt: past }), 'VALIDATION_FAILED', 400);
    await expectCode(h.editor.admin.userOverrides.set({ email: 'ghost@stagegate.dev', flagKey: 'process-agent', enabled: true, reason: 'x' }), 'USER_NOT_FOUND', 404);
    await expectCode(h.editor.admin.userOverrides.set({ userId: h.seed.memberId, flagKey: 'no-such-flag', enabled: true, reason: 'x' }), 'FLAG_NOT_FOUND', 404);
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('reaches users of every workspace (operators are no tenant’s): an Acme member’s override is set and listed', async () => {
    const view = await h.editor.admin.userOverrides.set({ email: DEMO_USERS.acmeMember.email, flagKey: 'process-agent', enabled: true, reason: 'Acme design partner' });
    expect(view).toMatchObject({ userId: h.seed.users.acmeMember, email: DEMO_USERS.acmeMember.email });
    expect(await h.services.flags.evaluate('process-agent', { userId: h.seed.users.acmeMember, workspaceId: h.seed.acmeWorkspaceId })).toMatchObject({ enabled: true, reason: 'USER_OVERRIDE' });
    expect((await h.viewer.admin.userOverrides.list({ flagKey: 'process-agent' })).map((o) => o.email).sort()).toEqual([DEMO_USERS.acmeMember.email, DEMO_USERS.member.email]);
    await h.editor.admin.userOverrides.remove({ email: DEMO_USERS.acmeMember.email, flagKey: 'process-agent' });
  });

  it('answers USER_NOT_FOUND for a user nobody has, writing nothing', async () => {
    const before = await snapshotWrites(h.db);
    await expectCode(h.editor.admin.userOverrides.set({ userId: 'no-such-user', flagKey: 'process-agent', enabled: true, reason: 'x' }), 'USER_NOT_FOUND');
    await expectCode(h.editor.admin.userOverrides.remove({ email: 'nobody@nowhere.dev', flagKey: 'smart-summaries' }), 'USER_NOT_FOUND');
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('removes an override (evaluation falls back at once); removing it again is OVERRIDE_NOT_FOUND', async () => {
    expect(await h.editor.admin.userOverrides.remove({ email: DEMO_USERS.member.email, flagKey: 'process-agent', reason: 'done' })).toEqual({
      removed: true,
      userId: h.seed.memberId,
      flagKey: 'process-agent',
    });
    expect(await h.services.flags.evaluate('process-agent', memberCtx())).toMatchObject({ enabled: false, reason: 'LAB' });
    const [audit] = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(audit).toMatchObject({ action: 'user_override.remove', before: { enabled: false }, after: null, reason: 'done' });
    await expectCode(h.editor.admin.userOverrides.remove({ email: DEMO_USERS.member.email, flagKey: 'process-agent' }), 'OVERRIDE_NOT_FOUND', 404);
  });
});
