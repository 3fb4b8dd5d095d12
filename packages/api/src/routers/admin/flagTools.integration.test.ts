import { isInRollout } from '@stagegate/flags-core';
import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('admin.flags.explain', () => {
  it('walks every rule for a member, naming the one that decided, fresh from the database', async () => {
    await h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true });
    const why = await h.viewer.admin.flags.explain({ key: 'auto-tagging-v2', email: DEMO_USERS.member.email });
    expect(why.user.email).toBe(DEMO_USERS.member.email);
    expect(why.workspace.slug).toBe('demo');
    expect(why.resolution).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    expect(why.steps.map((s) => [s.rule, s.decides])).toEqual([
      ['kill', false],
      ['context', false],
      ['userOverride', false],
      ['adminOverride', false],
      ['lab', false],
      ['workspaceBlock', false],
      ['optIn', true],
      ['workspaceOptIn', false],
      ['rollout', false],
      ['global', false],
    ]);
    // What the SDK answers agrees.
    expect(await h.services.flags.evaluate('auto-tagging-v2', { userId: h.seed.memberId, workspaceId: h.seed.workspaceId })).toMatchObject(why.resolution);
  });

  it("shows a workspace's block for its member, and needs the workspace named only when ambiguous", async () => {
    const why = await h.viewer.admin.flags.explain({ key: 'internal-search', email: DEMO_USERS.acmeMember.email, workspace: 'acme' });
    expect(why.resolution.reason).toBe('WORKSPACE_BLOCKED');
    expect(why.steps.find((s) => s.rule === 'workspaceBlock')).toMatchObject({ applies: true, decides: true, detail: 'the workspace blocks this flag' });
    await expectCode(h.viewer.admin.flags.explain({ key: 'internal-search', email: DEMO_USERS.acmeMember.email, workspace: 'demo' }), 'VALIDATION_FAILED', 400);
    await expectCode(h.viewer.admin.flags.explain({ key: 'internal-search', email: DEMO_USERS.owner.email }), 'VALIDATION_FAILED', 400);
    await expectCode(h.viewer.admin.flags.explain({ key: 'no-such-flag', email: DEMO_USERS.member.email }), 'FLAG_NOT_FOUND', 404);
    await expectCode(h.viewer.admin.flags.explain({ key: 'internal-search', email: 'ghost@nowhere.dev' }), 'USER_NOT_FOUND', 404);
  });
});

describe('admin.flags.reach', () => {
  it('counts the known users a percentage reaches with the SDK’s own hash', async () => {
    const users = await h.db.prisma.user.findMany({ where: { memberships: { some: {} } }, select: { id: true } });
    const expected = users.filter((u) => isInRollout('phoenix-pipeline-enabled', u.id, 50)).length;
    expect(await h.viewer.admin.flags.reach({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 50 })).toEqual({ bucketBy: 'user', rolloutPercentage: 50, inRollout: expected, total: users.length });
    expect(await h.viewer.admin.flags.reach({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 100, bucketBy: 'workspace' })).toEqual({ bucketBy: 'workspace', rolloutPercentage: 100, inRollout: 2, total: 2 });
    expect((await h.viewer.admin.flags.reach({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 0 })).inRollout).toBe(0);
  });
});

describe('admin.flags.bulk', () => {
  it('changes each flag through the one write path (an audit entry each), reporting refusals without stopping', async () => {
    const auditBefore = await h.db.prisma.auditEntry.count();
    const result = await h.editor.admin.flags.bulk({ action: 'setStage', keys: ['privacy-agent', 'no-such-flag', 'internal-search'], stage: 'beta', reason: 'ready for beta' });
    expect(result.done).toEqual(['privacy-agent', 'internal-search']);
    expect(result.refused).toEqual([{ key: 'no-such-flag', code: 'FLAG_NOT_FOUND', message: 'No flag "no-such-flag"' }]);
    const entries = await h.db.prisma.auditEntry.findMany({ where: { id: { gt: 0 } }, orderBy: { id: 'desc' }, take: 2 });
    expect(await h.db.prisma.auditEntry.count()).toBe(auditBefore + 2);
    expect(entries.map((e) => [e.flagKey, e.action, e.reason])).toEqual([
      ['internal-search', 'flag.set_stage', 'ready for beta'],
      ['privacy-agent', 'flag.set_stage', 'ready for beta'],
    ]);
  });

  it('archives several, refusing one already archived with CONFLICT', async () => {
    await h.editor.admin.flags.archive({ key: 'legacy-export' });
    const result = await h.editor.admin.flags.bulk({ action: 'archive', keys: ['legacy-export', 'process-agent'], reason: 'cleanup' });
    expect(result).toMatchObject({ done: ['process-agent'], refused: [{ key: 'legacy-export', code: 'CONFLICT' }] });
    await expectCode(h.viewer.admin.flags.bulk({ action: 'archive', keys: ['smart-summaries'], reason: 'x' }), 'FORBIDDEN', 403);
  });
});

describe('admin.flags.annotate', () => {
  const file = [
    { key: 'smart-summaries', owner: 'noxon@stagegate.dev', category: 'summaries' },
    { key: 'auto-tagging-v2', stage: 'ga' as const, ttlDays: 30 },
  ];

  it('says what would change in a dry run, writing nothing', async () => {
    const auditBefore = await h.db.prisma.auditEntry.count();
    const result = await h.editor.admin.flags.annotate({ flags: file, dryRun: true });
    expect(result).toEqual({
      dryRun: true,
      flags: [
        // Fields in the schema's order, whatever the file's.
        { key: 'smart-summaries', changes: [{ field: 'category', from: 'automation', to: 'summaries' }, { field: 'owner', from: 'palmer@stagegate.dev', to: 'noxon@stagegate.dev' }] },
        { key: 'auto-tagging-v2', changes: [{ field: 'stage', from: 'beta', to: 'ga' }, { field: 'ttlDays', from: 90, to: 30 }] },
      ],
    });
    expect(await h.db.prisma.auditEntry.count()).toBe(auditBefore);
  });

  it('refuses the whole file when one row names an unknown flag or a key twice', async () => {
    const auditBefore = await h.db.prisma.auditEntry.count();
    await expectCode(h.editor.admin.flags.annotate({ flags: [...file, { key: 'no-such-flag', owner: 'x@stagegate.dev' }] }), 'FLAG_NOT_FOUND', 404);
    await expectCode(h.editor.admin.flags.annotate({ flags: [file[0]!, file[0]!] }), 'VALIDATION_FAILED', 400);
    expect(await h.db.prisma.auditEntry.count()).toBe(auditBefore);
  });

  it('applies it: metadata and stage, audited', async () => {
    await h.editor.admin.flags.annotate({ flags: file, reason: 'phase 1 migration' });
    expect(await h.viewer.admin.flags.get({ key: 'auto-tagging-v2' })).toMatchObject({ stage: 'ga', ttlDays: 30 });
    expect(await h.viewer.admin.flags.get({ key: 'smart-summaries' })).toMatchObject({ owner: 'noxon@stagegate.dev', category: 'summaries' });
    const entries = await h.db.prisma.auditEntry.findMany({ where: { reason: 'phase 1 migration' }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.flagKey, e.action])).toEqual([
      ['smart-summaries', 'flag.update'],
      ['auto-tagging-v2', 'flag.update'],
      ['auto-tagging-v2', 'flag.set_stage'],
    ]);
  });
});
