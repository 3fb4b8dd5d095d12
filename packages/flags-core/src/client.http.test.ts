import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from './client.js';
import { createHttpSource } from './http-source.js';
import { json, startLoopbackServer, type LoopbackServer } from './loopback.fixtures.js';
import { makeFlag } from './testing.js';

const ctx = { userId: 'user-1', workspaceId: 'ws-1' };
const snapshot = { flags: [JSON.parse(JSON.stringify(makeFlag({ key: 'search-v3', enabled: true })))], etag: '"v1"' };

let servers: LoopbackServer[] = [];
let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(servers.map((server) => server.close()));
  clients = [];
  servers = [];
});

/** A Stagegate API stand-in: healthy until `mode` says it hangs (accepts, never answers) or answers 500. */
async function api() {
  const state = { mode: 'healthy' as 'healthy' | 'hang' | 'error' };
  const server = await startLoopbackServer((req, res) => {
    if (state.mode === 'hang') return;
    if (state.mode === 'error') return json(res, 500, { error: 'internal' });
    if (req.url?.startsWith('/api/flags/snapshot')) return json(res, 200, snapshot);
    if (req.url?.startsWith('/api/flags/state')) return json(res, 200, { optIns: {}, overrides: {} });
    res.writeHead(404).end();
  });
  servers.push(server);
  return { server, state };
}

function clientOf(server: LoopbackServer) {
  const client = createFlagClient({
    source: createHttpSource({ baseUrl: server.url, token: 'service-token' }),
    startupTimeoutMs: 100,
    sourceTimeoutMs: 200,
    flagsTtlMs: 50,
    userStateTtlMs: 50,
  });
  clients.push(client);
  return client;
}

describe('createFlagClient over createHttpSource against a real server', () => {
  it('answers a cold start within startupTimeoutMs when the server accepts and never answers', async () => {
    const { server, state } = await api();
    state.mode = 'hang';
    const client = clientOf(server);
    const started = performance.now();
    expect(await client.evaluate('search-v3', ctx)).toMatchObject({ enabled: false, reason: 'NOT_READY' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(await client.ready()).toBe(false);
  });

  it.each(['hang', 'error'] as const)('keeps serving what it loaded, without waiting, once the TTLs passed and the server went to %s', async (mode) => {
    const { server, state } = await api();
    const client = clientOf(server);
    expect(await client.isEnabled('search-v3', ctx)).toBe(true);
    state.mode = mode;
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect(await client.evaluate('search-v3', ctx)).toMatchObject({ enabled: true, reason: 'GLOBAL' });
      expect(performance.now() - started).toBeLessThan(100); // well under the 200 ms a wait on the hung reload would take
    }
    expect(client.stats()).toMatchObject({ status: 'stale' });
    expect(client.stats().sourceErrors).toBeGreaterThan(0);
  });
});
