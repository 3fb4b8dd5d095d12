import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../../context.js';
import { createCaller } from '../../router.js';
import { startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const DAY_MS = 86_400_000;

describe('admin.analytics', () => {
  it('counts opt-ins per flag, and evaluations per flag and day including this process’s unflushed ones', async () => {
    await h.member.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: true });
    await h.admin.betaFeatures.toggle({ key: 'auto-tagging-v2', enabled: false });
    await h.member.betaFeatures.toggle({ key: 'internal-search', enabled: true });

    const before = await h.editor.admin.analytics({ days: 1 });
    const countOf = (report: typeof before, key: string) => report.evaluations.find((row) => row.flagKey === key && row.day === report.to);
    for (let i = 0; i < 3; i++) await h.member.flags.evaluate({ keys: ['auto-tagging-v2'] });
    const after = await h.editor.admin.analytics({ days: 1 });

    expect(after.optIns).toEqual([
      { flagKey: 'auto-tagging-v2', enabled: 1, disabled: 1 },
      { flagKey: 'internal-search', enabled: 1, disabled: 0 },
    ]);
    expect(after.from).toBe(after.to);
    const was = countOf(before, 'auto-tagging-v2') ?? { evaluations: 0, enabledCount: 0 };
    expect(countOf(after, 'auto-tagging-v2')).toMatchObject({ evaluations: was.evaluations + 3, enabledCount: was.enabledCount + 3 });
  });

  it('reports the last `days` UTC days, 14 by default', async () => {
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const old = new Date(today - 20 * DAY_MS);
    await h.db.prisma.flagEvaluationDaily.create({ data: { flagKey: 'legacy-export', day: old, evaluations: 7, enabledCount: 2 } });
    const oldRow = { flagKey: 'legacy-export', day: old.toISOString().slice(0, 10), evaluations: 7, enabledCount: 2 };

    const standard = await h.editor.admin.analytics();
    expect(standard.days).toBe(14);
    expect(standard.from).toBe(new Date(today - 13 * DAY_MS).toISOString().slice(0, 10));
    expect(standard.evaluations).not.toContainEqual(oldRow);
    expect((await h.editor.admin.analytics({ days: 21 })).evaluations).toContainEqual(oldRow);
  });

  it('is for admins only and takes 1–90 days', async () => {
    await expect(h.member.admin.analytics({ days: 7 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const days of [0, 91, 1.5, -3]) {
      await expect(h.editor.admin.analytics({ days })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    const noUser = createCaller(createContextInner({ services: h.services }));
    await expect(noUser.admin.analytics({ days: 7 })).rejects.toBeInstanceOf(TRPCError);
    await expect(noUser.admin.analytics({ days: 7 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
