import { describe, expect, it } from 'vitest';
import { evaluateFlag, notFound } from './resolver.js';
import { resolverCases } from './resolver.cases.js';
import { BucketBy, EMPTY_USER_STATE, REASONS, STAGES, type FlagDefinition, type FlagResolution } from './schema.js';
import { TEST_FLAG_KEY, TEST_NOW, makeContext, makeFlag, makeOverride, makeUserState } from './testing.js';

describe('evaluateFlag: the precedence table (resolver.cases.ts)', () => {
  it.each(resolverCases)('$name', ({ flag: partial, state, ctx, expected }) => {
    const flag = partial === undefined ? undefined : makeFlag(partial);
    const found = flag !== undefined && !flag.archived;
    expect(evaluateFlag(flag, makeUserState(state), makeContext(ctx))).toEqual({
      key: flag?.key ?? '',
      enabled: expected.enabled,
      reason: expected.reason,
      stage: found ? flag.stage : null,
    });
  });

  it('has rows for every reason the resolver can give', () => {
    // SOURCE_ERROR and NOT_READY belong to the client (no definitions loaded), never to the resolver.
    const covered = new Set(resolverCases.map((c) => c.expected.reason));
    expect(REASONS.filter((reason) => reason !== 'SOURCE_ERROR' && reason !== 'NOT_READY' && !covered.has(reason))).toEqual([]);
  });

  it('gives every row a distinct name, so a failure points at one row', () => {
    const names = resolverCases.map((c) => c.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });
});

describe('notFound', () => {
  it('answers off for the key the caller asked about', () => {
    expect(notFound('no-such-flag')).toEqual({ key: 'no-such-flag', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null });
  });
});

const userIds = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('evaluateFlag: rollout in aggregate', () => {
  it('puts 25 % ± 2 points of 10,000 users in a 25 % rollout', () => {
    const flag = makeFlag({ rolloutPercentage: 25 });
    const inRollout = userIds.filter((userId) => evaluateFlag(flag, EMPTY_USER_STATE, makeContext({ userId })).reason === 'ROLLOUT');
    expect(Math.abs(inRollout.length / userIds.length - 0.25)).toBeLessThanOrEqual(0.02);
  });

  it('gives every user of a workspace the same answer, and different workspaces different ones', () => {
    const flag = makeFlag({ rolloutPercentage: 50, bucketBy: 'workspace' });
    const answers = Array.from({ length: 200 }, (_, w) => {
      const perUser = userIds.slice(0, 25).map((userId) => evaluateFlag(flag, EMPTY_USER_STATE, makeContext({ userId, workspaceId: `ws-${w}` })).enabled);
      return new Set(perUser);
    });
    expect(answers.filter((set) => set.size !== 1)).toEqual([]);
    const on = answers.filter((set) => set.has(true)).length;
    expect(on).toBeGreaterThan(70);
    expect(on).toBeLessThan(130);
  });

  it('is deterministic: the same inputs give the same answer in any order', () => {
    const flag = makeFlag({ rolloutPercentage: 50 });
    const evaluate = (userId: string): FlagResolution => evaluateFlag(flag, EMPTY_USER_STATE, makeContext({ userId }));
    const forwards = userIds.map(evaluate);
    // Backwards, with a very long id in between: the hash reuses one buffer between calls.
    const backwards = [...userIds].reverse().map((userId) => {
      evaluate('x'.repeat(1000));
      return evaluate(userId);
    }).reverse();
    expect(backwards).toEqual(forwards);
    expect(userIds.map(evaluate)).toEqual(forwards);
  });
});

describe('evaluateFlag: never throws', () => {
  const weirdIds = ['', ' ', '\u0000', 'ユーザー', '👩‍💻', '\ud800', '\udc00x', 'é'.repeat(5000), 'a'.repeat(100_000), '__proto__', 'constructor'];
  const flagKeys = [TEST_FLAG_KEY, 'constructor', 'tostring', '0'];

  it('answers with a boolean and a known reason for weird ids, keys, stages and clocks', () => {
    const failures: string[] = [];
    const reasons = new Set<string>(REASONS);
    for (const key of flagKeys) {
      for (const stage of STAGES) {
        for (const bucketBy of BucketBy.options) {
          for (const rolloutPercentage of [0, 0.1, 50, 100]) {
            const flag: FlagDefinition = makeFlag({ key, stage, bucketBy, rolloutPercentage });
            for (const id of weirdIds) {
              for (const now of [TEST_NOW, undefined, new Date(Number.NaN)]) {
                const state = makeUserState({ optIns: { [key]: id.length % 2 === 0 }, overrides: { other: makeOverride(true, TEST_NOW) } });
                for (const s of [EMPTY_USER_STATE, state]) {
                  try {
                    const result = evaluateFlag(flag, s, { userId: id, workspaceId: id, now });
                    if (typeof result.enabled !== 'boolean' || !reasons.has(result.reason)) failures.push(`${key}/${stage}: ${JSON.stringify(result)}`);
                  } catch (error) {
                    failures.push(`${key}/${stage}/${bucketBy}/${rolloutPercentage}/${JSON.stringify(id.slice(0, 20))}: ${String(error)}`);
                  }
                }
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('treats an invalid clock as "every expiring override has expired"', () => {
    const state = makeUserState({ overrides: { [TEST_FLAG_KEY]: makeOverride(true, TEST_NOW) } });
    expect(evaluateFlag(makeFlag(), state, makeContext({ now: new Date(Number.NaN) })).reason).toBe('DEFAULT');
  });
});
