import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('flags.evaluate', () => {
  it('resolves the asked keys for the caller with reasons; unknown keys are FLAG_NOT_FOUND resolutions', async () => {
    await h.member.betaFeatures.toggle({ key: 'internal-search', enabled: true });
    const { resolutions } = await h.member.flags.evaluate({ keys: ['internal-search', 'smart-summaries', 'legacy-export', 'process-agent', 'nope'] });
    expect(resolutions).toEqual([
      { key: 'internal-search', enabled: true, reason: 'OPT_IN', stage: 'alpha' },
      { key: 'smart-summaries', enabled: true, reason: 'GLOBAL', stage: 'ga' },
      { key: 'legacy-export', enabled: false, reason: 'KILLED', stage: 'beta' },
      { key: 'process-agent', enabled: false, reason: 'LAB', stage: 'lab' },
      { key: 'nope', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null },
    ]);
  });

  it('resolves for the caller, not for someone else: the admin did not opt in', async () => {
    const { resolutions } = await h.admin.flags.evaluate({ keys: ['internal-search'] });
    expect(resolutions[0]).toMatchObject({ enabled: false, reason: 'DEFAULT' });
  });

  it('without keys resolves every live flag once; repeated keys are answered once', async () => {
    const live = await h.db.prisma.flag.count({ where: { archived: false } });
    expect((await h.member.flags.evaluate()).resolutions).toHaveLength(live);
    expect((await h.member.flags.evaluate({ keys: ['smart-summaries', 'smart-summaries'] })).resolutions).toHaveLength(1);
  });

  it('caps the number of keys', async () => {
    const keys = Array.from({ length: 201 }, (_, i) => `flag-${i}`);
    await expectCode(h.member.flags.evaluate({ keys }), 'VALIDATION_FAILED', 400);
    expect((await h.member.flags.evaluate({ keys: keys.slice(0, 200) })).resolutions).toHaveLength(200);
  });
});
