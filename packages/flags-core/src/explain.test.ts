import { describe, expect, it } from 'vitest';
import { EXPLAIN_RULES, explainFlag } from './explain.js';
import { evaluateFlag } from './resolver.js';
import { resolverCases } from './resolver.cases.js';
import { findBucketingId, makeContext, makeFlag, makeUserState, prng } from './testing.js';

describe('explainFlag', () => {
  it.each(resolverCases)('gives the resolver’s answer: $name', ({ flag: partial, state, ctx, expected }) => {
    const flag = partial === undefined ? undefined : makeFlag(partial);
    const explanation = explainFlag(flag, makeUserState(state), makeContext(ctx));
    expect(explanation.resolution).toEqual(evaluateFlag(flag, makeUserState(state), makeContext(ctx)));
    expect(explanation.resolution).toMatchObject(expected);
    if (flag && !flag.archived) {
      expect(explanation.steps.map((s) => s.rule)).toEqual([...EXPLAIN_RULES]);
      expect(explanation.steps.filter((s) => s.decides)).toHaveLength(1);
      // The deciding rule is the first that applies.
      expect(explanation.steps.find((s) => s.applies)?.decides).toBe(true);
    }
  });

  it('agrees with the resolver on 5,000 random flags, states and contexts', () => {
    const random = prng(74);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let i = 0; i < 5_000; i++) {
      const flag = makeFlag({
        stage: pick(['lab', 'alpha', 'beta', 'ga'] as const),
        enabled: random() < 0.5,
        rolloutPercentage: pick([0, 0.1, 5, 25, 50, 100]),
        bucketBy: pick(['user', 'workspace'] as const),
        adminOverride: pick([null, null, null, 'on', 'off'] as const),
      });
      const state = makeUserState({
        ...(random() < 0.3 && { optIns: { [flag.key]: random() < 0.5 } }),
        ...(random() < 0.1 && { overrides: { [flag.key]: { enabled: random() < 0.5, reason: 'r', expiresAt: null } } }),
        ...(random() < 0.3 && { workspace: { optInBlocked: random() < 0.3, flags: random() < 0.5 ? { [flag.key]: pick(['blocked', 'enabled'] as const) } : {} } }),
      });
      const ctx = makeContext({ userId: `user-${i}`, workspaceId: `ws-${i % 37}` });
      expect(explainFlag(flag, state, ctx).resolution).toEqual(evaluateFlag(flag, state, ctx));
    }
  });

  it('shows the bucket against the percentage, so "why is she out at 50 %?" has an answer', () => {
    const userId = findBucketingId('checkout-redesign', 50, false);
    const { steps, resolution } = explainFlag(makeFlag({ rolloutPercentage: 50 }), makeUserState(), makeContext({ userId }));
    const rollout = steps.find((s) => s.rule === 'rollout')!;
    expect(resolution.reason).toBe('DEFAULT');
    expect(rollout).toMatchObject({ applies: false, decides: false, percentage: 50 });
    expect(rollout.bucket).toBeGreaterThan(50);
    expect(rollout.detail).toMatch(/^user bucket [\d.]+ % vs rollout 50 %: out$/);
  });

  it('names an expired override as expired, and the rule that decided instead', () => {
    const state = makeUserState({ overrides: { 'checkout-redesign': { enabled: true, reason: 'design partner', expiresAt: new Date('2026-01-01T00:00:00Z') } } });
    const { steps } = explainFlag(makeFlag({ enabled: true }), state, makeContext());
    expect(steps.find((s) => s.rule === 'userOverride')).toMatchObject({ applies: false, detail: expect.stringContaining('expired 2026-01-01') });
    expect(steps.find((s) => s.decides)?.rule).toBe('global');
  });
});
