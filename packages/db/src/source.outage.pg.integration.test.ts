import { createFlagClient, type FlagChange, type FlagClient } from '@stagegate/flags-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testFlag } from './flags.fixtures.js';
import { createDatabaseSource, type DatabaseSource } from './source.js';
import { openTestDatabaseThroughProxy, waitFor, type ProxiedTestDatabase } from './testing.js';

// The change stream and the pool across a real socket fault (a TCP proxy between them and PostgreSQL),
// with the source's default backoff: listening must resume about a second after the database is back.
// The bounds leave a loaded CI machine room (re-listen 0.5–1 s + a connect) and still tell it apart
// from the 7.7–9.8 s seen before the fix.

const ctx = { userId: 'u1', workspaceId: 'w1' };
let fault: ProxiedTestDatabase;
let source: DatabaseSource;
let client: FlagClient;
const changes: FlagChange[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  fault = await openTestDatabaseThroughProxy({ connectTimeoutMs: 500, queryTimeoutMs: 1_000, heartbeatMs: 250 });
  await fault.direct.prisma.flag.create({ data: testFlag('checkout-v2', { stage: 'ga', enabled: false }) });
  source = createDatabaseSource(fault.db, { onError: (error) => errors.push(error) });
  source.subscribe((change) => changes.push(change));
  // Polling would find the change on its own: an hour's TTL leaves the reset as the only way.
  client = createFlagClient({ source, flagsTtlMs: 3_600_000 });
  await source.listening();
});
afterAll(async () => {
  await client.close();
  await source.close();
  await fault.close();
});
beforeEach(() => {
  changes.length = 0;
});

const isOn = async () => (await client.evaluate('checkout-v2', ctx)).enabled;
const toggle = (enabled: boolean) => fault.direct.prisma.flag.update({ where: { key: 'checkout-v2' }, data: { enabled } });

/** Ms from now until the source is listening again. */
async function timeToListen(): Promise<number> {
  const started = Date.now();
  await waitFor(() => source.stats().listening, 5_000, 'listening again');
  return Date.now() - started;
}

/** Ms a write through the faulty connection takes to fail. */
async function timeToFail(): Promise<number> {
  const started = Date.now();
  await expect(fault.db.prisma.flag.update({ where: { key: 'checkout-v2' }, data: { description: 'lost' } })).rejects.toThrow();
  return Date.now() - started;
}

describe('the database source across an outage', () => {
  it('when the server is gone: loses the connection at once, fails writes fast, resyncs about a second after restore', async () => {
    expect(await isOn()).toBe(false);
    await fault.proxy.cut();
    await waitFor(() => !source.stats().listening, 1_000, 'the source to notice');
    expect(source.stats().lostAt).toBeInstanceOf(Date);
    expect(await timeToFail()).toBeLessThan(1_500);

    // Written while nobody listens: only the reset after reconnecting can bring it in.
    await toggle(true);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await isOn()).toBe(false);

    await fault.proxy.restore();
    expect(await timeToListen()).toBeLessThan(2_500);
    expect(changes).toContainEqual({ kind: 'reset' });
    await expect.poll(isOn, { timeout: 2_000 }).toBe(true);
    expect(source.stats()).toMatchObject({ listening: true, lostAt: null, reconnects: 1 });
    expect(source.stats().lastOutageMs).toBeGreaterThanOrEqual(2_000);
  });

  it('when the network goes silent: the heartbeat notices, writes time out, and the same resync follows', async () => {
    await fault.proxy.stall();
    // heartbeatMs 250 + an answer awaited for connectTimeoutMs 500.
    const started = Date.now();
    await waitFor(() => !source.stats().listening, 2_000, 'the heartbeat to notice');
    expect(Date.now() - started).toBeLessThan(1_500);
    // queryTimeoutMs on a pooled connection, connectTimeoutMs on a new one: not a hang.
    expect(await timeToFail()).toBeLessThan(2_000);

    await toggle(false);
    await fault.proxy.restore();
    expect(await timeToListen()).toBeLessThan(2_500);
    expect(changes).toContainEqual({ kind: 'reset' });
    await expect.poll(isOn, { timeout: 2_000 }).toBe(false);
    expect(source.stats().reconnects).toBe(2);
  });

  it('hears changes as usual afterwards', async () => {
    await toggle(true);
    await waitFor(() => changes.some((change) => change.kind === 'flags'), 2_000, 'the change notification');
    await expect.poll(isOn, { timeout: 2_000 }).toBe(true);
    await expect(fault.db.prisma.flag.count()).resolves.toBe(1);
  });
});
