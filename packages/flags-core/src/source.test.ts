import { describe, expect, it } from 'vitest';
import { EMPTY_USER_STATE } from './schema.js';
import { createMemorySource, type FlagChange } from './source.js';
import { makeFlag, makeUserState } from './testing.js';

describe('createMemorySource', () => {
  it('loads its flags and user states, and an empty state for an unknown user', async () => {
    const state = makeUserState({ optIns: { 'inbox-v2': true } });
    const source = createMemorySource([makeFlag({ key: 'inbox-v2' })], { 'user-1': { 'ws-1': state } });
    expect((await source.loadFlags()).map((flag) => flag.key)).toEqual(['inbox-v2']);
    expect(await source.loadUserState('user-1', 'ws-1')).toEqual(state);
    expect(await source.loadUserState('user-1', 'ws-2')).toBe(EMPTY_USER_STATE);
  });

  it('tells subscribers what changed until they unsubscribe', async () => {
    const source = createMemorySource();
    const changes: FlagChange[] = [];
    const unsubscribe = source.subscribe?.((change) => changes.push(change));
    source.setFlag(makeFlag({ key: 'inbox-v2' }));
    source.setUserState('user-1', 'ws-1', makeUserState());
    source.removeFlag('inbox-v2');
    await unsubscribe?.();
    source.setFlag(makeFlag({ key: 'search-v3' }));

    expect(changes).toEqual([{ kind: 'flags' }, { kind: 'user', userId: 'user-1', workspaceId: 'ws-1' }, { kind: 'flags' }]);
    expect((await source.loadFlags()).map((flag) => flag.key)).toEqual(['search-v3']);
  });
});

describe('createMemorySource: the wire JSON', () => {
  it('accepts ISO string dates in ttlStart, kill.at and an override expiry, as the snapshot carries them', async () => {
    const killed = { ...JSON.parse(JSON.stringify(makeFlag({ key: 'search-v3' }))), kill: { reason: 'incident', at: '2026-05-20T00:00:00.000Z', by: 'oncall@example.com' } };
    const state = { optIns: {}, overrides: { 'search-v3': { enabled: true, reason: 'support', expiresAt: '2027-01-01T00:00:00.000Z' } } };
    const source = createMemorySource([killed], { 'user-1': { 'ws-1': state } });
    const [flag] = await source.loadFlags();
    expect(flag?.ttlStart).toBeInstanceOf(Date);
    expect(flag?.kill?.at).toEqual(new Date('2026-05-20T00:00:00.000Z'));
    expect((await source.loadUserState('user-1', 'ws-1')).overrides['search-v3']?.expiresAt).toEqual(new Date('2027-01-01T00:00:00.000Z'));

    source.setUserState('user-2', 'ws-1', { optIns: {}, overrides: { 'search-v3': { enabled: false, reason: 'x', expiresAt: '2027-02-01T00:00:00Z' } } });
    expect((await source.loadUserState('user-2', 'ws-1')).overrides['search-v3']?.expiresAt).toBeInstanceOf(Date);
  });

  it('throws where an invalid flag or state is written', () => {
    expect(() => createMemorySource([{ ...makeFlag(), rolloutPercentage: 101 }])).toThrow(/rolloutPercentage/);
    const source = createMemorySource();
    expect(() => source.setFlag({ ...makeFlag(), ttlStart: 'not a date' })).toThrow();
    expect(() => source.setUserState('u', 'w', JSON.parse('{"optIns":{"x":"yes"},"overrides":{}}'))).toThrow();
  });
});
