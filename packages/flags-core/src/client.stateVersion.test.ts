import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from './client.js';
import { createTestSource } from './client.fixtures.js';
import { makeFlag, makeOverride, makeUserState, TEST_NOW } from './testing.js';

let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

const ann = { userId: 'ann', workspaceId: 'ws-1' };
const bob = { userId: 'bob', workspaceId: 'ws-1' };
const flags = [makeFlag({ key: 'inbox-v2', stage: 'beta' }), makeFlag({ key: 'search-v3', enabled: true })];

function setup(users = { ann: { 'ws-1': makeUserState({ optIns: { 'inbox-v2': true } }) }, bob: { 'ws-1': makeUserState() } }) {
  const source = createTestSource(flags, users);
  const client = createFlagClient({ source, flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
  clients.push(client);
  return { client, source };
}

describe('createFlagClient: stateVersion()', () => {
  it('is undefined until the user has been evaluated, then one object per user while nothing changes', async () => {
    const { client } = setup();
    expect(client.stateVersion(ann)).toBeUndefined();
    await client.evaluateMany(['inbox-v2', 'search-v3'], ann);
    const version = client.stateVersion(ann);
    expect(version).toBeDefined();
    expect(client.stateVersion(ann)).toBe(version);
    expect(client.stateVersion(bob)).toBeUndefined();
    await client.evaluate('inbox-v2', bob);
    // Two users never share one: their answers can differ (rollout buckets, opt-ins).
    expect(client.stateVersion(bob)).not.toBe(version);
  });

  it('changes when the user changes their mind, and when the flags change', async () => {
    const { client, source } = setup();
    await client.evaluate('inbox-v2', ann);
    const first = client.stateVersion(ann);

    source.memory.setUserState('ann', 'ws-1', { optIns: { 'inbox-v2': false }, overrides: {} });
    // Outdated by the change event: nothing to vouch for until the next evaluation reloads it.
    expect(client.stateVersion(ann)).toBeUndefined();
    expect((await client.evaluate('inbox-v2', ann)).enabled).toBe(false);
    const second = client.stateVersion(ann);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);

    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: false }));
    expect(client.stateVersion(ann)).toBeUndefined();
    await client.evaluate('search-v3', ann);
    expect(client.stateVersion(ann)).not.toBe(second);
  });

  it('is undefined for a user whose answers turn with the clock (an override with an expiry)', async () => {
    const expiring = makeUserState({ overrides: { 'inbox-v2': makeOverride(true, new Date(TEST_NOW.getTime() + 86_400_000)) } });
    const { client } = setup({ ann: { 'ws-1': expiring }, bob: { 'ws-1': makeUserState({ overrides: { 'inbox-v2': makeOverride(true) } }) } });
    await client.evaluate('inbox-v2', ann);
    await client.evaluate('inbox-v2', bob);
    expect(client.stateVersion(ann)).toBeUndefined();
    // An override without an expiry is as timeless as an opt-in.
    expect(client.stateVersion(bob)).toBeDefined();
  });

  it('is undefined for a context without ids', () => {
    const { client } = setup();
    expect(client.stateVersion({ userId: '', workspaceId: 'ws-1' })).toBeUndefined();
  });
});
