/**
 * Test fixtures for flags-core and the packages that build on it. Not exported from the package
 * entry point: import it from tests and benchmarks only.
 */
import { rolloutHash } from './bucketing.js';
import { newFlag } from './flag.js';
import { UserState, type FlagDefinition, type EvaluationContext, type UserOverride, type WorkspacePolicy } from './schema.js';

/** The fixed clock every fixture evaluates at, so expiry and TTL cases never depend on today. */
export const TEST_NOW = new Date('2026-06-01T12:00:00.000Z');

/** The flag key fixtures use unless a test names another. */
export const TEST_FLAG_KEY = 'checkout-redesign';

/**
 * A valid FlagDefinition: a GA flag, off, at 0 % rollout, with no overrides, unless `partial` says
 * otherwise. It goes through the schema (newFlag), so a fixture that the product could never store
 * throws here instead of passing a test for an impossible flag.
 */
export function makeFlag(partial: Partial<FlagDefinition> = {}): FlagDefinition {
  return newFlag({
    key: TEST_FLAG_KEY,
    name: 'Checkout redesign',
    description: 'The new one-page checkout.',
    stage: 'ga',
    ttlStart: new Date('2026-05-01T00:00:00.000Z'),
    ttlDays: 90,
    kbArticle: 'https://kb.example.com/checkout-redesign',
    category: 'checkout',
    owner: 'owner@example.com',
    ...partial,
  });
}

/** A user's state: no opt-ins and no overrides unless given. */
export function makeUserState(
  partial: { optIns?: Record<string, boolean>; overrides?: Record<string, UserOverride>; workspace?: WorkspacePolicy } = {},
): UserState {
  return UserState.parse({ optIns: partial.optIns ?? {}, overrides: partial.overrides ?? {}, ...(partial.workspace && { workspace: partial.workspace }) });
}

/** An evaluation context for `user-1` in `ws-1` at TEST_NOW unless given. */
export function makeContext(partial: Partial<EvaluationContext> = {}): EvaluationContext {
  return { userId: 'user-1', workspaceId: 'ws-1', now: TEST_NOW, ...partial };
}

/** A user override that stays until removed (`expiresAt` null) unless an expiry is given. */
export function makeOverride(enabled: boolean, expiresAt: Date | null = null): UserOverride {
  return { enabled, reason: enabled ? 'support ticket: needs it on' : 'support ticket: needs it off', expiresAt };
}

/**
 * The first id `${prefix}-0`, `${prefix}-1`, … that a rollout of `percentage` % of `flagKey` does (or
 * does not) include, found from the hash itself so a test states why it picked an id.
 */
export function findBucketingId(flagKey: string, percentage: number, inRollout: boolean, prefix = 'user'): string {
  for (let i = 0; i < 1_000_000; i++) {
    const id = `${prefix}-${i}`;
    if ((rolloutHash(flagKey, id) <= percentage / 100) === inRollout) return id;
  }
  throw new Error(`no id ${inRollout ? 'in' : 'out of'} a ${percentage} % rollout of ${flagKey}`);
}

/** A small seeded PRNG (mulberry32), so generated cases and workloads are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
