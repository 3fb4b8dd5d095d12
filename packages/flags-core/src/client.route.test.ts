import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient, type FlagClientOptions } from './client.js';
import { createTestClock, createTestSource, type TestSource } from './client.fixtures.js';
import { makeFlag } from './testing.js';

const ctx = { userId: 'user-1', workspaceId: 'ws-1' };

let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

function setup(source: TestSource, options: Partial<FlagClientOptions> = {}) {
  const client = createFlagClient({ source, clock: createTestClock().now, ...options });
  clients.push(client);
  return client;
}

const pipelineSource = (enabled: boolean) => createTestSource([makeFlag({ key: 'phoenix-pipeline', enabled })]);
const failing = (message: string) => () => Promise.reject(new Error(message));

describe('FlagClient.route', () => {
  it('runs the new path when the flag is on', async () => {
    const client = setup(pipelineSource(true));
    expect(await client.route('phoenix-pipeline', ctx, { enabled: () => 'phoenix', disabled: () => 'legacy' })).toBe('phoenix');
    expect(client.stats().routes).toEqual({
      'phoenix-pipeline': { enabled: { calls: 1, errors: 0 }, disabled: { calls: 0, errors: 0 }, fallbacks: 0 },
    });
  });

  it('answers with the legacy path when the new one throws or rejects, and counts the fallback', async () => {
    const errors: unknown[] = [];
    const client = setup(pipelineSource(true), { onError: (error) => errors.push(error) });
    const thrown = new Error('phoenix crashed');
    const paths = {
      enabled: () => {
        throw thrown;
      },
      disabled: () => 'legacy',
    };
    expect(await client.route('phoenix-pipeline', ctx, paths)).toBe('legacy');
    expect(await client.route('phoenix-pipeline', ctx, { enabled: failing('phoenix timed out'), disabled: async () => 'legacy' })).toBe('legacy');

    expect(client.stats().routes['phoenix-pipeline']).toEqual({ enabled: { calls: 2, errors: 2 }, disabled: { calls: 2, errors: 0 }, fallbacks: 2 });
    expect(errors[0]).toBe(thrown);
    expect(client.stats().sourceErrors).toBe(0); // a failing path is not a failing source
  });

  it('runs only the legacy path when the flag is off', async () => {
    const client = setup(pipelineSource(false));
    let newPathRan = false;
    const result = await client.route('phoenix-pipeline', ctx, {
      enabled: () => {
        newPathRan = true;
        return 'phoenix';
      },
      disabled: () => 'legacy',
    });
    expect([result, newPathRan]).toEqual(['legacy', false]);
    expect(client.stats().routes['phoenix-pipeline']).toEqual({ enabled: { calls: 0, errors: 0 }, disabled: { calls: 1, errors: 0 }, fallbacks: 0 });
  });

  it('propagates a failing legacy path and counts it, whether the flag is off or the fallback failed', async () => {
    const off = setup(pipelineSource(false));
    await expect(off.route('phoenix-pipeline', ctx, { enabled: () => 'phoenix', disabled: failing('legacy down') })).rejects.toThrow('legacy down');
    expect(off.stats().routes['phoenix-pipeline']).toEqual({ enabled: { calls: 0, errors: 0 }, disabled: { calls: 1, errors: 1 }, fallbacks: 0 });

    const on = setup(pipelineSource(true));
    await expect(on.route('phoenix-pipeline', ctx, { enabled: failing('phoenix down'), disabled: failing('legacy down') })).rejects.toThrow('legacy down');
    expect(on.stats().routes['phoenix-pipeline']).toEqual({ enabled: { calls: 1, errors: 1 }, disabled: { calls: 1, errors: 1 }, fallbacks: 1 });
  });

  it('takes the legacy path when the flag cannot be evaluated (fail safe)', async () => {
    const source = pipelineSource(true);
    source.failWith = new Error('down');
    const client = setup(source);
    expect(await client.route('phoenix-pipeline', ctx, { enabled: () => 'phoenix', disabled: () => 'legacy' })).toBe('legacy');
  });
});

describe('FlagClient.evaluateAll and stats', () => {
  it('evaluates every flag except archived ones', async () => {
    const source = createTestSource([
      makeFlag({ key: 'search-v3', enabled: true }),
      makeFlag({ key: 'old-editor', enabled: true, archived: true }),
      makeFlag({ key: 'inbox-v2', stage: 'lab' }),
    ]);
    const client = setup(source);
    const all = await client.evaluateAll(ctx);
    expect(all.map((r) => [r.key, r.reason]).sort()).toEqual([
      ['inbox-v2', 'LAB'],
      ['search-v3', 'GLOBAL'],
    ]);
    expect(await client.evaluate('old-editor', ctx)).toMatchObject({ enabled: false, reason: 'FLAG_NOT_FOUND' });
    expect((await client.flags()).map((flag) => flag.key).sort()).toEqual(['inbox-v2', 'old-editor', 'search-v3']);
  });

  it('counts evaluations, hits and misses, and reports the last refresh', async () => {
    const clock = createTestClock();
    const seen: string[] = [];
    const client = setup(createTestSource([makeFlag({ key: 'search-v3' })]), {
      clock: clock.now,
      onEvaluation: (resolution) => seen.push(resolution.reason),
    });
    expect(client.stats()).toMatchObject({ evaluations: 0, hitRate: 0, lastRefreshAt: null });
    await client.isEnabled('search-v3', ctx);
    await client.isEnabled('search-v3', ctx);
    await client.isEnabled('search-v3', ctx);
    await client.evaluate('no-such-flag', ctx);

    expect(client.stats()).toMatchObject({ evaluations: 4, cacheHits: 3, cacheMisses: 1, hitRate: 0.75, cachedUsers: 1, sourceErrors: 0 });
    expect(client.stats().lastRefreshAt).toEqual(new Date(clock.now()));
    expect(seen).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT', 'FLAG_NOT_FOUND']);
  });
});

describe('FlagClient.close', () => {
  it('stops the background poll and the change subscription', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3' })]);
    const client = createFlagClient({ source, flagsTtlMs: 20 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(110);
    expect(source.calls.loadFlags).toBeGreaterThanOrEqual(2);

    await client.close();
    await sleep(10); // a poll load already in flight may still finish
    const afterClose = source.calls.loadFlags;
    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: true }));
    await sleep(110);
    expect(source.calls.loadFlags).toBe(afterClose);
  });

  it('lets a process exit even if it never calls close()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stagegate-client-'));
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = join(dir, 'no-close.mts');
    await writeFile(
      script,
      `import { createFlagClient, createMemorySource } from ${JSON.stringify(index)};
const client = createFlagClient({ source: createMemorySource([]), flagsTtlMs: 50 });
console.log(await client.isEnabled('anything', { userId: 'u', workspaceId: 'w' }));\n`,
    );
    const started = Date.now();
    try {
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--import', 'tsx', script], { timeout: 10_000, cwd: fileURLToPath(new URL('..', import.meta.url)) }, (error, out) => (error ? reject(error) : resolve(out))),
      );
      expect(stdout.trim()).toBe('false');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
