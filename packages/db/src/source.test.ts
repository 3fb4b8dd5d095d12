import type { FlagChange } from '@stagegate/flags-core';
import { describe, expect, it } from 'vitest';
import { parseChange } from './source.js';

describe('parseChange', () => {
  it.each<[string, FlagChange | null]>([
    ['{"kind":"flags"}', { kind: 'flags' }],
    ['{"kind" : "flags"}', { kind: 'flags' }],
    ['{"kind":"reset"}', { kind: 'reset' }],
    ['{"kind":"user","userId":"u1","workspaceId":"w1"}', { kind: 'user', userId: 'u1', workspaceId: 'w1' }],
    ['{"kind":"user","userId":"u1"}', { kind: 'user', userId: 'u1' }],
    ['{"kind":"user","userId":"u1","workspaceId":null}', { kind: 'user', userId: 'u1' }],
    ['{"kind":"user"}', null],
    ['{"kind":"user","userId":7}', null],
    ['{"kind":"user","userId":"u1","workspaceId":3}', null],
    ['{"kind":"flag"}', null],
    ['"flags"', null],
    ['null', null],
    ['not json', null],
    ['', null],
  ])('reads %s', (payload, change) => {
    expect(parseChange(payload)).toEqual(change);
  });
});
