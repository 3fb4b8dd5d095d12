import { describe, expect, it } from 'vitest';
import { FlagChangeSchema, FlagSnapshot, InvalidFlagError, parseChange, readSnapshot } from './wire.js';
import { makeFlag } from './testing.js';

/** A flag as JSON carries it (ISO dates). */
const wire = (partial: Parameters<typeof makeFlag>[0] = {}) => JSON.parse(JSON.stringify(makeFlag(partial))) as Record<string, unknown>;

describe('parseChange', () => {
  it.each([
    ['{"kind":"flags"}', { kind: 'flags' }],
    ['{"kind":"reset"}', { kind: 'reset' }],
    ['{"kind":"workspace","workspaceId":"ws-1"}', { kind: 'workspace', workspaceId: 'ws-1' }],
    ['{"kind":"user","userId":"u1","workspaceId":"ws-1"}', { kind: 'user', userId: 'u1', workspaceId: 'ws-1' }],
    ['{"kind":"user","userId":"u1"}', { kind: 'user', userId: 'u1' }],
    ['{"kind":"user","userId":"u1","workspaceId":null}', { kind: 'user', userId: 'u1' }],
    ['{"kind":"flags","extra":1}', { kind: 'flags' }],
  ])('reads %s', (payload, change) => {
    expect(parseChange(payload)).toEqual(change);
  });

  it.each([
    ['not JSON', 'kind=flags'],
    ['empty', ''],
    ['null', 'null'],
    ['an array', '[]'],
    ['an unknown kind', '{"kind":"everything"}'],
    ['a user change without a user', '{"kind":"user"}'],
    ['a user change with an empty user', '{"kind":"user","userId":""}'],
    ['a user change with a numeric workspace', '{"kind":"user","userId":"u1","workspaceId":7}'],
    ['a workspace change without a workspace', '{"kind":"workspace"}'],
    ['a workspace change with an empty workspace', '{"kind":"workspace","workspaceId":""}'],
  ])('answers null for %s', (_label, payload) => {
    expect(parseChange(payload)).toBeNull();
  });

  it('is the schema the db and SSE payloads share', () => {
    expect(FlagChangeSchema.safeParse({ kind: 'workspace', workspaceId: 'ws-9' }).success).toBe(true);
  });
});

describe('readSnapshot', () => {
  it('reads every valid flag with its dates, and the etag', () => {
    const { snapshot, invalid } = readSnapshot({ flags: [wire({ key: 'inbox-v2' }), wire({ key: 'search-v3' })], etag: '"abc"' });
    expect(snapshot.flags.map((flag) => flag.key)).toEqual(['inbox-v2', 'search-v3']);
    expect(snapshot.flags[0]?.ttlStart).toBeInstanceOf(Date);
    expect(snapshot.etag).toBe('"abc"');
    expect(invalid).toEqual([]);
    expect(FlagSnapshot.parse(snapshot)).toEqual(snapshot);
  });

  it('leaves out an invalid flag and names it, keeping the rest', () => {
    const { snapshot, invalid } = readSnapshot({
      flags: [wire({ key: 'inbox-v2' }), { ...wire({ key: 'broken-flag', version: 4 }), rolloutPercentage: 120 }, 'not a flag', wire({ key: 'search-v3' })],
    });
    expect(snapshot).toEqual({ flags: [expect.objectContaining({ key: 'inbox-v2' }), expect.objectContaining({ key: 'search-v3' })] });
    expect(invalid.map((error) => [error.key, error.version])).toEqual([
      ['broken-flag', 4],
      [undefined, undefined],
    ]);
    expect(invalid[0]).toBeInstanceOf(InvalidFlagError);
    expect(invalid[0]?.message).toMatch(/"broken-flag" v4 skipped: .*rolloutPercentage/);
  });

  it.each([
    ['null', null],
    ['flags not a list', { flags: {} }],
    ['no flags', { etag: '"x"' }],
  ])('throws for a payload that is no snapshot (%s)', (_label, body) => {
    expect(() => readSnapshot(body)).toThrow();
  });
});
