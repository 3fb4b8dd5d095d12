import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlagClient, type FlagClient, type FlagClientOptions } from './client.js';
import { createTestSource, settled, type TestSource } from './client.fixtures.js';
import { SourceTimeoutError } from './deadline.js';
import { makeFlag, TEST_NOW } from './testing.js';

const ctx = (userId = 'user-1') => ({ userId, workspaceId: 'ws-1' });
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

let clients: FlagClient[] = [];
beforeEach(() => {
  vi.useFakeTimers({ now: TEST_NOW });
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
  vi.useRealTimers();
});

function setup(source: TestSource, options: Partial<FlagClientOptions> = {}) {
  const errors: unknown[] = [];
  const client = createFlagClient({ source, flagsTtlMs: 30_000, userStateTtlMs: 30_000, onError: (error) => errors.push(error), ...options });
  clients.push(client);
  return { client, errors };
}

/** Whether a promise is still pending once everything already queued has run. */
async function pending(promise: Promise<unknown>): Promise<boolean> {
  return settled(promise).then(
    () => false,
    () => true,
  );
}

describe('createFlagClient over a source that never answers', () => {
  it('answers a cold start off with NOT_READY after startupTimeoutMs, and ready() resolves false', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    source.hang = true;
    const { client, errors } = setup(source, { startupTimeoutMs: 1_000, sourceTimeoutMs: 5_000 });
    const ready = client.ready();
    const answer = client.evaluate('search-v3', ctx());

    await advance(999);
    expect(await pending(answer)).toBe(true);
    expect(await pending(ready)).toBe(true);
    await advance(1);
    expect(await answer).toEqual({ key: 'search-v3', enabled: false, reason: 'NOT_READY', stage: null });
    expect(await ready).toBe(false);
    expect(client.status()).toBe('not-ready');

    // The load goes on until sourceTimeoutMs, then it is abandoned: its signal aborts and it counts as failed.
    await advance(4_000);
    expect(source.signals[0]?.aborted).toBe(true);
    expect(errors).toEqual([expect.any(SourceTimeoutError)]);
    expect(client.stats()).toMatchObject({ sourceErrors: 1, sourceTimeouts: 1, status: 'error' });
    // Backing off: answered at once, without asking again.
    expect(await settled(client.evaluate('search-v3', ctx()))).toMatchObject({ reason: 'SOURCE_ERROR' });
    expect(source.calls.loadFlags).toBe(1);
  });

  it('once loaded, never waits on a hung reload after the TTLs: it serves what it has', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    const { client } = setup(source);
    expect(await client.isEnabled('search-v3', ctx())).toBe(true);

    source.hang = true;
    await advance(95_000);
    expect(await settled(client.evaluate('search-v3', ctx()))).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    expect(await settled(client.isEnabled('search-v3', ctx()))).toBe(true);
    expect(client.isEnabledSync('search-v3', ctx())).toBe(true);
    expect(await settled(client.flags())).toHaveLength(1);
    await advance(2_000);
    expect(client.stats().sourceTimeouts).toBeGreaterThanOrEqual(3);
    expect(client.status()).toBe('stale');

    source.hang = false;
    await advance(30_000);
    expect(client.status()).toBe('ready');
  });

  it('waits at most sourceTimeoutMs for a reload a change event asked for, then serves the old set without waiting again', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    const { client } = setup(source, { sourceTimeoutMs: 2_000 });
    expect(await client.isEnabled('search-v3', ctx())).toBe(true);

    source.hang = true;
    source.emit({ kind: 'flags' });
    const answer = client.evaluate('search-v3', ctx());
    await advance(1_999);
    expect(await pending(answer)).toBe(true);
    await advance(1);
    expect(await answer).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    expect(await settled(client.evaluate('search-v3', ctx()))).toMatchObject({ enabled: true, reason: 'GLOBAL' });
  });

  it('answers a user never seen with SOURCE_ERROR after sourceTimeoutMs, and the next one at once while the source is hung', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta', enabled: true })]);
    const { client } = setup(source, { sourceTimeoutMs: 2_000, sourceRetryMs: 1_000 });
    await client.flags();
    source.hang = true;

    const first = client.evaluate('inbox-v2', ctx('user-2'));
    await advance(2_000);
    expect(await first).toEqual({ key: 'inbox-v2', enabled: false, reason: 'SOURCE_ERROR', stage: 'beta' });
    expect(await settled(client.evaluate('inbox-v2', ctx('user-3')))).toMatchObject({ reason: 'SOURCE_ERROR' });
    expect(source.calls.users).toEqual(['user-2@ws-1']);

    // Once the retry window passed, a new user is asked for again.
    source.hang = false;
    await advance(1_000);
    expect(await client.evaluate('inbox-v2', ctx('user-3'))).toMatchObject({ enabled: true, reason: 'GLOBAL' });
  });

  it('abandons the calls in flight when it closes', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3' })]);
    source.hang = true;
    const { client, errors } = setup(source);
    await client.close();
    expect(source.signals[0]?.aborted).toBe(true);
    expect(errors).toEqual([]);
  });
});
