import { DEMO_TOKENS } from '@stagegate/db/demo';
import { waitFor } from '@stagegate/db/testing';
import { createFlagClient, type FlagChange, type FlagClient } from '@stagegate/flags-core';
import { createHttpSource } from '@stagegate/flags-core/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startHarnessWithServer, type HarnessWithServer } from '../testing/server.js';

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer();
});
afterAll(async () => {
  await h.close();
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
    const client = createFlagClient({ source: createHttpSource({ baseUrl: h.server.url, token: DEMO_TOKENS.service }) });
    try {
      const member = h.server.client(bearer(DEMO_TOKENS.member));
      await member.betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
      const { resolutions } = await member.flags.evaluate.query();
      const ctx = { userId: h.seed.memberId, workspaceId: h.seed.workspaceId };
      const local = await Promise.all(resolutions.map((resolution) => client.evaluate(resolution.key, ctx)));
      expect(local).toEqual(resolutions);
      expect(local.find((resolution) => resolution.key === 'auto-tagging-v2')).toMatchObject({ enabled: true, reason: 'OPT_IN' });
    } finally {
      await client.close();
    }
  });

  it('revalidates the flag set with If-None-Match and reuses it on 304', async () => {
    const observed = observedFetch();
    const source = createHttpSource({ baseUrl: h.server.url, token: DEMO_TOKENS.service, fetch: observed.fetch });
    const first = await source.loadFlags();
    const second = await source.loadFlags();
    expect(observed.calls).toEqual([
      { path: '/api/flags/snapshot', status: 200 },
      { path: '/api/flags/snapshot', status: 304 },
    ]);
    expect(second).toBe(first);
    await expect(createHttpSource({ baseUrl: h.server.url, token: 'wrong' }).loadFlags()).rejects.toThrow(/401/);
  });

  it('follows the change stream: a kill switch reaches the local client within a second', async () => {
    let client: FlagClient | undefined;
    try {
      // A long TTL: only the change stream can make the client see the kill in time.
      client = createFlagClient({ source: createHttpSource({ baseUrl: h.server.url, token: DEMO_TOKENS.service }), flagsTtlMs: 600_000 });
      const ctx = { userId: h.seed.memberId, workspaceId: h.seed.workspaceId };
      expect((await client.evaluate('phoenix-pipeline-enabled', ctx)).reason).not.toBe('KILLED');
      // The stream connects in the background; give it the moment it needs before the write.
      await new Promise((resolve) => setTimeout(resolve, 300));

      await h.server.client(bearer(DEMO_TOKENS.editor)).admin.flags.kill.mutate({ key: 'phoenix-pipeline-enabled', reason: 'bad deploy' });
      const killedAt = performance.now();
      const local = client;
      await waitFor(async () => (await local.evaluate('phoenix-pipeline-enabled', ctx)).reason === 'KILLED', 1_000, 'the local client to see the kill');
      expect(performance.now() - killedAt).toBeLessThan(1_000);
    } finally {
      await client?.close();
    }
  });

  it('reconnects after the stream drops, says reset, and keeps delivering', async () => {
    const changes: FlagChange[] = [];
    const errors: unknown[] = [];
    const source = createHttpSource({ baseUrl: h.server.url, token: DEMO_TOKENS.service, minBackoffMs: 20, onError: (error) => errors.push(error) });
    const unsubscribe = source.subscribe?.((change) => changes.push(change));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toEqual([]);
      h.server.dropConnections();
      await waitFor(() => changes.some((change) => change.kind === 'reset'), 5_000, 'the source to reconnect');
      expect(errors.length).toBeGreaterThan(0);

      await h.server.client(bearer(DEMO_TOKENS.member)).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: false });
      await waitFor(() => changes.some((change) => change.kind === 'user' && change.userId === h.seed.memberId), 5_000, 'a change after the reconnect');
    } finally {
      await unsubscribe?.();
    }
  });
});
