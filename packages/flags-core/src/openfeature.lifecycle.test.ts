import { OpenFeature, ProviderEvents, ProviderStatus, type EventDetails } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClientOptions } from './client.js';
import { createTestSource, type TestSource } from './client.fixtures.js';
import { StagegateProvider } from './openfeature.js';
import { makeFlag, makeUserState } from './testing.js';

afterAll(() => OpenFeature.close());

const context = { targetingKey: 'user-1', workspaceId: 'ws-1' };
let domains = 0;

/** A provider on a domain of its own, over a client with short timers so the lifecycle plays out in milliseconds. */
function register(source: TestSource, options: Partial<FlagClientOptions> = {}) {
  const domain = `lifecycle-${++domains}`;
  const client = createFlagClient({ source, flagsTtlMs: 20, sourceRetryMs: 10, sourceTimeoutMs: 100, startupTimeoutMs: 100, ...options });
  const provider = new StagegateProvider(client);
  const features = OpenFeature.getClient(domain);
  /** The next `event` the SDK hands to this domain's client. */
  const next = (event: ProviderEvents) =>
    new Promise<EventDetails | undefined>((resolve) => {
      const handler = (details?: EventDetails) => {
        features.removeHandler(event, handler);
        resolve(details);
      };
      features.addHandler(event, handler);
    });
  return { domain, client, provider, features, next, set: () => OpenFeature.setProviderAndWait(domain, provider) };
}

describe('StagegateProvider lifecycle through the OpenFeature SDK', () => {
  it('is NOT_READY until the first load lands, then READY', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    const release = source.hold();
    const { domain, provider, features, next } = register(source, { startupTimeoutMs: 5_000 });
    const ready = next(ProviderEvents.Ready);
    const set = OpenFeature.setProviderAndWait(domain, provider);
    expect(features.providerStatus).toBe(ProviderStatus.NOT_READY);
    expect(await features.getBooleanDetails('search-v3', false, context)).toMatchObject({ value: false, errorCode: 'PROVIDER_NOT_READY' });
    release();
    await set;
    await ready;
    expect(features.providerStatus).toBe(ProviderStatus.READY);
    expect(await features.getBooleanValue('search-v3', false, context)).toBe(true);
  });

  it('is ERROR while the source fails with nothing loaded, READY once it recovers', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    source.failWith = new Error('connection refused');
    const { features, next, set } = register(source);
    await expect(set()).rejects.toThrow();
    expect(features.providerStatus).toBe(ProviderStatus.ERROR);

    const ready = next(ProviderEvents.Ready);
    source.failWith = undefined;
    await ready;
    expect(features.providerStatus).toBe(ProviderStatus.READY);
    expect(await features.getBooleanValue('search-v3', false, context)).toBe(true);
  });

  it('is STALE while serving old data from a failing source, READY again after it recovers', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: true })]);
    const { features, next, set } = register(source);
    await set();
    expect(await features.getBooleanValue('search-v3', false, context)).toBe(true);

    const stale = next(ProviderEvents.Stale);
    source.failWith = new Error('database is down');
    expect((await stale)?.message).toMatch(/database is down/);
    expect(features.providerStatus).toBe(ProviderStatus.STALE);
    expect(await features.getBooleanValue('search-v3', false, context)).toBe(true);

    const ready = next(ProviderEvents.Ready);
    source.failWith = undefined;
    await ready;
    expect(features.providerStatus).toBe(ProviderStatus.READY);
  });

  it('starts STALE from a bootstrap while the source hangs', async () => {
    const source = createTestSource([]);
    source.hang = true;
    const bootstrap = { flags: [makeFlag({ key: 'search-v3', enabled: true })] };
    const { features, next, set } = register(source, { bootstrap });
    const stale = next(ProviderEvents.Stale);
    await set();
    await stale;
    expect(features.providerStatus).toBe(ProviderStatus.STALE);
  });

  it('emits CONFIGURATION_CHANGED with the flags that changed on every change event', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3' }), makeFlag({ key: 'inbox-v2', stage: 'beta' })]);
    const { features, next, set } = register(source, { flagsTtlMs: 60_000 });
    await set();

    let changed = next(ProviderEvents.ConfigurationChanged);
    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: true }));
    expect((await changed)?.flagsChanged).toEqual(['search-v3']);
    expect(await features.getBooleanValue('search-v3', false, context)).toBe(true);

    // A user's own change can turn any flag for them: every flag is named.
    changed = next(ProviderEvents.ConfigurationChanged);
    source.memory.setUserState('user-1', 'ws-1', makeUserState({ optIns: { 'inbox-v2': true } }));
    expect((await changed)?.flagsChanged).toEqual(['search-v3', 'inbox-v2']);
    expect(await features.getBooleanValue('inbox-v2', false, context)).toBe(true);

    changed = next(ProviderEvents.ConfigurationChanged);
    source.emit({ kind: 'workspace', workspaceId: 'ws-1' });
    expect((await changed)?.flagsChanged).toEqual(['search-v3', 'inbox-v2']);
  });
});
