import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from './client.js';
import { createTestSource } from './client.fixtures.js';
import { makeFlag, makeUserState } from './testing.js';

let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

const ctx = { userId: 'user-1', workspaceId: 'ws-1' };
const flags = [makeFlag({ key: 'inbox-v2', stage: 'beta' }), makeFlag({ key: 'search-v3', enabled: true })];
const users = { 'user-1': { 'ws-1': makeUserState({ optIns: { 'inbox-v2': true } }) } };
/** Lets the loads a call started finish. */
const loadsLand = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(source = createTestSource(flags, users)) {
  const client = createFlagClient({ source, flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
  clients.push(client);
  return { client, source };
}

describe('createFlagClient: synchronous evaluation', () => {
  it('says when it has nothing cached yet, starts the loads, and answers once they landed', async () => {
    const { client, source } = setup();
    expect(client.isEnabledSync('inbox-v2', ctx)).toBeUndefined();
    expect(client.evaluateSync('inbox-v2', ctx)).toEqual({ key: 'inbox-v2', enabled: false, reason: 'NOT_READY', stage: null });
    await loadsLand();
    // The flag set is there now, this user's state is not: still nothing to answer from, but the stage is known.
    expect(client.evaluateSync('inbox-v2', ctx)).toEqual({ key: 'inbox-v2', enabled: false, reason: 'NOT_READY', stage: 'beta' });
    await loadsLand();
    expect(client.isEnabledSync('inbox-v2', ctx)).toBe(true);
    expect(client.evaluateSync('inbox-v2', ctx)).toEqual({ key: 'inbox-v2', enabled: true, reason: 'OPT_IN', stage: 'beta' });
    expect(source.calls).toMatchObject({ loadFlags: 1, loadUserState: 1 });
    expect(client.stats()).toMatchObject({ evaluations: 5, cacheMisses: 3, cacheHits: 2 });
  });

  it('answers exactly as the awaited forms on a warm cache', async () => {
    const { client } = setup();
    for (const key of ['inbox-v2', 'search-v3', 'no-such-flag']) {
      const awaited = await client.evaluate(key, ctx);
      expect(client.evaluateSync(key, ctx)).toEqual(awaited);
      expect(client.isEnabledSync(key, ctx)).toBe(await client.isEnabled(key, ctx));
    }
  });

  it('serves what a change event outdated instead of waiting for the reload', async () => {
    const { client, source } = setup();
    expect(await client.isEnabled('search-v3', ctx)).toBe(true);
    const release = source.hold();
    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: false }));
    expect(client.evaluateSync('search-v3', ctx)).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    release();
    await loadsLand();
    expect(client.isEnabledSync('search-v3', ctx)).toBe(false);
  });

  it('says SOURCE_ERROR (undefined for isEnabledSync) when the source failed and nothing is cached', async () => {
    const source = createTestSource(flags, users);
    source.failWith = new Error('connection refused');
    const { client } = setup(source);
    await loadsLand();
    expect(client.evaluateSync('search-v3', ctx)).toMatchObject({ enabled: false, reason: 'SOURCE_ERROR' });
    expect(client.isEnabledSync('search-v3', ctx)).toBeUndefined();
    expect(source.calls.loadFlags).toBe(1); // backing off, not asking on every call
  });
});
