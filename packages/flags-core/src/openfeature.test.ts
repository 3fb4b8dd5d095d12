import { ErrorCode, OpenFeature, ProviderStatus, StandardResolutionReasons, type Client } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient } from './client.js';
import { StagegateProvider } from './openfeature.js';
import type { FlagDefinition, UserState } from './schema.js';
import { createMemorySource } from './source.js';
import { findBucketingId, makeFlag, makeOverride, makeUserState } from './testing.js';

const kill = { reason: 'incident 7', at: new Date('2026-05-20T00:00:00Z'), by: 'oncall@example.com' };
const rolloutUser = findBucketingId('half-rollout', 50, true);

const flags: FlagDefinition[] = [
  makeFlag({ key: 'killed', enabled: true, kill }),
  makeFlag({ key: 'in-the-lab', stage: 'lab' }),
  makeFlag({ key: 'overridden', stage: 'beta' }),
  makeFlag({ key: 'admin-forced', adminOverride: 'on' }),
  makeFlag({ key: 'opted-in', stage: 'beta' }),
  makeFlag({ key: 'opted-out', stage: 'alpha', enabled: true }),
  makeFlag({ key: 'half-rollout', rolloutPercentage: 50 }),
  makeFlag({ key: 'everyone', enabled: true }),
  makeFlag({ key: 'nobody' }),
];
const state: UserState = makeUserState({
  optIns: { 'opted-in': true, 'opted-out': false },
  overrides: { overridden: makeOverride(true) },
});

let client: Client;
beforeAll(async () => {
  const source = createMemorySource(flags, { 'user-1': { 'ws-1': state }, [rolloutUser]: { 'ws-1': state } });
  await OpenFeature.setProviderAndWait(new StagegateProvider(createFlagClient({ source })));
  client = OpenFeature.getClient();
});
afterAll(() => OpenFeature.close());

const context = { targetingKey: 'user-1', workspaceId: 'ws-1' };

describe('StagegateProvider through the OpenFeature SDK', () => {
  it.each([
    ['killed', 'user-1', false, StandardResolutionReasons.DISABLED, 'KILLED'],
    ['in-the-lab', 'user-1', false, StandardResolutionReasons.DISABLED, 'LAB'],
    ['overridden', 'user-1', true, StandardResolutionReasons.TARGETING_MATCH, 'USER_OVERRIDE'],
    ['admin-forced', 'user-1', true, StandardResolutionReasons.TARGETING_MATCH, 'ADMIN_OVERRIDE'],
    ['opted-in', 'user-1', true, StandardResolutionReasons.TARGETING_MATCH, 'OPT_IN'],
    ['opted-out', 'user-1', false, StandardResolutionReasons.TARGETING_MATCH, 'OPT_OUT'],
    ['half-rollout', rolloutUser, true, StandardResolutionReasons.SPLIT, 'ROLLOUT'],
    ['everyone', 'user-1', true, StandardResolutionReasons.STATIC, 'GLOBAL'],
    ['nobody', 'user-1', false, StandardResolutionReasons.DEFAULT, 'DEFAULT'],
  ])('%s for %s: value %s, reason %s (Stagegate %s)', async (flagKey, userId, value, reason, stagegateReason) => {
    const stage = flags.find((flag) => flag.key === flagKey)?.stage;
    const details = await client.getBooleanDetails(flagKey, !value, { targetingKey: userId, workspaceId: 'ws-1' });
    expect(details).toMatchObject({ flagKey, value, reason, variant: value ? 'on' : 'off' });
    expect(details.errorCode).toBeUndefined();
    expect(details.flagMetadata).toEqual({ stagegateReason, stage });
  });

  it("answers an unknown flag with FLAG_NOT_FOUND and the caller's default", async () => {
    for (const defaultValue of [true, false]) {
      const details = await client.getBooleanDetails('no-such-flag', defaultValue, context);
      expect(details).toMatchObject({ value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.FLAG_NOT_FOUND });
    }
  });

  it('needs a targetingKey (the user id)', async () => {
    const details = await client.getBooleanDetails('everyone', false, { workspaceId: 'ws-1' });
    expect(details).toMatchObject({ value: false, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TARGETING_KEY_MISSING });
  });

  it.each([
    ['missing', {}],
    ['not a string', { workspaceId: 42 }],
    ['empty', { workspaceId: '' }],
  ])('needs a workspaceId (%s)', async (_label, extra) => {
    const details = await client.getBooleanDetails('everyone', false, { targetingKey: 'user-1', ...extra });
    expect(details).toMatchObject({ value: false, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.INVALID_CONTEXT });
  });

  it('answers string, number and object requests for a known flag with TYPE_MISMATCH and the default', async () => {
    const results = [
      await client.getStringDetails('everyone', 'fallback', context),
      await client.getNumberDetails('everyone', 7, context),
      await client.getObjectDetails('everyone', { on: false }, context),
    ];
    expect(results.map((details) => [details.value, details.errorCode])).toEqual([
      ['fallback', ErrorCode.TYPE_MISMATCH],
      [7, ErrorCode.TYPE_MISMATCH],
      [{ on: false }, ErrorCode.TYPE_MISMATCH],
    ]);
  });

  it('answers an unknown flag with FLAG_NOT_FOUND for every value type', async () => {
    const results = [
      await client.getBooleanDetails('no-such-flag', true, context),
      await client.getStringDetails('no-such-flag', 'fallback', context),
      await client.getNumberDetails('no-such-flag', 7, context),
      await client.getObjectDetails('no-such-flag', { on: false }, context),
    ];
    expect(results.map((details) => [details.value, details.reason, details.errorCode])).toEqual([
      [true, StandardResolutionReasons.ERROR, ErrorCode.FLAG_NOT_FOUND],
      ['fallback', StandardResolutionReasons.ERROR, ErrorCode.FLAG_NOT_FOUND],
      [7, StandardResolutionReasons.ERROR, ErrorCode.FLAG_NOT_FOUND],
      [{ on: false }, StandardResolutionReasons.ERROR, ErrorCode.FLAG_NOT_FOUND],
    ]);
  });

  it('fails initialize against a source that never answered, and answers GENERAL with the default', async () => {
    const down = createFlagClient({
      source: {
        loadFlags: () => Promise.reject(new Error('database is down')),
        loadUserState: () => Promise.reject(new Error('database is down')),
      },
    });
    await expect(OpenFeature.setProviderAndWait('down', new StagegateProvider(down))).rejects.toThrow(/could not be loaded/);
    expect(OpenFeature.getClient('down').providerStatus).toBe(ProviderStatus.ERROR);
    const details = await OpenFeature.getClient('down').getBooleanDetails('everyone', true, context);
    expect(details).toMatchObject({ value: true, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.GENERAL });
  });
});
