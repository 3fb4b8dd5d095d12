import { FlagDefinition } from '@stagegate/flags-core';
import { describe, expect, it } from 'vitest';
import { toFlagData, toFlagDefinition, toUserState, type FlagDefinitionRow } from './flags.js';

const row: FlagDefinitionRow = {
  key: 'checkout-v2',
  name: 'Checkout V2',
  description: 'The new checkout',
  stage: 'beta',
  ttlStart: new Date('2026-10-01T00:00:00.000Z'),
  ttlDays: 60,
  kbArticle: 'https://help.stagegate.dev/checkout',
  category: 'payments',
  owner: 'owner@stagegate.dev',
  enabled: false,
  rolloutPercentage: 12.5,
  bucketBy: 'workspace',
  adminOverride: 'off',
  killReason: null,
  killedAt: null,
  killedBy: null,
  archived: false,
  version: 3,
};

describe('toFlagDefinition', () => {
  it('maps a live flag with kill = null, to a valid FlagDefinition', () => {
    const flag = toFlagDefinition(row);
    expect(flag).toMatchObject({ key: 'checkout-v2', bucketBy: 'workspace', adminOverride: 'off', rolloutPercentage: 12.5, kill: null, version: 3 });
    expect(FlagDefinition.parse(flag)).toEqual(flag);
  });

  it('folds the three kill columns into kill', () => {
    const at = new Date('2026-11-01T10:00:00.000Z');
    expect(toFlagDefinition({ ...row, killReason: 'errors spiked', killedAt: at, killedBy: 'oncall@stagegate.dev' }).kill).toEqual({
      reason: 'errors spiked',
      at,
      by: 'oncall@stagegate.dev',
    });
  });

  it('takes only definition fields from a wider row', () => {
    const wide = { ...row, createdAt: new Date(), updatedAt: new Date() };
    expect(Object.keys(toFlagDefinition(wide)).sort()).toEqual(Object.keys(FlagDefinition.shape).sort());
  });

  it('round-trips through toFlagData', () => {
    const killed = { ...row, killReason: 'bad', killedAt: new Date('2026-11-01T00:00:00.000Z'), killedBy: 'a@stagegate.dev' };
    expect(toFlagData(toFlagDefinition(killed))).toEqual(killed);
    expect(toFlagData(toFlagDefinition(row))).toEqual(row);
  });
});

describe('toUserState', () => {
  it('keys opt-ins and overrides by flag', () => {
    const expiresAt = new Date('2027-01-01T00:00:00.000Z');
    expect(
      toUserState(
        [
          { flagKey: 'a', enabled: true },
          { flagKey: 'b', enabled: false },
        ],
        [{ flagKey: 'a', enabled: false, reason: 'support', expiresAt }],
      ),
    ).toEqual({ optIns: { a: true, b: false }, overrides: { a: { enabled: false, reason: 'support', expiresAt } } });
    expect(toUserState([], [])).toEqual({ optIns: {}, overrides: {} });
  });
});
