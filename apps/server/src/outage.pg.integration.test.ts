// The database outage, for real: the server's connections run through a TCP proxy that is
// cut (a stopped PostgreSQL: connections refused and reset) and restored. Reads, writes, /healthz,
// the log and the change stream, on short timers so the file takes seconds. PostgreSQL pass only.
import { createAnalytics, createLogger, createServices, type Services } from '@stagegate/api';
import { hashToken } from '@stagegate/db';
import { DEMO_TOKENS, seedDemo } from '@stagegate/db/demo';
import { openTestDatabaseThroughProxy, waitFor, type ProxiedTestDatabase } from '@stagegate/db/testing';
import type { FlagChange } from '@stagegate/flags-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REST_SAMPLES } from './testing/samples.js';
import { bearer, snapshotWrites, startServer, type TestServer } from './testing/server.js';

/** The token cache trusts a resolved token for 10 s without asking: jumping past that makes every request ask the database. */
const PAST_TOKEN_FRESHNESS_MS = 11_000;

let fault: ProxiedTestDatabase;
let services: Services;
let server: TestServer;
const lines: Array<Record<string, unknown>> = [];
const streamed: FlagChange[] = [];
const stream = new AbortController();
const realNow = Date.now;
let clockOffset = 0;
const consoleCalls = vi.fn();

const member = bearer(DEMO_TOKENS.member);
const evaluateInput = encodeURIComponent(JSON.stringify({ keys: ['auto-tagging-v2', 'smart-summaries', 'global-chat-enabled'] }));
const READS: Record<string, { path: string; headers: Record<string, string> }> = {
  'betaFeatures.list': { path: '/trpc/betaFeatures.list', headers: member },
  'flags.evaluate': { path: `/trpc/flags.evaluate?input=${evaluateInput}`, headers: member },
  'GET /api/beta-features': { path: '/api/beta-features', headers: member },
  'GET /api/flags/snapshot': { path: '/api/flags/snapshot', headers: bearer(DEMO_TOKENS.service) },
};
const warm = new Map<string, unknown>();

async function read(name: string) {
  const { path, headers } = READS[name]!;
  const response = await fetch(`${server.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as unknown };
}

/** Follows /api/flags/stream as a backend SDK does, recording each change. */
async function followStream() {
  const response = await fetch(`${server.url}/api/flags/stream`, { headers: bearer(DEMO_TOKENS.service), signal: stream.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) streamed.push(JSON.parse(data.slice('data: '.length)) as FlagChange);
      }
    }
  })().catch(() => undefined);
}

const jumpClock = (ms: number) => {
  clockOffset += ms;
  Date.now = () => realNow() + clockOffset;
};

beforeAll(async () => {
  fault = await openTestDatabaseThroughProxy({ connectTimeoutMs: 500, queryTimeoutMs: 1_000, heartbeatMs: 250 });
  await seedDemo(fault.direct, { env: {} });
  services = createServices({
    db: fault.db,
    logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } }),
    analytics: createAnalytics({ apiKey: undefined, log: () => undefined }),
    // Short, so caches go stale and reload (and fail) during the outage, as in hours of production.
    flagsTtlMs: 500,
    userStateTtlMs: 500,
    sourceTimeoutMs: 500,
    healthCheckIntervalMs: 100,
    healthProbeTimeoutMs: 500,
  });
  await services.flagSource.listening();
  server = await startServer(services);
  for (const name of Object.keys(READS)) {
    const answer = await read(name);
    expect(answer.status, name).toBe(200);
    warm.set(name, answer.body);
  }
  await followStream();
  for (const method of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation(consoleCalls);
});
afterAll(async () => {
  vi.restoreAllMocks();
  Date.now = realNow;
  stream.abort();
  await server?.close();
  await services?.close();
  await fault?.close();
});

describe('a database outage', () => {
  it('reads answer from cache all through it, also once every cached sign-in is past its freshness', async () => {
    await fault.proxy.cut();
    let answered = 0;
    let asked = 0;
    const readFor = async (ms: number) => {
      for (const until = realNow() + ms; realNow() < until; ) {
        for (const name of Object.keys(READS)) {
          const answer = await read(name);
          asked++;
          if (answer.status === 200) answered++;
          expect(answer, name).toEqual({ status: 200, body: warm.get(name) });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await readFor(1_500);
    jumpClock(PAST_TOKEN_FRESHNESS_MS);
    await readFor(1_000);
    expect(asked).toBeGreaterThan(20);
    expect(answered).toBe(asked);
  });

  it('/healthz answers 503 DEGRADED and says what is stale', async () => {
    await waitFor(() => services.health.unreachable(), 2_000, 'the monitor to see the outage');
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'degraded',
      code: 'DEGRADED',
      database: { kind: 'postgres', reachable: false, unreachableSince: expect.any(String) },
      stale: { flags: true, userStates: true, identities: true, identitiesTrustedForSeconds: 900 },
      notifications: { listening: false, lostAt: expect.any(String) },
    });
  });

  it('writes fail fast with 503 BUSY and Retry-After, and nothing is written', async () => {
    const before = await snapshotWrites(fault.direct);
    const writes = [
      { path: '/api/beta-features/internal-search/toggle', token: DEMO_TOKENS.member, body: { enabled: true } },
      { path: '/trpc/betaFeatures.toggle', token: DEMO_TOKENS.member, body: { key: 'internal-search', enabled: true } },
      { path: '/trpc/admin.flags.kill', token: DEMO_TOKENS.editor, body: { key: 'auto-tagging-v2', reason: 'error spike' } },
      { path: '/trpc/admin.userOverrides.set', token: DEMO_TOKENS.editor, body: { email: 'member@stagegate.dev', flagKey: 'auto-tagging-v2', enabled: true, reason: 'support' } },
      // SDK telemetry: a 503 makes the SDK keep its windows for the next interval.
      { path: '/api/flags/metrics', token: DEMO_TOKENS.service, body: REST_SAMPLES['POST /api/flags/metrics']!.body },
    ];
    for (const write of writes) {
      const started = performance.now();
      const response = await fetch(`${server.url}${write.path}`, {
        method: 'POST',
        headers: { ...bearer(write.token), 'content-type': 'application/json' },
        body: JSON.stringify(write.body),
      });
      const ms = performance.now() - started;
      const body = (await response.json()) as { code?: string; error?: { data?: { code?: string } } };
      expect({ path: write.path, status: response.status, code: body.code ?? body.error?.data?.code }).toEqual({ path: write.path, status: 503, code: 'BUSY' });
      expect(Number(response.headers.get('retry-after')), write.path).toBeGreaterThan(0);
      expect(ms, write.path).toBeLessThan(1_000);
    }
    expect(await snapshotWrites(fault.direct)).toEqual(before);
  });

  it('recovers without a restart: notifications resume within about a second, with a reset, and what changed meanwhile is served', async () => {
    // Written elsewhere while this process cannot hear it: only the reset after reconnecting tells it.
    await fault.direct.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { killReason: 'incident', killedAt: new Date(), killedBy: 'ops@stagegate.dev' } });
    streamed.length = 0;
    await fault.proxy.restore();
    const restored = realNow();
    await waitFor(() => services.flagSource.stats().listening, 3_000, 'listening again');
    expect(realNow() - restored).toBeLessThan(1_500);
    await waitFor(() => streamed.some((change) => change.kind === 'reset'), 2_000, 'the reset on the stream');
    await expect
      .poll(async () => ((await read('flags.evaluate')).body as { result: { data: { resolutions: Array<{ key: string; reason: string }> } } }).result.data.resolutions.find((r) => r.key === 'smart-summaries')?.reason, { timeout: 2_000 })
      .toBe('KILLED');

    await fault.direct.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { killReason: null, killedAt: null, killedBy: null } });
    await waitFor(() => streamed.some((change) => change.kind === 'flags'), 2_000, 'a change after recovery');
    await waitFor(() => !services.health.unreachable(), 2_000, 'the monitor to see the database back');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('logged one line when the database went away and one when it came back, and nothing per request', () => {
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      [40, 'database.unreachable'],
      [30, 'database.reachable'],
    ]);
    expect(lines[1]?.outageMs).toBeGreaterThanOrEqual(2_500);
    expect(consoleCalls).not.toHaveBeenCalled();
  });

  it('with the database back, a revocation bites once the token cache asks again', async () => {
    await fault.direct.prisma.apiToken.updateMany({ where: { tokenHash: hashToken(DEMO_TOKENS.member) }, data: { revokedAt: new Date() } });
    jumpClock(PAST_TOKEN_FRESHNESS_MS);
    expect((await read('betaFeatures.list')).status).toBe(401);
  });
});
