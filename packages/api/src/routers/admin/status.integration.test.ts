import { daysRemaining } from '@stagegate/flags-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../testing/harness.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: () => NOW });
});
afterAll(() => h.close());

describe('admin.status', () => {
  it('groups every live flag by stage with its TTL and days remaining', async () => {
    const status = await h.editor.admin.status();
    const rows = await h.db.prisma.flag.findMany({ where: { archived: false } });
    expect(Object.keys(status.stages)).toEqual(['lab', 'alpha', 'beta', 'ga']);
    for (const row of rows) {
      const entry = status.stages[row.stage].find((e) => e.key === row.key);
      expect(entry, row.key).toEqual({
        key: row.key,
        name: row.name,
        stage: row.stage,
        owner: row.owner,
        ttlStart: row.ttlStart.toISOString(),
        ttlDays: row.ttlDays,
        daysRemaining: daysRemaining(row, NOW),
        enabled: row.enabled,
        rolloutPercentage: row.rolloutPercentage,
        killed: row.killedAt !== null,
      });
    }
    expect(Object.values(status.stages).flat()).toHaveLength(rows.length);
    expect(status.generatedAt).toBe(NOW.toISOString());
  });

  it('warns about flags whose TTL ends within two weeks, soonest first, never GA or archived ones', async () => {
    await h.editor.admin.flags.create({ key: 'short-lived', name: 'Short Lived', stage: 'beta', ttlDays: 3 });
    await h.editor.admin.flags.create({ key: 'short-archived', name: 'Short Archived', stage: 'beta', ttlDays: 1 });
    await h.editor.admin.flags.archive({ key: 'short-archived' });
    const { ttlWarnings } = await h.editor.admin.status();
    const keys = ttlWarnings.map((w) => w.key);
    expect(keys[0]).toBe('short-lived');
    expect(ttlWarnings[0]).toEqual({ key: 'short-lived', name: 'Short Lived', stage: 'beta', owner: 'editor@stagegate.dev', daysRemaining: 3 });
    expect(keys).toContain('privacy-agent');
    expect(keys).not.toContain('short-archived');
    expect(keys).not.toContain('smart-summaries');
    expect(ttlWarnings.every((w) => w.daysRemaining <= 14)).toBe(true);
  });
});
