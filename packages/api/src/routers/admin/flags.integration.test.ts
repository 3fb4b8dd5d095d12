import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, snapshotWrites, startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ctx = () => ({ userId: h.seed.memberId, workspaceId: h.seed.workspaceId });
const lastAudit = async () => (await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0];

describe('admin.flags reads', () => {
  it('lists live flags by default, archived ones on request', async () => {
    await h.editor.admin.flags.create({ key: 'to-archive', name: 'To Archive', stage: 'lab', ttlDays: 10 });
    await h.editor.admin.flags.archive({ key: 'to-archive' });
    const live = await h.editor.admin.flags.list();
    const archived = await h.editor.admin.flags.list({ archived: 'only' });
    const all = await h.editor.admin.flags.list({ archived: 'include' });
    expect(live.map((f) => f.key)).not.toContain('to-archive');
    expect(archived.map((f) => f.key)).toEqual(['to-archive']);
    expect(all).toHaveLength(live.length + 1);
    expect((await h.editor.admin.flags.list({ stage: 'ga' })).every((f) => f.stage === 'ga')).toBe(true);
  });

  it('gets one flag with its TTL worked out, and FLAG_NOT_FOUND for an unknown key', async () => {
    const flag = await h.editor.admin.flags.get({ key: 'legacy-export' });
    expect(flag).toMatchObject({ key: 'legacy-export', stage: 'beta', version: 1, kill: { by: 'editor@stagegate.dev' } });
    expect(typeof flag.ttlStart).toBe('string');
    expect(flag.daysRemaining).toBe(Math.floor((Date.parse(flag.ttlStart) + flag.ttlDays * 86_400_000 - Date.now()) / 86_400_000));
    await expectCode(h.editor.admin.flags.get({ key: 'nope' }), 'FLAG_NOT_FOUND', 404);
  });
});

describe('admin.flags writes', () => {
  it('creates a flag at version 1 owned by the admin, audited; a second create of the key is CONFLICT', async () => {
    const flag = await h.editor.admin.flags.create({ key: 'new-editor', name: 'New Editor', stage: 'lab', ttlDays: 30, category: 'editing' });
    expect(flag).toMatchObject({ key: 'new-editor', version: 1, owner: DEMO_USERS.editor.email, enabled: false, rolloutPercentage: 0, kill: null });
    expect(await lastAudit()).toMatchObject({ action: 'flag.create', actor: DEMO_USERS.editor.email, flagKey: 'new-editor', before: null });
    const before = await snapshotWrites(h.db);
    await expectCode(h.editor.admin.flags.create({ key: 'new-editor', name: 'Again', stage: 'lab', ttlDays: 30 }), 'CONFLICT', 409);
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('updates metadata, bumps the version and records before and after', async () => {
    const flag = await h.editor.admin.flags.update({ key: 'new-editor', name: 'New Editor 2', kbArticle: 'https://kb.stagegate.dev/editor', reason: 'rename' });
    expect(flag).toMatchObject({ name: 'New Editor 2', kbArticle: 'https://kb.stagegate.dev/editor', version: 2 });
    expect(await lastAudit()).toMatchObject({
      action: 'flag.update',
      before: { name: 'New Editor', version: 1 },
      after: { name: 'New Editor 2', version: 2 },
      reason: 'rename',
    });
  });

  it('moves a flag to another stage and restarts its TTL there', async () => {
    const before = await h.editor.admin.flags.get({ key: 'internal-search' });
    const flag = await h.editor.admin.flags.setStage({ key: 'internal-search', stage: 'beta', expectedVersion: before.version });
    expect(flag.stage).toBe('beta');
    expect(Date.parse(flag.ttlStart)).toBeGreaterThan(Date.parse(before.ttlStart));
    expect(Date.now() - Date.parse(flag.ttlStart)).toBeLessThan(60_000);
    expect(flag.version).toBe(before.version + 1);
    expect(await lastAudit()).toMatchObject({ action: 'flag.set_stage', before: { stage: 'alpha' }, after: { stage: 'beta' } });
  });

  it('sets a rollout, and evaluation follows at once (this process’s cache is invalidated)', async () => {
    await h.editor.admin.flags.setRollout({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 0 });
    expect(await h.services.flags.evaluate('phoenix-pipeline-enabled', ctx())).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    await h.editor.admin.flags.setRollout({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 100, enabled: true });
    expect(await h.services.flags.evaluate('phoenix-pipeline-enabled', ctx())).toMatchObject({ enabled: true, reason: 'ROLLOUT' });
    const flag = await h.editor.admin.flags.setRollout({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 0.25 });
    expect(flag).toMatchObject({ rolloutPercentage: 0.25, enabled: true });
  });

  it('sets and clears the admin override', async () => {
    await h.editor.admin.flags.setAdminOverride({ key: 'process-agent', adminOverride: 'on' });
    expect(await h.services.flags.evaluate('process-agent', ctx())).toMatchObject({ enabled: true, reason: 'ADMIN_OVERRIDE' });
    const flag = await h.editor.admin.flags.setAdminOverride({ key: 'process-agent', adminOverride: null });
    expect(flag.adminOverride).toBeNull();
    expect(await h.services.flags.evaluate('process-agent', ctx())).toMatchObject({ enabled: false, reason: 'LAB' });
  });

  it('kills with a reason (seen by the next evaluation), refuses a second kill, and restores', async () => {
    await h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true });
    expect((await h.services.flags.evaluate('auto-tagging-v2', ctx())).enabled).toBe(true);

    const killed = await h.editor.admin.flags.kill({ key: 'auto-tagging-v2', reason: 'tags wrong meetings' });
    expect(killed.kill).toMatchObject({ reason: 'tags wrong meetings', by: DEMO_USERS.editor.email });
    expect(await h.services.flags.evaluate('auto-tagging-v2', ctx())).toMatchObject({ enabled: false, reason: 'KILLED' });
    expect((await h.member.betaFeatures.list()).features.map((f) => f.key)).not.toContain('auto-tagging-v2');
    expect(await lastAudit()).toMatchObject({ action: 'flag.kill', reason: 'tags wrong meetings', before: { kill: null } });

    await expectCode(h.editor.admin.flags.kill({ key: 'auto-tagging-v2', reason: 'again' }), 'CONFLICT');
    const restored = await h.editor.admin.flags.restore({ key: 'auto-tagging-v2', reason: 'fixed in 2.3.1' });
    expect(restored.kill).toBeNull();
    expect(await h.services.flags.evaluate('auto-tagging-v2', ctx())).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    await expectCode(h.editor.admin.flags.restore({ key: 'auto-tagging-v2', reason: 'again' }), 'CONFLICT');
  });

  it('archives: the flag stops resolving and leaves the beta list', async () => {
    const flag = await h.editor.admin.flags.archive({ key: 'global-chat-enabled', reason: 'merged into chat v3' });
    expect(flag.archived).toBe(true);
    expect((await h.services.flags.evaluate('global-chat-enabled', ctx())).reason).toBe('FLAG_NOT_FOUND');
    expect((await h.member.betaFeatures.list()).features.map((f) => f.key)).not.toContain('global-chat-enabled');
    await expectCode(h.editor.admin.flags.archive({ key: 'global-chat-enabled' }), 'CONFLICT');
  });

  it('answers a stale expectedVersion with CONFLICT and writes nothing', async () => {
    const current = await h.editor.admin.flags.get({ key: 'privacy-agent' });
    await h.editor.admin.flags.update({ key: 'privacy-agent', description: 'first edit', expectedVersion: current.version });
    const before = await snapshotWrites(h.db);
    const error = await expectCode(
      h.editor.admin.flags.update({ key: 'privacy-agent', description: 'stale edit', expectedVersion: current.version }),
      'CONFLICT',
      409,
    );
    expect((error as Error).message).toMatch(/version/);
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('writes nothing when the flag does not exist', async () => {
    const before = await snapshotWrites(h.db);
    await expectCode(h.editor.admin.flags.kill({ key: 'no-such-flag', reason: 'x' }), 'FLAG_NOT_FOUND');
    await expectCode(h.editor.admin.flags.setRollout({ key: 'no-such-flag', rolloutPercentage: 5 }), 'FLAG_NOT_FOUND');
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('records every write in the audit log with the version it produced', async () => {
    const entries = await h.db.prisma.auditEntry.findMany({ where: { flagKey: 'new-editor' }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['flag.create', 'flag.update']);
    expect(entries.map((e) => (e.after as { version: number }).version)).toEqual([1, 2]);
  });
});
