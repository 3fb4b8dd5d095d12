import { EMPTY_USER_STATE, createFlagClient, newFlag, type FlagChange, type FlagDefinition, type FlagSource } from '@stagegate/flags-core';
import { describe, expect, it } from 'vitest';
import { createChangeBus, feedBusFrom, withBusChanges } from './changes.js';

describe('createChangeBus', () => {
  it('delivers each change to every subscriber until it unsubscribes', () => {
    const bus = createChangeBus();
    const a: FlagChange[] = [];
    const b: FlagChange[] = [];
    bus.subscribe((c) => a.push(c));
    const stopB = bus.subscribe((c) => b.push(c));
    bus.publish({ kind: 'flags' });
    stopB();
    bus.publish({ kind: 'user', userId: 'u1' });
    expect(a).toEqual([{ kind: 'flags' }, { kind: 'user', userId: 'u1' }]);
    expect(b).toEqual([{ kind: 'flags' }]);
  });

  it('keeps delivering to the others when one subscriber throws', () => {
    const bus = createChangeBus();
    const heard: FlagChange[] = [];
    const quiet = console.error;
    console.error = () => undefined;
    try {
      bus.subscribe(() => {
        throw new Error('broken SSE client');
      });
      bus.subscribe((c) => heard.push(c));
      bus.publish({ kind: 'reset' });
    } finally {
      console.error = quiet;
    }
    expect(heard).toEqual([{ kind: 'reset' }]);
  });
});

const flag = (enabled: boolean): FlagDefinition =>
  newFlag({ key: 'checkout', name: 'Checkout', stage: 'ga', ttlStart: new Date('2026-01-01'), ttlDays: 90, owner: 'owner@stagegate.dev', enabled });

describe('feeding a FlagClient through the bus', () => {
  it('takes one subscription on the source however many listen to the bus', async () => {
    let stored = flag(false);
    let announce: ((change: FlagChange) => void) | undefined;
    let sourceSubscriptions = 0;
    // A source whose change stream we drive by hand (as NOTIFYs from other processes would).
    const source: FlagSource = {
      loadFlags: async () => [stored],
      loadUserState: async () => EMPTY_USER_STATE,
      subscribe(onChange) {
        sourceSubscriptions++;
        announce = onChange;
        return () => (announce = undefined);
      },
    };
    const bus = createChangeBus();
    const stopFeed = feedBusFrom(source, bus);
    const client = createFlagClient({ source: withBusChanges(source, bus), flagsTtlMs: 600_000 });
    const sseClients = Array.from({ length: 50 }, () => [] as FlagChange[]);
    const stops = sseClients.map((heard) => bus.subscribe((c) => heard.push(c)));
    const ctx = { userId: 'u1', workspaceId: 'w1' };

    expect(await client.isEnabled('checkout', ctx)).toBe(false);
    stored = flag(true);
    // Cached, and nobody said anything yet: still the old answer.
    expect(await client.isEnabled('checkout', ctx)).toBe(false);
    announce?.({ kind: 'flags' });
    expect(sseClients.every((heard) => heard.length === 1 && heard[0]?.kind === 'flags')).toBe(true);
    expect(await client.isEnabled('checkout', ctx)).toBe(true);
    expect(sourceSubscriptions).toBe(1);

    // A write in this process publishes on the bus itself: the client reloads without the source's stream.
    stored = flag(false);
    bus.publish({ kind: 'flags' });
    expect(await client.isEnabled('checkout', ctx)).toBe(false);

    stops.forEach((stop) => stop());
    await client.close();
    await stopFeed();
    expect(announce).toBeUndefined();
  });
});
