import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, settle, snapshotWrites, startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const memberCtx = () => ({ userId: h.seed.memberId, workspaceId: h.seed.workspaceId });
const listed = async (caller: Harness['member']) => (await caller.betaFeatures.list()).features.map((f) => f.key);

describe('workspace policy', () => {
  it('shows a workspace admin their own workspace only, with their members’ choices', async () => {
    await h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true });
    await h.acmeMember.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: false });
    const demo = await h.admin.workspace.policy();
    expect(demo.workspace).toMatchObject({ id: h.seed.workspaceId, slug: 'demo' });
    expect(demo).toMatchObject({ members: 2, optInBlocked: false });
    expect(demo.betas.find((b) => b.key === 'auto-tagging-v2')).toMatchObject({ policy: null, optedIn: 1, optedOut: 0 });
    // Acme's admin sees Acme's member's opt-out, not the demo member's opt-in, and Acme's seeded policy.
    const acme = await h.acmeAdmin.workspace.policy();
    expect(acme.betas.find((b) => b.key === 'auto-tagging-v2')).toMatchObject({ optedIn: 0, optedOut: 1 });
    expect(acme.betas.find((b) => b.key === 'internal-search')).toMatchObject({ policy: 'blocked' });
    expect(acme.betas.find((b) => b.key === 'global-chat-enabled')).toMatchObject({ policy: 'enabled' });
    // Only alpha and beta, never lab, GA or a killed one.
    expect(demo.betas.map((b) => b.stage).every((stage) => stage === 'alpha' || stage === 'beta')).toBe(true);
    expect(demo.betas.map((b) => b.key)).not.toContain('legacy-export');
  });

  it('keeps members out of it', async () => {
    await expectCode(h.member.workspace.policy(), 'FORBIDDEN', 403);
    await expectCode(h.member.workspace.setOptInBlocked({ blocked: true }), 'FORBIDDEN', 403);
  });

  it('blocks one beta: it leaves the members’ list, evaluates WORKSPACE_BLOCKED, a toggle is refused, audited', async () => {
    expect(await listed(h.member)).toContain('auto-tagging-v2');
    const view = await h.admin.workspace.setFlagPolicy({ flagKey: 'auto-tagging-v2', policy: 'blocked', reason: 'legal review' });
    expect(view.betas.find((b) => b.key === 'auto-tagging-v2')?.policy).toBe('blocked');
    expect(await listed(h.member)).not.toContain('auto-tagging-v2');
    // The member had opted in: the block wins over their choice.
    expect(await h.services.flags.evaluate('auto-tagging-v2', memberCtx())).toMatchObject({ enabled: false, reason: 'WORKSPACE_BLOCKED' });
    const before = await snapshotWrites(h.db);
    await expectCode(h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true }), 'BLOCKED_BY_WORKSPACE', 403);
    expect(await snapshotWrites(h.db)).toEqual(before);
    // Another workspace is another customer: Acme's member still has it.
    expect(await listed(h.acmeMember)).toContain('auto-tagging-v2');
    const [audit] = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(audit).toMatchObject({
      action: 'workspace_policy.set_flag',
      actor: DEMO_USERS.admin.email,
      flagKey: 'auto-tagging-v2',
      before: { workspaceId: h.seed.workspaceId, policy: null },
      after: { workspaceId: h.seed.workspaceId, policy: 'blocked' },
      reason: 'legal review',
    });
  });

  it('switches a beta on for every member, who may still opt out', async () => {
    await h.admin.workspace.setFlagPolicy({ flagKey: 'internal-search', policy: 'enabled' });
    expect((await h.member.betaFeatures.list()).features.find((f) => f.key === 'internal-search')).toMatchObject({ enabled: true, reason: 'WORKSPACE_OPT_IN' });
    await h.member.betaFeatures.toggle({ key: 'internal-search', enabled: false });
    expect((await h.member.betaFeatures.list()).features.find((f) => f.key === 'internal-search')).toMatchObject({ enabled: false, reason: 'OPT_OUT' });
  });

  it('blocks every beta at once, and lifts it again', async () => {
    await h.admin.workspace.setOptInBlocked({ blocked: true, reason: 'pilot over' });
    expect(await listed(h.member)).toEqual([]);
    await expectCode(h.member.betaFeatures.toggle({ key: 'privacy-agent', enabled: true }), 'BLOCKED_BY_WORKSPACE');
    const [audit] = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(audit).toMatchObject({ action: 'workspace_policy.set_opt_in_blocked', before: { optInBlocked: false }, after: { optInBlocked: true } });
    await h.admin.workspace.setOptInBlocked({ blocked: false });
    expect(await listed(h.member)).toContain('privacy-agent');
  });

  it('clears a decision with policy null, and refuses lab, GA and unknown flags with FEATURE_NOT_AVAILABLE', async () => {
    await h.admin.workspace.setFlagPolicy({ flagKey: 'auto-tagging-v2', policy: null });
    expect(await listed(h.member)).toContain('auto-tagging-v2');
    const before = await snapshotWrites(h.db);
    for (const flagKey of ['process-agent', 'smart-summaries', 'no-such-flag']) {
      await expectCode(h.admin.workspace.setFlagPolicy({ flagKey, policy: 'blocked' }), 'FEATURE_NOT_AVAILABLE', 404);
    }
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('tells this process’s caches through the change bus, and other processes through NOTIFY, as one workspace', async () => {
    const heard: unknown[] = [];
    const stop = h.services.changes.subscribe((change) => heard.push(change));
    try {
      await h.acmeAdmin.workspace.setFlagPolicy({ flagKey: 'privacy-agent', policy: 'blocked' });
      await settle(h.services);
      expect(heard).toContainEqual({ kind: 'workspace', workspaceId: h.seed.acmeWorkspaceId });
      expect(heard.filter((c) => (c as { kind: string }).kind === 'workspace').every((c) => (c as { workspaceId: string }).workspaceId === h.seed.acmeWorkspaceId)).toBe(true);
    } finally {
      stop();
    }
  });
});
