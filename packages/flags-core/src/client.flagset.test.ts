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
const flags = [makeFlag({ key: 'inbox-v2', stage: 'beta' }), makeFlag({ key: 'search-v3', enabled: true }), makeFlag({ key: 'old-nav', archived: true })];
const users = { 'user-1': { 'ws-1': makeUserState({ optIns: { 'inbox-v2': true } }) } };

function setup(source = createTestSource(flags, users)) {
  const client = createFlagClient({ source, flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
  clients.push(client);
  return { client, source };
}

describe('createFlagClient: flagSet()', () => {
  it('hands out one frozen value per flag set, and a new one with a higher version once a change lands', async () => {
    const { client, source } = setup();
    const first = await client.flagSet();
    expect(first?.version).toBe(1);
    expect(first?.from).toBe('source');
    expect(first?.definitions.map((flag) => flag.key)).toEqual(['inbox-v2', 'search-v3', 'old-nav']);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.definitions)).toBe(true);
    expect(await client.flagSet()).toBe(first);

    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: false }));
    // A change event outdates the set: flagSet() waits for the reload, as evaluate does.
    const second = await client.flagSet();
    expect(second).not.toBe(first);
    expect(second?.version).toBe(2);
    expect(second?.definitions.find((flag) => flag.key === 'search-v3')?.enabled).toBe(false);
    expect(await client.flagSet()).toBe(second);
  });

  it('keeps the same value when a reload brings equal flags (a TTL poll, a refresh)', async () => {
    const { client, source } = setup();
    const first = await client.flagSet();
    await client.refresh();
    expect(source.calls.loadFlags).toBe(2);
    expect(await client.flagSet()).toBe(first);
  });

  it('is undefined while nothing can be served', async () => {
    const source = createTestSource(flags, users);
    source.failWith = new Error('down');
    const client = createFlagClient({ source, onError: () => undefined });
    clients.push(client);
    expect(await client.flagSet()).toBeUndefined();
  });
});

describe('createFlagClient: flagSetSync()', () => {
  it('answers what is installed without waiting: nothing before the first load, the outdated set until its reload lands', async () => {
    const { client, source } = setup();
    expect(client.flagSetSync()).toBeUndefined();
    const first = await client.flagSet();
    expect(client.flagSetSync()).toBe(first);

    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: false }));
    expect(client.flagSetSync()).toBe(first);
    const second = await client.flagSet();
    expect(second).not.toBe(first);
    expect(client.flagSetSync()).toBe(second);
  });
});

describe('createFlagClient: evaluateMany()', () => {
  it('answers as evaluate per key, in order, cold and warm', async () => {
    const { client, source } = setup();
    const keys = ['inbox-v2', 'no-such-flag', 'search-v3', 'old-nav'];
    const cold = await client.evaluateMany(keys, ctx);
    expect(cold.map(({ key, enabled, reason }) => [key, enabled, reason])).toEqual([
      ['inbox-v2', true, 'OPT_IN'],
      ['no-such-flag', false, 'FLAG_NOT_FOUND'],
      ['search-v3', true, 'GLOBAL'],
      ['old-nav', false, 'FLAG_NOT_FOUND'],
    ]);
    expect(source.calls).toMatchObject({ loadFlags: 1, loadUserState: 1 });
    const warm = await client.evaluateMany(keys, ctx);
    expect(warm).toEqual(await Promise.all(keys.map((key) => client.evaluate(key, ctx))));
    expect(source.calls).toMatchObject({ loadFlags: 1, loadUserState: 1 });
  });

  it("waits for the user's reload after a change event outdated their state", async () => {
    const { client, source } = setup();
    expect((await client.evaluateMany(['inbox-v2'], ctx))[0]?.enabled).toBe(true);
    source.memory.setUserState('user-1', 'ws-1', makeUserState({ optIns: { 'inbox-v2': false } }));
    expect(await client.evaluateMany(['search-v3', 'inbox-v2'], ctx)).toMatchObject([
      { key: 'search-v3', enabled: true },
      { key: 'inbox-v2', enabled: false, reason: 'OPT_OUT' },
    ]);
  });
});
