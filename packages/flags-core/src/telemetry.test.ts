import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient, type FlagClientOptions } from './client.js';
import { createHttpSource } from './http-source.js';
import { json, startLoopbackServer, type LoopbackServer } from './loopback.fixtures.js';
import { MAX_FLAGS_PER_WINDOW, MetricsReport, type FlagMetrics } from './metrics-wire.js';
import { createMemorySource } from './source.js';
import { makeFlag } from './testing.js';

const ctx = { userId: 'user-1', workspaceId: 'ws-1' };
const flags = [makeFlag({ key: 'phoenix-pipeline', enabled: true }), makeFlag({ key: 'dark-mode' })];
const wireFlags = JSON.parse(JSON.stringify(flags)) as unknown[];

let servers: LoopbackServer[] = [];
let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  clients = [];
});

/** The Stagegate API as the SDK sees it; `mode` says how POST /api/flags/metrics answers. */
async function startApi() {
  const api = { mode: 'up' as 'up' | 'down' | 'refuse' | 'hang', reports: [] as MetricsReport[], authorizations: [] as string[], server: undefined as unknown as LoopbackServer };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/api/flags/snapshot') return json(res, 200, { flags: wireFlags });
    if (req.url?.startsWith('/api/flags/state')) return json(res, 200, { optIns: {}, overrides: {} });
    if (req.url === '/api/flags/metrics' && req.method === 'POST') {
      if (api.mode === 'refuse') return void req.socket.destroy();
      if (api.mode === 'hang') return;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (api.mode === 'down') return json(res, 503, { error: 'down' });
        api.authorizations.push(req.headers.authorization ?? '');
        api.reports.push(MetricsReport.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.writeHead(204).end();
      });
      return;
    }
    json(res, 404, {});
  };
  api.server = await startLoopbackServer(handle);
  servers.push(api.server);
  return api;
}

function client(baseUrl: string, options: Partial<FlagClientOptions> = {}) {
  const created = createFlagClient({ source: createHttpSource({ baseUrl, token: 'service-token', requestTimeoutMs: 300 }), sourceTimeoutMs: 500, ...options });
  clients.push(created);
  return created;
}

const evaluations = (metrics: FlagMetrics | undefined) => metrics?.evaluations.map(({ reason, enabled, count }) => `${reason}/${enabled ? 'on' : 'off'}:${count}`).sort();
const flagIn = (report: MetricsReport | undefined, key: string, window = 0) => report?.windows[window]?.flags.find((flag) => flag.key === key);

describe('SDK telemetry over HTTP', () => {
  it('batches evaluations and route() paths into one report with the service token', async () => {
    const api = await startApi();
    const sdk = client(api.server.url);
    for (let i = 0; i < 3; i++) await sdk.isEnabled('phoenix-pipeline', ctx);
    sdk.isEnabledSync('dark-mode', ctx);
    await sdk.evaluate('no-such-flag', ctx);
    expect(await sdk.route('phoenix-pipeline', ctx, { enabled: () => 'new', disabled: () => 'legacy' })).toBe('new');
    expect(await sdk.route('phoenix-pipeline', ctx, { enabled: () => Promise.reject(new Error('boom')), disabled: () => 'legacy' })).toBe('legacy');

    expect(api.reports).toEqual([]);
    expect(await sdk.flushMetrics()).toBe(true);
    expect(api.reports).toHaveLength(1);
    expect(api.authorizations).toEqual(['Bearer service-token']);
    const [report] = api.reports;
    expect(report!.windows).toHaveLength(1);
    expect(report!.dropped).toEqual({ windows: 0, evaluations: 0, routeCalls: 0 });
    const phoenix = flagIn(report, 'phoenix-pipeline');
    expect(evaluations(phoenix)).toEqual(['GLOBAL/on:5']);
    expect(evaluations(flagIn(report, 'dark-mode'))).toEqual(['DEFAULT/off:1']);
    expect(evaluations(flagIn(report, 'no-such-flag'))).toEqual(['FLAG_NOT_FOUND/off:1']);
    expect(phoenix!.route).toMatchObject({ enabled: { calls: 2, errors: 1 }, disabled: { calls: 1, errors: 0 }, fallbacks: 1 });
    const histogram = phoenix!.route!.enabled.latencyMs;
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(2);

    // Nothing new: nothing sent.
    expect(await sdk.flushMetrics()).toBe(true);
    expect(api.reports).toHaveLength(1);
  });

  it('sends by itself every intervalMs', async () => {
    const api = await startApi();
    const sdk = client(api.server.url, { telemetry: { intervalMs: 40 } });
    await sdk.isEnabled('phoenix-pipeline', ctx);
    await until(() => api.reports.length === 1);
    await sdk.isEnabled('dark-mode', ctx);
    await until(() => api.reports.length === 2);
    expect(evaluations(flagIn(api.reports[1], 'dark-mode'))).toEqual(['DEFAULT/off:1']);
    expect(flagIn(api.reports[1], 'phoenix-pipeline')).toBeUndefined();
  });

  it('keeps counting while the API is down (503, then refused connections) and sends it all once it is back', async () => {
    const api = await startApi();
    const errors: unknown[] = [];
    const sdk = client(api.server.url, { onError: (error) => errors.push(error) });
    api.mode = 'down';
    await sdk.isEnabled('phoenix-pipeline', ctx);
    expect(await sdk.flushMetrics()).toBe(false);
    api.mode = 'refuse';
    await sdk.isEnabled('phoenix-pipeline', ctx);
    await sdk.isEnabled('phoenix-pipeline', ctx);
    expect(await sdk.flushMetrics()).toBe(false);
    expect(sdk.stats().telemetry).toMatchObject({ pendingWindows: 2, sentReports: 0, failedReports: 2 });
    expect(String(errors[0])).toContain('503');

    api.mode = 'up';
    expect(await sdk.flushMetrics()).toBe(true);
    expect(api.reports).toHaveLength(1);
    expect(api.reports[0]!.windows.map((window) => evaluations(flagIn({ ...api.reports[0]!, windows: [window] }, 'phoenix-pipeline')))).toEqual([['GLOBAL/on:1'], ['GLOBAL/on:2']]);
    expect(sdk.stats().telemetry).toMatchObject({ pendingWindows: 0, sentReports: 1 });
  });

  it('never makes an evaluation wait for a hung API, and gives up on the send after sourceTimeoutMs', async () => {
    const api = await startApi();
    api.mode = 'hang';
    const sdk = client(api.server.url);
    await sdk.isEnabled('phoenix-pipeline', ctx);
    const sending = sdk.flushMetrics();
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) await sdk.isEnabled('phoenix-pipeline', ctx);
    expect(performance.now() - started).toBeLessThan(200);
    // A second flush while one is in flight sends nothing more (no retry storm).
    expect(await sdk.flushMetrics()).toBe(false);
    expect(await sending).toBe(false);
    expect(api.server.requests.filter((request) => request === 'POST /api/flags/metrics')).toHaveLength(1);
  });

  it('flushes on close()', async () => {
    const api = await startApi();
    const sdk = client(api.server.url);
    await sdk.isEnabled('phoenix-pipeline', ctx);
    await sdk.close();
    expect(evaluations(flagIn(api.reports[0], 'phoenix-pipeline'))).toEqual(['GLOBAL/on:1']);
  });

  it('sends nothing with telemetry: false', async () => {
    const api = await startApi();
    const sdk = client(api.server.url, { telemetry: false });
    await sdk.isEnabled('phoenix-pipeline', ctx);
    expect(await sdk.flushMetrics()).toBe(false);
    await sdk.close();
    expect(sdk.stats().telemetry).toBeNull();
    expect(api.server.requests).not.toContain('POST /api/flags/metrics');
  });
});

describe('SDK telemetry bounds', () => {
  /** A memory source whose reports fail until `up`, recording what it was sent. */
  function source() {
    const sent: MetricsReport[] = [];
    const state = { up: false };
    const memory = createMemorySource(flags);
    return {
      sent,
      state,
      source: {
        ...memory,
        reportMetrics: async (report: MetricsReport) => {
          if (!state.up) throw new Error('unreachable');
          sent.push(MetricsReport.parse(JSON.parse(JSON.stringify(report))));
        },
      },
    };
  }

  it('keeps at most maxPendingWindows unsent, drops the oldest and counts what it dropped', async () => {
    const { source: memory, sent, state } = source();
    const sdk = createFlagClient({ source: memory, telemetry: { maxPendingWindows: 2 } });
    clients.push(sdk);
    for (let window = 1; window <= 4; window++) {
      for (let i = 0; i < window; i++) await sdk.isEnabled('phoenix-pipeline', ctx);
      await sdk.route('phoenix-pipeline', ctx, { enabled: () => 1, disabled: () => 0 });
      expect(await sdk.flushMetrics()).toBe(false);
    }
    // Windows 1 and 2 went: 1 + 2 isEnabled, plus the route's own evaluation each, and one route call each.
    expect(sdk.stats().telemetry).toMatchObject({ pendingWindows: 2, dropped: { windows: 2, evaluations: 5, routeCalls: 2 } });

    state.up = true;
    expect(await sdk.flushMetrics()).toBe(true);
    expect(sent[0]!.windows.map((window) => evaluations(window.flags[0]))).toEqual([['GLOBAL/on:4'], ['GLOBAL/on:5']]);
    expect(sent[0]!.dropped).toEqual({ windows: 2, evaluations: 5, routeCalls: 2 });
    // Drops are reported once: the next report starts from zero.
    await sdk.isEnabled('phoenix-pipeline', ctx);
    await sdk.flushMetrics();
    expect(sent[1]!.dropped).toEqual({ windows: 0, evaluations: 0, routeCalls: 0 });
  });

  it(`counts at most ${MAX_FLAGS_PER_WINDOW} flags per window, and what is past it as dropped`, async () => {
    const { source: memory, sent, state } = source();
    state.up = true;
    const sdk = createFlagClient({ source: memory });
    clients.push(sdk);
    await sdk.ready();
    for (let i = 0; i < MAX_FLAGS_PER_WINDOW + 10; i++) sdk.evaluateSync(`unknown-${i}`, ctx);
    sdk.evaluateSync('Not A Key!', ctx);
    await sdk.flushMetrics();
    expect(sent[0]!.windows[0]!.flags).toHaveLength(MAX_FLAGS_PER_WINDOW);
    expect(sent[0]!.dropped.evaluations).toBe(11);
  });
});

async function until(check: () => boolean, ms = 3_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
