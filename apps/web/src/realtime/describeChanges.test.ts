import { describe, expect, it } from 'vitest';
import { feature } from '../testing/fakeApi.js';
import { describeChanges } from './describeChanges.js';

const search = feature({ key: 'internal-search', name: 'Internal Search', stage: 'alpha' });
const chat = feature({ key: 'global-chat-enabled', name: 'Global Chat' });

describe('describeChanges (what a live-update toast says)', () => {
  it.each([
    ['nothing changed', [search], [search], []],
    ['a kill or a workspace block removed a feature', [search, chat], [chat], ['Internal Search is no longer available']],
    ['a feature became available', [chat], [search, chat], ['Internal Search is now available to try']],
    ['an operator moved its stage', [search], [{ ...search, stage: 'beta' as const }], ['Internal Search moved to Beta']],
    ['the workspace switched it on', [chat], [{ ...chat, enabled: true, reason: 'WORKSPACE_OPT_IN' as const }], ['Global Chat was switched on for your workspace']],
    ['an override for this user', [chat], [{ ...chat, enabled: true, reason: 'USER_OVERRIDE' as const }], ['An administrator switched Global Chat on for you']],
  ])('%s', (_label, before, after, messages) => {
    expect(describeChanges(before, after)).toEqual(messages);
  });
});
