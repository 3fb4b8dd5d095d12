import { DEMO_TOKENS } from '@stagegate/db';
import { createFlagClient, type FlagChange, type FlagClient } from '@stagegate/flags-core';
import { createHttpSource } from '@stagegate/flags-core/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startLiveServer, trpcClient, type LiveServer } from '../../test/liveServer.js';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(async () => {
  await live.close();
});

/** The real fetch, observed: which paths were asked for and what they answered. */
function observedFetch() {
  const calls: Array<{ path: string; status: number }> = [];
  const observed: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    calls.push({ path: new URL(String(input)).pathname, status: response.status });
    return response;
  };
  return { calls, fetch: observed };
}

describe('createHttpSource against the real API server', () => {
  it('evaluates locally exactly as the server does', async () => {
    const client = createFlagClient({ source: createHttpSource({ baseUrl: live.url, token: DEMO_TOKENS.service }) });
    try {
      const member = trpcClient(live.url, DEMO_TOKENS.member);
      await member.betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
      const { resolutions } = await member.flags.evaluate.query();
      const ctx = { userId: live.seed.memberId, workspaceId: live.seed.workspaceId };
      const local = await Promise.all(resolutions.map((resolution) => client.evaluate(resolution.key, ctx)));
      expect(local).toEqual(resolutions);
      expect(local.find((resolution) => resolution.key === 'auto-tagging-v2')).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    } finally {
      await client.close();
    }
  });

  it('revalidates the flag set with If-None-Match and reuses it on 304', async () => {
    const observed = observedFetch();
    const source = createHttpSource({ baseUrl: live.url, token: DEMO_TOKENS.service, fetch: observed.fetch });
    const first = await source.loadFlags();
    const second = await source.loadFlags();
    expect(observed.calls).toEqual([
      { path: '/api/flags/snapshot', status: 200 },
      { path: '/api/flags/snapshot', status: 304 },
    ]);
    expect(second).toBe(first);
    await expect(createHttpSource({ baseUrl: live.url, token: 'wrong' }).loadFlags()).rejects.toThrow(/401/);
  });

  it('follows the change stream: a kill switch reaches the local client within a second', async () => {
    let client: FlagClient | undefined;
    try {
      // A long TTL: only the change stream can make the client see the kill in time.
      client = createFlagClient({ source: createHttpSource({ baseUrl: live.url, token: DEMO_TOKENS.service }), flagsTtlMs: 600_000 });
      const ctx = { userId: live.seed.memberId, workspaceId: live.seed.workspaceId };
      expect((await client.evaluate('phoenix-pipeline-enabled', ctx)).reason).not.toBe('KILLED');
      // The stream connects in the background; give it the moment it needs before the write.
      await new Promise((resolve) => setTimeout(resolve, 300));

      await trpcClient(live.url, DEMO_TOKENS.admin).admin.flags.kill.mutate({ key: 'phoenix-pipeline-enabled', reason: 'bad deploy' });
      const killedAt = performance.now();
      const local = client;
      await eventually('the local client sees the kill', async () => (await local.evaluate('phoenix-pipeline-enabled', ctx)).reason === 'KILLED', 1_000);
      expect(performance.now() - killedAt).toBeLessThan(1_000);
    } finally {
      await client?.close();
    }
  });

  it('reconnects after the stream drops, says reset, and keeps delivering', async () => {
    const changes: FlagChange[] = [];
    const errors: unknown[] = [];
    const source = createHttpSource({ baseUrl: live.url, token: DEMO_TOKENS.service, minBackoffMs: 20, onError: (error) => errors.push(error) });
    const unsubscribe = source.subscribe?.((change) => changes.push(change));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toEqual([]);
      live.dropConnections();
      await eventually('the source reconnects', () => changes.some((change) => change.kind === 'reset'));
      expect(errors.length).toBeGreaterThan(0);

      await trpcClient(live.url, DEMO_TOKENS.member).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: false });
      await eventually('a change after the reconnect arrives', () => changes.some((change) => change.kind === 'user' && change.userId === live.seed.memberId));
    } finally {
      await unsubscribe?.();
    }
  });
});
