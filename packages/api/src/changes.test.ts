import { EMPTY_USER_STATE, createFlagClient, newFlag, type FlagChange, type FlagDefinition, type FlagSource } from '@stagegate/flags-core';
import { describe, expect, it } from 'vitest';
import { createChangeBus, feedBusFrom, withBusChanges } from './changes.js';
import { createLogger } from './logger.js';

/** A logger whose JSON lines land in `lines`. */
function collectingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('createChangeBus', () => {
  it('delivers each announced change to every subscriber until it unsubscribes', () => {
    const bus = createChangeBus(collectingLogger().logger);
    const a: FlagChange[] = [];
    const b: FlagChange[] = [];
    bus.subscribe((c) => a.push(c));
    const stopB = bus.subscribe((c) => b.push(c));
    bus.announce({ kind: 'flags' });
    stopB();
    bus.announce({ kind: 'user', userId: 'u1' });
    expect(a).toEqual([{ kind: 'flags' }, { kind: 'user', userId: 'u1' }]);
    expect(b).toEqual([{ kind: 'flags' }]);
  });

  it('one change, one event: a local write reaches caches at once, and streams only through its notification', () => {
    const bus = createChangeBus(collectingLogger().logger);
    const stream: FlagChange[] = [];
    const cache: FlagChange[] = [];
    bus.subscribe((c) => stream.push(c));
    bus.subscribeCaches((c) => cache.push(c));
    bus.publish({ kind: 'flags' });
    expect([stream, cache]).toEqual([[], [{ kind: 'flags' }]]);
    // The database's echo of the same write.
    bus.announce({ kind: 'flags' });
    expect([stream, cache]).toEqual([[{ kind: 'flags' }], [{ kind: 'flags' }, { kind: 'flags' }]]);
  });

  it('keeps delivering to the others when one subscriber throws, and logs it as one line', () => {
    const { logger, lines } = collectingLogger();
    const bus = createChangeBus(logger);
    const heard: FlagChange[] = [];
    bus.subscribe(() => {
      throw new Error('broken SSE client');
    });
    bus.subscribe((c) => heard.push(c));
    bus.announce({ kind: 'reset' });
    expect(heard).toEqual([{ kind: 'reset' }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'changes: a listener failed', err: { message: 'broken SSE client' }, change: { kind: 'reset' } });
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
    const bus = createChangeBus(collectingLogger().logger);
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

    // A write in this process publishes on the bus itself: the client reloads without the source's stream,
    // and the streams wait for the database's notification.
    stored = flag(false);
    bus.publish({ kind: 'flags' });
    expect(await client.isEnabled('checkout', ctx)).toBe(false);
    expect(sseClients.every((heard) => heard.length === 1)).toBe(true);

    stops.forEach((stop) => stop());
    await client.close();
    await stopFeed();
    expect(announce).toBeUndefined();
  });
});
