import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrape, type Scrape } from './testing/prometheus.js';
import { bearer, startHarnessWithServer, startServer, type HarnessWithServer } from './testing/server.js';

const TOKEN = 'metrics-test-token-0123456789';

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer({ app: { metricsToken: TOKEN } });
});
afterAll(async () => {
  await h.close();
});

const metrics = () => scrape(h.server.url, TOKEN);
const get = (path: string, token?: string) => fetch(`${h.server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function until(check: (s: Scrape) => boolean, what: string): Promise<Scrape> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await metrics();
    if (check(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /metrics protection', () => {
  it('answers 404 when no STAGEGATE_METRICS_TOKEN is configured', async () => {
    const off = await startServer(h.services);
    try {
      const response = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await off.close();
    }
  });

  it('refuses a missing or wrong token with 401 and counts it; serves Prometheus text with the right one', async () => {
    const before = (await metrics()).value('stagegate_auth_failures_total', { reason: 'metrics_token' });
    const missing = await get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get('/metrics', `${TOKEN}x`)).status).toBe(401);
    expect((await get('/metrics', DEMO_TOKENS.owner)).status).toBe(401);

    const ok = await get('/metrics', TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await ok.text()).toContain('# TYPE stagegate_evaluations_total counter');
    expect((await metrics()).value('stagegate_auth_failures_total', { reason: 'metrics_token' })).toBe(before + 3);
  });

  it('refuses to start with a short token', async () => {
    await expect(startServer(h.services, { metricsToken: 'short' })).rejects.toThrow(/at least 16 characters/);
  });
});

describe('GET /metrics series', () => {
  it("counts the server's own evaluations by flag, reason and result, and times each request once", async () => {
    const before = await metrics();
    const client = h.server.client(bearer(DEMO_TOKENS.member));
    const { resolutions } = await client.flags.evaluate.query({ keys: ['auto-tagging-v2', 'internal-search'] });
    await client.flags.evaluate.query({ keys: ['auto-tagging-v2', 'internal-search'] });
    const after = await metrics();
    for (const resolution of resolutions) {
      const labels = { flag: resolution.key, reason: resolution.reason, result: resolution.enabled ? 'on' : 'off' };
      expect(after.value('stagegate_evaluations_total', labels)).toBe(before.value('stagegate_evaluations_total', labels) + 2);
    }
    const count = { operation: 'flags.evaluate' };
    expect(after.value('stagegate_flag_resolution_duration_seconds_count', count)).toBe(before.value('stagegate_flag_resolution_duration_seconds_count', count) + 2);
    expect(after.value('stagegate_flag_resolution_duration_seconds_bucket', { ...count, le: '+Inf' })).toBe(after.value('stagegate_flag_resolution_duration_seconds_count', count));

    await client.betaFeatures.list.query();
    const listed = await metrics();
    expect(listed.value('stagegate_flag_resolution_duration_seconds_count', { operation: 'betaFeatures.list' })).toBe(
      after.value('stagegate_flag_resolution_duration_seconds_count', { operation: 'betaFeatures.list' }) + 1,
    );
  });

  it('exposes the FlagClient cache: hits grow on a warm request, and the ratio is hits over lookups', async () => {
    const client = h.server.client(bearer(DEMO_TOKENS.member));
    await client.flags.evaluate.query({ keys: ['auto-tagging-v2'] });
    const before = await metrics();
    await client.flags.evaluate.query({ keys: ['auto-tagging-v2'] });
    const after = await metrics();
    expect(after.value('stagegate_flag_cache_hits_total')).toBeGreaterThan(before.value('stagegate_flag_cache_hits_total'));
    expect(after.value('stagegate_flag_cache_misses_total')).toBe(before.value('stagegate_flag_cache_misses_total'));
    const hits = after.value('stagegate_flag_cache_hits_total');
    const misses = after.value('stagegate_flag_cache_misses_total');
    expect(after.value('stagegate_flag_cache_hit_ratio')).toBeCloseTo(hits / (hits + misses), 6);
    expect(after.types.get('stagegate_flag_cache_hits_total')).toBe('counter');
  });

  it('times HTTP requests by route pattern and status, never by raw URL', async () => {
    await get('/api/beta-features', DEMO_TOKENS.member);
    await fetch(`${h.server.url}/api/beta-features/auto-tagging-v2/toggle`, {
      method: 'POST',
      headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    await get('/api/beta-features', 'not-a-token');
    await get('/no/such/page/12345');
    await get('/trpc/no.such.procedure', DEMO_TOKENS.member);
    await get('/healthz');
    const s = await metrics();
    const count = (labels: Record<string, string>) => s.all('stagegate_http_request_duration_seconds_count', labels).reduce((sum, series) => sum + series.value, 0);
    expect(count({ route: '/api/beta-features', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(count({ route: '/api/beta-features', method: 'GET', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(count({ route: '/api/beta-features/:key/toggle', method: 'POST', status: '200' })).toBe(1);
    expect(count({ route: '/healthz', method: 'GET' })).toBeGreaterThanOrEqual(1);
    expect(count({ route: '/trpc/flags.evaluate', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(count({ route: '/trpc/(unknown)', status: '404' })).toBe(1);
    const routes = new Set(s.all('stagegate_http_request_duration_seconds_count').map((series) => series.labels.route));
    for (const route of routes) expect(route).not.toMatch(/auto-tagging-v2|12345|no\.such/);
  });

  it('counts refused credentials by reason', async () => {
    const before = await metrics();
    await get('/api/beta-features', 'unknown-token-abc');
    const malformed = await fetch(`${h.server.url}/api/beta-features`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(malformed.status).toBe(401);
    const after = await metrics();
    expect(after.value('stagegate_auth_failures_total', { reason: 'unknown_token' })).toBe(before.value('stagegate_auth_failures_total', { reason: 'unknown_token' }) + 1);
    expect(after.value('stagegate_auth_failures_total', { reason: 'malformed' })).toBe(before.value('stagegate_auth_failures_total', { reason: 'malformed' }) + 1);
  });

  it('counts open event streams, REST and tRPC, and forgets them when they close', async () => {
    const rest = new AbortController();
    const response = await fetch(`${h.server.url}/api/flags/stream`, { headers: bearer(DEMO_TOKENS.service), signal: rest.signal });
    expect(response.status).toBe(200);
    await until((s) => s.value('stagegate_sse_streams_open', { route: '/api/flags/stream' }) === 1, 'the REST stream to count');

    const subscription = h.server.client(bearer(DEMO_TOKENS.member)).events.onChangeResumable.subscribe(undefined, { onData: () => undefined });
    await until((s) => s.value('stagegate_sse_streams_open', { route: '/trpc/events.onChangeResumable' }) === 1, 'the tRPC subscription to count');
    // Streams stay out of the duration histogram: their length is the listener's.
    expect((await metrics()).all('stagegate_http_request_duration_seconds_count', { route: '/api/flags/stream' })).toEqual([]);

    rest.abort();
    subscription.unsubscribe();
    await until(
      (s) => s.value('stagegate_sse_streams_open', { route: '/api/flags/stream' }) === 0 && s.value('stagegate_sse_streams_open', { route: '/trpc/events.onChangeResumable' }) === 0,
      'both streams to close',
    );
  });

  it('reports the change stream, database reachability and, on PostgreSQL, each pool lane', async () => {
    const s = await metrics();
    expect(s.value('stagegate_change_stream_listening')).toBe(1);
    expect(s.value('stagegate_database_reachable')).toBe(1);
    expect(s.value('stagegate_health_ok')).toBe(1);
    expect(s.types.get('stagegate_change_stream_reconnects_total')).toBe('counter');
    expect(s.value('stagegate_change_stream_reconnects_total')).toBe(h.services.flagSource.stats().reconnects);
    const lanes = s.all('stagegate_db_pool_connections', { state: 'max' }).map((series) => series.labels.lane);
    if (h.db.kind === 'postgres') {
      expect(lanes.sort()).toEqual(['main', 'priority']);
      expect(s.value('stagegate_db_pool_connections', { lane: 'priority', state: 'max' })).toBe(2);
      expect(s.value('stagegate_db_pool_connections', { lane: 'main', state: 'open' })).toBeGreaterThanOrEqual(1);
    } else {
      // PGlite is one embedded backend: no pool to report.
      expect(lanes).toEqual([]);
    }
  });

  it('counts an operator kill by flag', async () => {
    const before = (await metrics()).value('stagegate_flag_kills_total', { flag: 'internal-search', by: 'operator' });
    await h.owner.admin.flags.kill({ key: 'internal-search', reason: 'metrics test' });
    expect((await metrics()).value('stagegate_flag_kills_total', { flag: 'internal-search', by: 'operator' })).toBe(before + 1);
    await h.owner.admin.flags.restore({ key: 'internal-search', reason: 'metrics test over' });
  });
});
