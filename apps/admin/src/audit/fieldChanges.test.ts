import { describe, expect, it } from 'vitest';
import { fieldChanges } from './fieldChanges.js';

const flag = { key: 'auto-tagging-v2', stage: 'alpha', rolloutPercentage: 5, kill: null, version: 3 };

describe('fieldChanges', () => {
  it('a stage and rollout change: one row per field, version included', () => {
    expect(fieldChanges(flag, { ...flag, stage: 'beta', rolloutPercentage: 25, version: 4 })).toEqual([
      { path: 'stage', before: 'alpha', after: 'beta' },
      { path: 'rolloutPercentage', before: 5, after: 25 },
      { path: 'version', before: 3, after: 4 },
    ]);
  });

  it('a kill: the kill object field by field, not one blob', () => {
    const killed = { ...flag, kill: { reason: 'error spike', at: '2026-12-01T10:00:00.000Z', by: 'editor@stagegate.dev' }, version: 4 };
    expect(fieldChanges(flag, killed)).toEqual([
      { path: 'kill.reason', before: undefined, after: 'error spike' },
      { path: 'kill.at', before: undefined, after: '2026-12-01T10:00:00.000Z' },
      { path: 'kill.by', before: undefined, after: 'editor@stagegate.dev' },
      { path: 'version', before: 3, after: 4 },
    ]);
    expect(fieldChanges(killed, flag).map((c) => c.path)).toEqual(['kill.reason', 'kill.at', 'kill.by', 'version']);
  });

  it('a created override (no before) lists every field as added; a removed one every field as removed', () => {
    const override = { userId: 'u1', enabled: true, expiresAt: null };
    expect(fieldChanges(null, override)).toEqual([
      { path: 'userId', before: undefined, after: 'u1' },
      { path: 'enabled', before: undefined, after: true },
      { path: 'expiresAt', before: undefined, after: null },
    ]);
    expect(fieldChanges(override, null).every((c) => c.after === undefined)).toBe(true);
  });

  it('an array change shows the whole list on both sides; nothing changed is no rows', () => {
    expect(fieldChanges({ tags: ['a'] }, { tags: ['a', 'b'] })).toEqual([{ path: 'tags', before: ['a'], after: ['a', 'b'] }]);
    expect(fieldChanges(flag, { ...flag })).toEqual([]);
  });
});
