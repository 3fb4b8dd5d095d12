import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlagClient, type FlagClient, type FlagClientOptions } from './client.js';
import { createTestSource, settled, type TestSource } from './client.fixtures.js';
import { makeFlag, makeOverride, makeUserState, TEST_NOW } from './testing.js';

const ctx = (userId = 'user-1', workspaceId = 'ws-1') => ({ userId, workspaceId });
/** Moves the fake clock, runs the timers due, and lets the loads they started finish. */
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
  const client = createFlagClient({ source, flagsTtlMs: 1_000, userStateTtlMs: 5_000, ...options });
  clients.push(client);
  return { client };
}

describe('createFlagClient: TTL refresh', () => {
  it('serves the flag set past its TTL while it reloads in the background, then the new one', async () => {
    const source = createTestSource([makeFlag({ key: 'dark-mode', enabled: false })], {}, { subscribe: false });
    const { client } = setup(source);

    expect(await client.isEnabled('dark-mode', ctx())).toBe(false);
    source.memory.setFlag(makeFlag({ key: 'dark-mode', enabled: true }));
    await advance(999);
    expect(await client.isEnabled('dark-mode', ctx())).toBe(false);
    expect(source.calls.loadFlags).toBe(1);

    const release = source.hold();
    await advance(1);
    // The reload is held, as a slow source would: the evaluation answers from the old set, at once.
    expect(await settled(client.evaluate('dark-mode', ctx()))).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(source.calls.loadFlags).toBe(2);
    release();
    await advance(0);
    expect(await client.evaluate('dark-mode', ctx())).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    expect(source.calls.loadFlags).toBe(2);
  });

  it('serves one user state past its TTL while it reloads, independently of the flag set', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta' })], {}, { subscribe: false });
    const { client } = setup(source, { flagsTtlMs: 60_000 });

    expect(await client.evaluate('inbox-v2', ctx())).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    source.memory.setUserState('user-1', 'ws-1', makeUserState({ optIns: { 'inbox-v2': true } }));
    await advance(4_999);
    expect((await client.evaluate('inbox-v2', ctx())).reason).toBe('DEFAULT');
    await advance(1);
    expect((await settled(client.evaluate('inbox-v2', ctx()))).reason).toBe('DEFAULT');
    await advance(0);
    expect(await client.evaluate('inbox-v2', ctx())).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    expect(source.calls).toMatchObject({ loadFlags: 1, loadUserState: 2 });
  });

  it('serves a stale user state, not SOURCE_ERROR, when its reload fails', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta' })], { 'user-1': { 'ws-1': makeUserState({ optIns: { 'inbox-v2': true } }) } });
    const { client } = setup(source, { flagsTtlMs: 60_000 });
    expect((await client.evaluate('inbox-v2', ctx())).reason).toBe('OPT_IN');

    source.failWith = new Error('database is down');
    await advance(5_000);
    expect(await client.evaluate('inbox-v2', ctx())).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    await advance(0);
    expect(await client.evaluate('inbox-v2', ctx())).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    expect(client.stats()).toMatchObject({ sourceErrors: 1, status: 'ready' });
  });

  it("reads an override's expiry against the client's clock when the context has no `now`", async () => {
    const source = createTestSource([makeFlag({ key: 'beta-export' })]);
    const { client } = setup(source, { userStateTtlMs: 60_000, flagsTtlMs: 60_000 });
    source.memory.setUserState('user-1', 'ws-1', makeUserState({ overrides: { 'beta-export': makeOverride(true, new Date(Date.now() + 1_000)) } }));

    expect((await client.evaluate('beta-export', ctx())).reason).toBe('USER_OVERRIDE');
    await advance(1_000);
    expect(await client.evaluate('beta-export', ctx())).toMatchObject({ enabled: false, reason: 'DEFAULT' });
  });
});

describe('createFlagClient: change events', () => {
  it('reloads the flag set on a flags event, so a kill switch applies before the TTL', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    const { client } = setup(source, { flagsTtlMs: 60_000 });

    expect(await client.isEnabled('search-v3', ctx())).toBe(true);
    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: true, kill: { reason: 'incident 42', at: new Date(), by: 'oncall@example.com' } }));
    expect(await client.evaluate('search-v3', ctx())).toMatchObject({ enabled: false, reason: 'KILLED' });
    expect(source.calls.loadFlags).toBe(2);
  });

  it("drops only the changed user's state on a user event", async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta' })]);
    const { client } = setup(source, { userStateTtlMs: 60_000 });
    await client.isEnabled('inbox-v2', ctx('user-1'));
    await client.isEnabled('inbox-v2', ctx('user-2'));
    await client.isEnabled('inbox-v2', ctx('user-1', 'ws-2'));

    source.memory.setUserState('user-1', 'ws-1', makeUserState({ optIns: { 'inbox-v2': true } }));
    expect(await client.evaluate('inbox-v2', ctx('user-1'))).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    await client.isEnabled('inbox-v2', ctx('user-2'));
    await client.isEnabled('inbox-v2', ctx('user-1', 'ws-2'));
    expect(source.calls.users).toEqual(['user-1@ws-1', 'user-2@ws-1', 'user-1@ws-2', 'user-1@ws-1']);
  });

  it('drops the user in every workspace when the event names no workspace', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2' })]);
    const { client } = setup(source, { userStateTtlMs: 60_000 });
    for (const c of [ctx('user-1', 'ws-1'), ctx('user-1', 'ws-2'), ctx('user-2', 'ws-1')]) await client.isEnabled('inbox-v2', c);

    source.emit({ kind: 'user', userId: 'user-1' });
    for (const c of [ctx('user-1', 'ws-1'), ctx('user-1', 'ws-2'), ctx('user-2', 'ws-1')]) await client.isEnabled('inbox-v2', c);
    expect(source.calls.users.slice(3)).toEqual(['user-1@ws-1', 'user-1@ws-2']);
  });

  it('does not keep what a load read before a change that landed while it was in flight', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    const { client } = setup(source);
    const release = source.hold();
    const pending = client.evaluate('search-v3', ctx());
    await Promise.resolve();
    // The in-flight load has already read `enabled: true`; this change must still win.
    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: false }));
    release();
    expect(await pending).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(source.calls.loadFlags).toBe(2);
  });

  it("marks stale every cached state in a workspace on a workspace event, and nothing else", async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta' })]);
    const { client } = setup(source, { flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
    const seen = [ctx('user-1', 'ws-1'), ctx('user-2', 'ws-1'), ctx('user-1', 'ws-2')];
    for (const c of seen) await client.isEnabled('inbox-v2', c);

    // The workspace admin switches the flag on for ws-1: the policy travels in each member's state.
    const policy = { optInBlocked: false, flags: { 'inbox-v2': 'enabled' as const } };
    source.quiet = true;
    for (const c of seen) source.memory.setUserState(c.userId, c.workspaceId, makeUserState({ workspace: policy }));
    source.quiet = false;
    source.emit({ kind: 'workspace', workspaceId: 'ws-1' });

    const reasons = [];
    for (const c of seen) reasons.push((await client.evaluate('inbox-v2', c)).reason);
    expect(reasons).toEqual(['WORKSPACE_OPT_IN', 'WORKSPACE_OPT_IN', 'DEFAULT']);
    expect(source.calls.users.slice(3)).toEqual(['user-1@ws-1', 'user-2@ws-1']);
    expect(source.calls.loadFlags).toBe(1);
  });

  it('does not keep a state a workspace event outdated while its load was in flight', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta' })]);
    const { client } = setup(source, { flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
    await client.flags();
    const release = source.hold();
    const pending = client.evaluate('inbox-v2', ctx('user-3', 'ws-1'));
    await Promise.resolve();
    source.quiet = true;
    source.memory.setUserState('user-3', 'ws-1', makeUserState({ workspace: { optInBlocked: false, flags: { 'inbox-v2': 'enabled' } } }));
    source.quiet = false;
    source.emit({ kind: 'workspace', workspaceId: 'ws-2' });
    source.emit({ kind: 'workspace', workspaceId: 'ws-1' });
    release();
    expect((await pending).reason).toBe('WORKSPACE_OPT_IN');
    expect(source.calls.users).toEqual(['user-3@ws-1', 'user-3@ws-1']);
  });

  it('marks every user stale and reloads flags on a reset event', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2' })]);
    const { client } = setup(source, { flagsTtlMs: 60_000, userStateTtlMs: 60_000 });
    await client.isEnabled('inbox-v2', ctx('user-1'));
    await client.isEnabled('inbox-v2', ctx('user-2'));

    source.emit({ kind: 'reset' });
    await client.isEnabled('inbox-v2', ctx('user-1'));
    await client.isEnabled('inbox-v2', ctx('user-2'));
    expect(source.calls).toMatchObject({ loadFlags: 2, loadUserState: 4 });
  });
});

describe('createFlagClient: source failures', () => {
  it('serves the last known state while the source fails, counts the errors, and recovers', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })], {}, { subscribe: false });
    const errors: unknown[] = [];
    const { client } = setup(source, { sourceRetryMs: 500, onError: (error) => errors.push(error) });
    expect(await client.isEnabled('search-v3', ctx())).toBe(true);

    source.failWith = new Error('database is down');
    await advance(5_000);
    expect(await client.evaluate('search-v3', ctx())).toMatchObject({ enabled: true, reason: 'GLOBAL' });
    await advance(0);
    // Five polls of the flag set and one reload of the user state failed.
    expect(client.stats()).toMatchObject({ sourceErrors: 6, status: 'stale' });
    expect(errors).toEqual(Array(6).fill(source.failWith));

    // Within sourceRetryMs the last known state is served without asking the source again.
    const callsDuringOutage = { ...source.calls, users: source.calls.users.length };
    await advance(499);
    expect(await client.isEnabled('search-v3', ctx())).toBe(true);
    expect({ ...source.calls, users: source.calls.users.length }).toEqual(callsDuringOutage);

    source.failWith = undefined;
    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: false }));
    await advance(1);
    expect(await client.isEnabled('search-v3', ctx())).toBe(true); // reloading in the background
    await advance(0);
    expect(await client.evaluate('search-v3', ctx())).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(client.stats()).toMatchObject({ sourceErrors: 6, status: 'ready' });
  });

  it('fails safe to off with SOURCE_ERROR when the source never answered, then recovers', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    source.failWith = new Error('connection refused');
    const { client } = setup(source, { sourceRetryMs: 1_000, flagsTtlMs: 60_000 });

    expect(await client.evaluate('search-v3', ctx())).toEqual({ key: 'search-v3', enabled: false, reason: 'SOURCE_ERROR', stage: null });
    expect(await client.isEnabled('search-v3', ctx())).toBe(false);
    expect(await client.evaluateAll(ctx())).toEqual([]);
    expect(await client.flags()).toEqual([]);
    expect(source.calls.loadFlags).toBe(1); // backing off, not hammering the source
    expect(client.stats()).toMatchObject({ sourceErrors: 1, lastRefreshAt: null, status: 'error' });

    source.failWith = undefined;
    await advance(1_000);
    expect(await client.isEnabled('search-v3', ctx())).toBe(true);
    expect(client.stats()).toMatchObject({ lastRefreshAt: new Date(Date.now()), status: 'ready' });
  });

  it("fails safe for a user whose state never loaded, keeping the flag's stage", async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2', stage: 'beta', rolloutPercentage: 100 })]);
    const { client } = setup(source);
    await client.flags();
    source.failWith = new Error('timeout');
    expect(await client.evaluate('inbox-v2', ctx())).toEqual({ key: 'inbox-v2', enabled: false, reason: 'SOURCE_ERROR', stage: 'beta' });
  });

  it('never throws, even when hooks throw or a caller passes no context', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    source.failWith = new Error('down');
    const { client } = setup(source, {
      onError: () => {
        throw new Error('broken error hook');
      },
      onEvaluation: () => {
        throw new Error('broken analytics hook');
      },
    });
    expect(await client.isEnabled('search-v3', ctx())).toBe(false);

    source.failWith = undefined;
    await client.refresh();
    expect(await client.isEnabled('search-v3', ctx())).toBe(true);
    const noContext = undefined as unknown as ReturnType<typeof ctx>; // as a plain-JS caller could
    expect(await client.evaluate('search-v3', noContext)).toMatchObject({ enabled: false, reason: 'TARGETING_KEY_MISSING' });
  });
});

describe('createFlagClient: single flight', () => {
  it('answers 100 concurrent evaluations on a cold cache with one load of each kind', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', rolloutPercentage: 50 }), makeFlag({ key: 'inbox-v2', enabled: true })]);
    const { client } = setup(source);
    const release = source.hold();
    const pending = Array.from({ length: 100 }, (_, i) => client.evaluate(i % 2 ? 'search-v3' : 'inbox-v2', ctx()));
    await advance(10);
    expect(source.calls.loadFlags).toBe(1);
    release();
    const results = await Promise.all(pending);

    expect(source.calls).toMatchObject({ loadFlags: 1, loadUserState: 1 });
    expect(new Set(results.filter((r) => r.key === 'inbox-v2').map((r) => r.reason))).toEqual(new Set(['GLOBAL']));
    expect(new Set(results.filter((r) => r.key === 'search-v3').map((r) => r.enabled)).size).toBe(1);
    expect(client.stats()).toMatchObject({ evaluations: 100, cacheMisses: 100, cacheHits: 0 });
  });
});

describe('createFlagClient: user cache bound', () => {
  it('keeps at most maxUsers states and evicts the least recently used', async () => {
    const source = createTestSource([makeFlag({ key: 'inbox-v2' })]);
    const { client } = setup(source, { maxUsers: 3, userStateTtlMs: 60_000, flagsTtlMs: 60_000 });
    const see = (userId: string) => client.isEnabled('inbox-v2', ctx(userId));

    for (const userId of ['u1', 'u2', 'u3']) await see(userId);
    await see('u1'); // u1 is now the most recently used, u2 the least
    await see('u4'); // evicts u2
    await see('u5'); // evicts u3
    expect(client.stats().cachedUsers).toBe(3);
    expect(source.calls.loadUserState).toBe(5);

    for (const userId of ['u1', 'u4', 'u5']) await see(userId);
    expect(source.calls.loadUserState).toBe(5);
    await see('u2');
    expect(source.calls.users.at(-1)).toBe('u2@ws-1');
    expect(source.calls.loadUserState).toBe(6);
  });
});
