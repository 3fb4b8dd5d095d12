import { createFlagClient, createMemorySource, newFlag, type FlagClient } from '@stagegate/flags-core';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotOf } from './flagsSnapshot.js';

const flag = (key: string, rolloutPercentage: number) =>
  newFlag({ key, name: key, stage: 'beta', ttlStart: new Date('2026-12-01T00:00:00.000Z'), ttlDays: 90, owner: 'team@example.com', rolloutPercentage });

let client: FlagClient | undefined;
afterEach(async () => {
  await client?.close();
});

describe('snapshotOf', () => {
  it('serves the same body and ETag, built once, until a change event brings a new flag set', async () => {
    const source = createMemorySource([flag('inbox-v2', 10), flag('search-v3', 0)]);
    client = createFlagClient({ source, flagsTtlMs: 60_000 });
    const set = await client.flagSet();
    if (set === undefined) throw new Error('no flag set');
    const first = snapshotOf(set);
    expect(JSON.parse(first.body.toString())).toEqual({ flags: JSON.parse(JSON.stringify(set.definitions)), etag: first.etag });
    // A warm 200 or 304 does no per-flag work: the same object, not an equal one rebuilt.
    expect(snapshotOf(set)).toBe(first);
    expect(snapshotOf((await client.flagSet())!)).toBe(first);
    await client.refresh();
    expect(snapshotOf((await client.flagSet())!)).toBe(first);

    source.setFlag(flag('inbox-v2', 50));
    const changed = snapshotOf((await client.flagSet())!);
    expect(changed).not.toBe(first);
    expect(changed.etag).not.toBe(first.etag);
    expect(snapshotOf((await client.flagSet())!)).toBe(changed);
  });
});
