import { DEMO_USERS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // 7 entries by the admin on two flags, 3 by the member on one.
  await h.editor.admin.flags.create({ key: 'audited', name: 'Audited', stage: 'beta', ttlDays: 30 });
  for (const percentage of [10, 20, 30]) await h.editor.admin.flags.setRollout({ key: 'audited', rolloutPercentage: percentage });
  await h.editor.admin.flags.kill({ key: 'smart-summaries', reason: 'incident 42' });
  await h.editor.admin.flags.restore({ key: 'smart-summaries', reason: 'resolved' });
  await h.editor.admin.flags.update({ key: 'audited', description: 'done' });
  for (const enabled of [true, false, true]) await h.member.betaFeatures.toggle({ key: 'audited', enabled });
});
afterAll(() => h.close());

describe('admin.audit.list', () => {
  it('pages newest first with a cursor until nextCursor is null', async () => {
    const all = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' } });
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await h.editor.admin.audit.list({ limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    expect(seen).toHaveLength(10);
  });

  it('filters by flag and by actor, and returns JSON-safe entries', async () => {
    const byFlag = await h.editor.admin.audit.list({ flagKey: 'smart-summaries' });
    expect(byFlag.items.map((i) => i.action)).toEqual(['flag.restore', 'flag.kill']);
    expect(byFlag.items[1]).toMatchObject({ actor: DEMO_USERS.editor.email, reason: 'incident 42', before: { kill: null }, after: { kill: { reason: 'incident 42' } } });
    expect(typeof byFlag.items[0]?.at).toBe('string');
    expect(byFlag.nextCursor).toBeNull();

    const byMember = await h.editor.admin.audit.list({ actor: DEMO_USERS.member.email, limit: 2 });
    expect(byMember.items.map((i) => i.action)).toEqual(['beta_feature.enabled', 'beta_feature.disabled']);
    const rest = await h.editor.admin.audit.list({ actor: DEMO_USERS.member.email, limit: 2, cursor: byMember.nextCursor ?? undefined });
    expect(rest.items.map((i) => i.action)).toEqual(['beta_feature.enabled']);
    expect(rest.nextCursor).toBeNull();
  });

  it('defaults to 50 per page', async () => {
    const page = await h.editor.admin.audit.list();
    expect(page.items).toHaveLength(10);
    expect(page.nextCursor).toBeNull();
  });
});
