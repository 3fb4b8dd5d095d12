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
