import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from './client.js';
import { createTestClock, createTestSource } from './client.fixtures.js';
import { resolverCases } from './resolver.cases.js';
import { findBucketingId, makeContext, makeFlag, makeUserState, TEST_NOW } from './testing.js';

let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

function clientFor(...args: Parameters<typeof createTestSource>) {
  const source = createTestSource(...args);
  const client = createFlagClient({ source, clock: createTestClock(TEST_NOW.getTime()).now, flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
  clients.push(client);
  return { client, source };
}

describe('remembered decisions', () => {
  // The client keeps each answer as a byte per (user state, flag): every row of the resolver's
  // contract must come back the same from the cache, the first time and from memory.
  it.each(resolverCases.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const ctx = makeContext(row.ctx);
    const flags = row.flag === undefined ? [] : [makeFlag(row.flag)];
    const { client } = clientFor(flags, { [ctx.userId]: { [ctx.workspaceId]: makeUserState(row.state) } });
    const key = row.flag?.key ?? 'checkout-redesign';
    const first = await client.evaluate(key, ctx);
    const again = await client.evaluate(key, ctx);
    expect(first).toMatchObject(row.expected);
    expect(again).toEqual(first);
    expect(await client.isEnabled(key, ctx)).toBe(row.expected.enabled);
  });

  it('forgets them when the flag set changes', async () => {
    const userId = findBucketingId('search-v3', 50, false);
    const { client, source } = clientFor([makeFlag({ key: 'search-v3', rolloutPercentage: 50 })]);
    const ctx = { userId, workspaceId: 'ws-1' };
    expect((await client.evaluate('search-v3', ctx)).reason).toBe('DEFAULT');
    source.memory.setFlag(makeFlag({ key: 'search-v3', rolloutPercentage: 100 }));
    expect(await client.evaluate('search-v3', ctx)).toMatchObject({ enabled: true, reason: 'ROLLOUT' });
  });

  it('keeps one user apart per workspace when a flag buckets by workspace', async () => {
    const inside = findBucketingId('team-inbox', 50, true, 'ws');
    const outside = findBucketingId('team-inbox', 50, false, 'ws');
    const { client } = clientFor([makeFlag({ key: 'team-inbox', rolloutPercentage: 50, bucketBy: 'workspace' })]);
    expect(await client.isEnabled('team-inbox', { userId: 'user-1', workspaceId: inside })).toBe(true);
    expect(await client.isEnabled('team-inbox', { userId: 'user-1', workspaceId: outside })).toBe(false);
    expect(await client.isEnabled('team-inbox', { userId: 'user-1', workspaceId: inside })).toBe(true);
  });

  it('starts a user who takes an evicted user\'s row with none of their decisions', async () => {
    const overridden = makeUserState({ overrides: { 'search-v3': { enabled: true, reason: 'beta tester', expiresAt: null } } });
    const source = createTestSource([makeFlag({ key: 'search-v3' })], { ann: { 'ws-1': overridden } });
    const client = createFlagClient({ source, clock: createTestClock(TEST_NOW.getTime()).now, maxUsers: 1 });
    clients.push(client);
    const ann = { userId: 'ann', workspaceId: 'ws-1' };
    const bob = { userId: 'bob', workspaceId: 'ws-1' };
    expect(await client.evaluate('search-v3', ann)).toMatchObject({ enabled: true, reason: 'USER_OVERRIDE' });
    expect(await client.evaluate('search-v3', ann)).toMatchObject({ enabled: true, reason: 'USER_OVERRIDE' });
    // Bob evicts Ann and takes her row; then Ann comes back into a row of her own.
    expect(await client.evaluate('search-v3', bob)).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(await client.evaluate('search-v3', bob)).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(await client.evaluate('search-v3', ann)).toMatchObject({ enabled: true, reason: 'USER_OVERRIDE' });
    expect(client.isEnabledSync('search-v3', ann)).toBe(true);
    expect(source.calls.loadUserState).toBe(3);
  });

  it('hands every caller its own resolution object', async () => {
    const { client } = clientFor([makeFlag({ key: 'search-v3', enabled: true })]);
    const first = await client.evaluate('search-v3', makeContext());
    first.enabled = false;
    expect(await client.evaluate('search-v3', makeContext())).toMatchObject({ enabled: true, reason: 'GLOBAL' });
  });
});
