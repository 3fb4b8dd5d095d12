import { describe, expect, it } from 'vitest';
import { EvaluationContext, FlagDefinition, FlagKey, RolloutPercentage, UserOverride, UserState } from './schema.js';

/** A flag as it arrives over the wire: dates as ISO strings. Written out, not built with makeFlag, so the schema is tested against itself only. */
const VALID = {
  key: 'checkout-redesign',
  name: 'Checkout redesign',
  description: 'The new one-page checkout.',
  stage: 'beta',
  ttlStart: '2026-05-01T00:00:00.000Z',
  ttlDays: 90,
  kbArticle: 'https://kb.example.com/checkout-redesign',
  category: 'checkout',
  owner: 'owner@example.com',
  enabled: false,
  rolloutPercentage: 12.5,
  bucketBy: 'workspace',
  adminOverride: null,
  kill: { reason: 'checkout errors', at: '2026-05-02T09:30:00.000Z', by: 'oncall@example.com' },
  archived: false,
  version: 3,
};

/** The fields a flag with `patch` applied is rejected on; [] when it is accepted. */
function rejectedFields(patch: Record<string, unknown>): string[] {
  const result = FlagDefinition.safeParse({ ...VALID, ...patch });
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
}

describe('FlagDefinition', () => {
  it('accepts a valid flag and turns its ISO dates into Dates', () => {
    const flag = FlagDefinition.parse(VALID);
    expect(flag.ttlStart).toEqual(new Date('2026-05-01T00:00:00.000Z'));
    expect(flag.kill?.at).toEqual(new Date('2026-05-02T09:30:00.000Z'));
    expect(flag).toMatchObject({ key: 'checkout-redesign', stage: 'beta', rolloutPercentage: 12.5, bucketBy: 'workspace' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a one-character key', { key: 'a' }],
    ['a 100-character key', { key: 'a'.repeat(100) }],
    ['a key starting with a digit and holding . _ -', { key: '2026.q3_checkout-v2' }],
    ['no KB article', { kbArticle: null }],
    ['an http KB article', { kbArticle: 'http://kb.internal/flags/1' }],
    ['no kill switch', { kill: null }],
    ['admin override on', { adminOverride: 'on' }],
    ['admin override off', { adminOverride: 'off' }],
    ['every stage: lab', { stage: 'lab' }],
    ['every stage: alpha', { stage: 'alpha' }],
    ['every stage: ga', { stage: 'ga' }],
    ['a TTL of 1 day', { ttlDays: 1 }],
    ['a TTL of 3650 days', { ttlDays: 3650 }],
    ['an empty description', { description: '' }],
  ])('accepts %s', (_label, patch) => {
    expect(rejectedFields(patch)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an uppercase key', { key: 'Checkout-Redesign' }, 'key'],
    ['a 101-character key', { key: 'a'.repeat(101) }, 'key'],
    ['a key with a leading dash', { key: '-checkout' }, 'key'],
    ['a key with a leading dot', { key: '.checkout' }, 'key'],
    ['a key with a leading underscore', { key: '_checkout' }, 'key'],
    ['an empty key', { key: '' }, 'key'],
    ['a key with a space', { key: 'checkout redesign' }, 'key'],
    ['a key with a slash', { key: 'checkout/redesign' }, 'key'],
    ['rollout 100.001', { rolloutPercentage: 100.001 }, 'rolloutPercentage'],
    ['rollout 0.123 (three decimals)', { rolloutPercentage: 0.123 }, 'rolloutPercentage'],
    ['rollout -1', { rolloutPercentage: -1 }, 'rolloutPercentage'],
    ['rollout NaN', { rolloutPercentage: Number.NaN }, 'rolloutPercentage'],
    ['rollout as a string', { rolloutPercentage: '50' }, 'rolloutPercentage'],
    ['an owner that is not an email', { owner: 'platform team' }, 'owner'],
    ['a KB article that is not a URL', { kbArticle: 'kb/checkout-redesign' }, 'kbArticle'],
    ['a javascript: KB article', { kbArticle: 'javascript:alert(1)' }, 'kbArticle'],
    ['a TTL of 0 days', { ttlDays: 0 }, 'ttlDays'],
    ['a TTL of 1.5 days', { ttlDays: 1.5 }, 'ttlDays'],
    ['a TTL over ten years', { ttlDays: 3651 }, 'ttlDays'],
    ['an unknown stage', { stage: 'rc' }, 'stage'],
    ['an unknown bucketing', { bucketBy: 'org' }, 'bucketBy'],
    ['an admin override other than on/off', { adminOverride: 'auto' }, 'adminOverride'],
    ['a kill switch without a reason', { kill: { reason: '', at: '2026-05-02T09:30:00.000Z', by: 'oncall@example.com' } }, 'kill'],
    ['an unparseable TTL start', { ttlStart: 'next tuesday' }, 'ttlStart'],
    ['an empty name', { name: '' }, 'name'],
    ['a negative version', { version: -1 }, 'version'],
    ['a missing archived flag', { archived: undefined }, 'archived'],
  ])('rejects %s', (_label, patch, field) => {
    expect(rejectedFields(patch)).toEqual([field]);
  });
});

describe('FlagKey and RolloutPercentage', () => {
  it('accepts every two-decimal percentage a float can carry, such as 0.29 (0.29 * 100 = 28.999…)', () => {
    for (const p of [0, 0.01, 0.1, 0.29, 1.15, 33.33, 57.01, 99.99, 100]) expect(RolloutPercentage.safeParse(p).success, String(p)).toBe(true);
  });

  it('accepts an ASCII slug and rejects a key that is not ASCII', () => {
    expect(FlagKey.safeParse('café').success).toBe(false);
    expect(FlagKey.safeParse('checkout-redesign').success).toBe(true);
  });
});

describe('UserState, UserOverride and EvaluationContext', () => {
  it('parses an override with an ISO expiry into a Date and keeps a null one null', () => {
    expect(UserOverride.parse({ enabled: true, reason: 'support', expiresAt: '2026-07-01T00:00:00Z' }).expiresAt).toEqual(new Date('2026-07-01T00:00:00Z'));
    expect(UserOverride.parse({ enabled: false, reason: '', expiresAt: null }).expiresAt).toBeNull();
  });

  it('rejects an opt-in choice that is not a boolean', () => {
    expect(UserState.safeParse({ optIns: { 'checkout-redesign': 'yes' }, overrides: {} }).success).toBe(false);
  });

  it('requires non-empty user and workspace ids', () => {
    expect(EvaluationContext.safeParse({ userId: 'user-1', workspaceId: 'ws-1' }).success).toBe(true);
    expect(EvaluationContext.safeParse({ userId: '', workspaceId: 'ws-1' }).success).toBe(false);
    expect(EvaluationContext.safeParse({ userId: 'user-1', workspaceId: '' }).success).toBe(false);
  });
});
