import { createFlagClient, createMemorySource, newFlag, type FlagClient, type FlagDefinition, type FlagResolution } from '@stagegate/flags-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemberGrant } from '../policy.js';
import { listBetaFeatures } from './betaFeatures.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const flag = (key: string, name: string, fields: Partial<FlagDefinition> = {}) =>
  newFlag({ key, name, stage: 'beta', ttlStart: NOW, ttlDays: 90, owner: 'team@example.com', ...fields });

const member = (userId: string): MemberGrant => {
  const user = { id: userId, email: `${userId}@example.com`, name: userId, operatorRole: null };
  const workspace = { id: 'ws-1', slug: 'demo', name: 'Demo', role: 'member' as const };
  return { principal: { kind: 'user', tokenId: 't', via: 'token', user, memberships: [workspace], workspace, workspaceError: null }, user, workspace };
};

let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

/** What the evaluation counter was told, in order. */
function recorder() {
  const recorded: FlagResolution[] = [];
  return {
    recorded,
    record: (resolution: FlagResolution) => void recorded.push(resolution),
    recordAll: (resolutions: readonly FlagResolution[]) => void recorded.push(...resolutions),
  };
}

function setup() {
  const source = createMemorySource(
    [flag('zeta', 'Zeta'), flag('alpha-one', 'Alpha', { stage: 'alpha' }), flag('ga-thing', 'GA thing', { stage: 'ga' }), flag('killed', 'Killed', { kill: { reason: 'bug', at: NOW, by: 'ops' } })],
    { 'user-1': { 'ws-1': { optIns: { zeta: true }, overrides: {} } } },
  );
  const evaluations = recorder();
  const flags = createFlagClient({ source, flagsTtlMs: 60_000, userStateTtlMs: 60_000, onEvaluation: (resolution) => evaluations.record(resolution) });
  clients.push(flags);
  return { source, evaluations, services: { flags, now: () => NOW, evaluations } };
}

describe('listBetaFeatures', () => {
  it('lists the alpha and beta flags sorted by name, with this user’s answers', async () => {
    const { services } = setup();
    const list = await listBetaFeatures(services, member('user-1'));
    expect(list.features.map(({ key, enabled, reason }) => [key, enabled, reason])).toEqual([
      ['alpha-one', false, 'DEFAULT'],
      ['zeta', true, 'OPT_IN'],
    ]);
    expect(list.meta).toEqual({ totalAvailable: 2, totalEnabled: 1 });
  });

  it('serves the same feature objects while the flag set stands (no per-flag copy per request), new ones after a change event', async () => {
    const { source, services } = setup();
    const first = await listBetaFeatures(services, member('user-1'));
    const warm = await listBetaFeatures(services, member('user-1'));
    expect(warm.features).toHaveLength(2);
    warm.features.forEach((feature, i) => expect(feature).toBe(first.features[i]));
    // Another user with the same answers shares them too: per user, only the evaluations are new.
    const other = await listBetaFeatures(services, member('user-2'));
    expect(other.features[0]).toBe(first.features[0]);
    expect(other.features[1]).not.toBe(first.features[1]);
    expect(Object.isFrozen(first.features[0])).toBe(true);

    source.setFlag(flag('zeta', 'Zeta renamed'));
    const changed = await listBetaFeatures(services, member('user-1'));
    expect(changed.features.map((feature) => feature.name)).toEqual(['Alpha', 'Zeta renamed']);
    expect(changed.features[0]).not.toBe(first.features[0]);
    const again = await listBetaFeatures(services, member('user-1'));
    again.features.forEach((feature, i) => expect(feature).toBe(changed.features[i]));
  });

  it('leaves out betas the workspace blocked, and answers an empty list when no flag set can be served', async () => {
    const { source, services } = setup();
    source.setUserState('user-1', 'ws-1', { optIns: { zeta: true }, overrides: {}, workspace: { optInBlocked: false, flags: { zeta: 'blocked' } } });
    expect((await listBetaFeatures(services, member('user-1'))).features.map((feature) => feature.key)).toEqual(['alpha-one']);

    const down = createFlagClient({ source: { loadFlags: () => Promise.reject(new Error('down')), loadUserState: () => Promise.reject(new Error('down')) }, onError: () => undefined });
    clients.push(down);
    expect(await listBetaFeatures({ flags: down, now: () => NOW, evaluations: recorder() }, member('user-1'))).toEqual({ features: [], meta: { totalAvailable: 0, totalEnabled: 0 } });
  });

  it('hands out the same list while the user’s state and the flags stand, counting each serving’s evaluations; a new one after a change', async () => {
    const { source, services, evaluations } = setup();
    // The cold call loads the user's state: what it answered is kept from the next call on, once the state is vouched for.
    await listBetaFeatures(services, member('user-1'));
    const first = await listBetaFeatures(services, member('user-1'));
    const warm = await listBetaFeatures(services, member('user-1'));
    expect(warm).toBe(first);
    expect(Object.isFrozen(warm)).toBe(true);
    // Served from the cache or not, every listing counts what it answered, in the same order.
    const keys = evaluations.recorded.map((resolution) => resolution.key);
    expect(keys).toEqual(['alpha-one', 'zeta', 'alpha-one', 'zeta', 'alpha-one', 'zeta']);
    expect(await listBetaFeatures(services, member('user-2'))).not.toBe(first);

    source.setUserState('user-1', 'ws-1', { optIns: { zeta: false }, overrides: {} });
    const changed = await listBetaFeatures(services, member('user-1'));
    expect(changed).not.toBe(first);
    expect(changed.meta.totalEnabled).toBe(0);
    const again = await listBetaFeatures(services, member('user-1'));
    expect(await listBetaFeatures(services, member('user-1'))).toBe(again);
  });
});
